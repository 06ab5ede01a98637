package io.mediaplatform.validation.conversion;

import io.mediaplatform.validation.fit.core.FitPlan;
import io.mediaplatform.validation.policy.core.Kind;
import io.mediaplatform.validation.policy.core.Validator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Converts video and audio with ffmpeg (Debian's {@code ffmpeg} package) as a {@link FitPlan.Convert} asks: video to
 * H.264 + AAC in MP4 with {@code +faststart}, audio to AAC in MP4. ffmpeg reads and writes local temporary files only
 * ({@code -protocol_whitelist file}: no network protocol can be opened, whatever the input names), runs with no
 * standard input, is killed when it overruns {@code timeout}, and may write at most the plan's size limit
 * ({@code -fs}); a result over the limit fails the conversion. The temporary files are deleted afterwards.
 */
public final class FfmpegConverter {

    private static final int MAX_ERROR_CHARS = 300;

    private final String executable;
    private final Duration timeout;
    private final boolean available;

    /**
     * @param executable the ffmpeg command ({@code ffmpeg} on the PATH, or a path)
     * @param timeout    the longest one conversion may take
     * @param look       whether to find out if it runs here (false: {@link #available()} is false without a look)
     */
    public FfmpegConverter(String executable, Duration timeout, boolean look) {
        this.executable = executable;
        this.timeout = timeout;
        this.available = look && runs(executable);
    }

    /** Whether ffmpeg ran here when this converter was made. */
    public boolean available() {
        return available;
    }

    /** Whether {@code executable} runs as ffmpeg here ({@code ffmpeg -version} answers within 10 s). */
    public static boolean runs(String executable) {
        try {
            Process process = new ProcessBuilder(executable, "-hide_banner", "-version").redirectErrorStream(true).start();
            process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The converted media.
     *
     * @param bytes       the MP4
     * @param contentType {@code video/mp4} or {@code audio/mp4}
     * @param description what ffmpeg wrote, e.g. {@code H.264 + AAC MP4}
     */
    public record Converted(byte[] bytes, String contentType, String description) {
    }

    /** The media converted to fit the plan (VIDEO to H.264 + AAC MP4, AUDIO to AAC MP4). */
    public Converted convert(byte[] input, FitPlan.Convert plan) throws ImageConverter.ConversionFailedException {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("auto-fit-");
            Path in = dir.resolve("input");
            Files.write(in, input);
            boolean video = plan.kind() == Kind.VIDEO;
            Path out = dir.resolve(video ? "output.mp4" : "output.m4a");
            List<String> command = new ArrayList<>(List.of(executable, "-nostdin", "-hide_banner", "-loglevel", "error",
                    "-protocol_whitelist", "file", "-i", in.toString()));
            if (video) {
                command.addAll(List.of("-map", "0:v:0", "-map", "0:a:0?", "-c:v", "libx264", "-preset", "veryfast",
                        "-crf", "28", "-pix_fmt", "yuv420p", "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2"));
            } else {
                command.addAll(List.of("-map", "0:a:0", "-vn"));
            }
            command.addAll(List.of("-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart", "-map_metadata", "-1",
                    "-fs", Long.toString(plan.maxBytes()), "-f", "mp4", "-y", out.toString()));
            ffmpeg(command, out, "convert the " + plan.from());
            long size = Files.size(out);
            if (size >= plan.maxBytes()) {
                throw new ImageConverter.ConversionFailedException("the converted MP4 reached the "
                        + Validator.humanSize(plan.maxBytes()) + " limit");
            }
            return new Converted(Files.readAllBytes(out), video ? "video/mp4" : "audio/mp4",
                    video ? "H.264 + AAC MP4" : "AAC MP4");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while converting with ffmpeg", e);
        } finally {
            delete(dir);
        }
    }

    /**
     * The first frame of a video as a PNG (a poster for its thumbnails), under the same sandbox: local files only, no
     * standard input, killed past the timeout.
     */
    public byte[] firstFrame(byte[] input) throws ImageConverter.ConversionFailedException {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("poster-");
            Path in = dir.resolve("input");
            Files.write(in, input);
            Path out = dir.resolve("frame.png");
            ffmpeg(List.of(executable, "-nostdin", "-hide_banner", "-loglevel", "error", "-protocol_whitelist", "file",
                    "-i", in.toString(), "-map", "0:v:0", "-frames:v", "1", "-f", "image2", "-c:v", "png", "-y",
                    out.toString()), out, "read a frame of the video");
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading a frame with ffmpeg", e);
        } finally {
            delete(dir);
        }
    }

    /** Runs ffmpeg with {@code command}, which must write {@code out}; {@code what} it was to do, for the failure. */
    private void ffmpeg(List<String> command, Path out, String what)
            throws IOException, InterruptedException, ImageConverter.ConversionFailedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close(); // no standard input (and -nostdin)
        byte[] log;
        try (InputStream messages = process.getInputStream()) {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new ImageConverter.ConversionFailedException("ffmpeg took longer than the " + timeout.toMillis()
                        + " ms limit");
            }
            log = messages.readNBytes(4096);
        }
        if (process.exitValue() != 0 || !Files.exists(out)) {
            String said = new String(log, StandardCharsets.UTF_8).strip();
            throw new ImageConverter.ConversionFailedException("ffmpeg could not " + what + " ("
                    + (said.isEmpty() ? "exit " + process.exitValue() : said.substring(0, Math.min(MAX_ERROR_CHARS, said.length())))
                    + ")");
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is removed with the container's /tmp
        }
    }
}
