package io.mediaplatform.validation.conversion.ffmpeg;

import io.mediaplatform.validation.conversion.imageio.ImageConverter;
import io.mediaplatform.validation.conversion.core.FitPlan;
import io.mediaplatform.validation.policy.core.Validator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Converts video and audio with ffmpeg (Debian's {@code ffmpeg} package) as a {@link FitPlan.Convert} asks: video to
 * H.264 + AAC in MP4 with {@code +faststart}, audio to AAC in MP4, Opus in Ogg or MP3 (the plan's first target).
 * ffmpeg reads and writes local temporary files only ({@code -protocol_whitelist file}: no network protocol can be
 * opened, whatever the input names), runs with no standard input, is killed when the whole conversion overruns
 * {@code timeout}, and may write at most the plan's size limit ({@code -fs}); a result over the limit is encoded once
 * more at the bitrate its duration allows, and fails the conversion if it is still over. The temporary files are
 * deleted afterwards. The command lines are {@link FfmpegCommands}', the running of them {@link FfmpegProcess}'.
 */
public final class FfmpegConverter {

    private final String executable;
    private final Duration timeout;
    private final boolean available;
    private final FfmpegProcess process;

    /**
     * @param executable the ffmpeg command ({@code ffmpeg} on the PATH, or a path)
     * @param timeout    the longest one conversion may take
     * @param look       whether to find out if it runs here (false: {@link #available()} is false without a look)
     */
    public FfmpegConverter(String executable, Duration timeout, boolean look) {
        this.executable = executable;
        this.timeout = timeout;
        this.available = look && runs(executable);
        this.process = new FfmpegProcess(timeout);
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

    /**
     * The media converted to fit the plan: VIDEO to H.264 + AAC MP4; AUDIO to the plan's first target, AAC in MP4
     * ({@code audio/mp4}), Opus in Ogg ({@code audio/ogg}, WhatsApp's voice notes) or MP3 ({@code audio/mpeg}). When
     * the result is over the plan's limit, the duration of the input (as ffmpeg reads it) gives the bitrate that fits,
     * and the media is encoded once more at it; if that cannot fit either, the conversion fails saying why.
     */
    public Converted convert(byte[] input, FitPlan.Convert plan) throws ImageConverter.ConversionFailedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        FfmpegCommands.Target target = FfmpegCommands.Target.of(plan);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("auto-fit-");
            Path in = dir.resolve("input");
            Files.write(in, input);
            Path out = dir.resolve("output" + target.extension);
            run(FfmpegCommands.convert(executable, in, out, plan, target, null), deadline, plan, out);
            long size = Files.size(out);
            String description = target.description;
            if (size >= plan.maxBytes()) {
                double seconds = process.duration(FfmpegCommands.probe(executable, in), deadline);
                FfmpegCommands.Bitrate bitrate = FfmpegCommands.Bitrate.fitting(plan.maxBytes(), seconds, target.video);
                if (bitrate.tooLow()) {
                    throw new ImageConverter.ConversionFailedException("the converted " + target.description + " reached "
                            + Validator.humanSize(size) + ", over the " + Validator.humanSize(plan.maxBytes())
                            + " limit, and " + bitrate.why(seconds));
                }
                run(FfmpegCommands.convert(executable, in, out, plan, target, bitrate), deadline, plan, out);
                size = Files.size(out);
                description = target.description + " at " + bitrate.kilobits() + " to fit the limit";
                if (size >= plan.maxBytes()) {
                    throw new ImageConverter.ConversionFailedException("the converted " + target.description
                            + " stays over the " + Validator.humanSize(plan.maxBytes()) + " limit even at "
                            + bitrate.kilobits() + " for its " + String.format(java.util.Locale.ROOT, "%.1f", seconds) + " s");
                }
            }
            return new Converted(Files.readAllBytes(out), target.contentType, description);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while converting with ffmpeg", e);
        } finally {
            FfmpegProcess.delete(dir);
        }
    }

    /** Runs ffmpeg to write {@code out}, within what is left of the deadline. */
    private void run(List<String> command, long deadline, FitPlan.Convert plan, Path out)
            throws IOException, InterruptedException, ImageConverter.ConversionFailedException {
        process.run(command, deadline, "convert the " + plan.from(), out);
    }

    /**
     * The first frame of a video as a PNG (a thumbnail's poster frame, ARCHITECTURE §15), read by ffmpeg from a local
     * temporary file with no network protocol, within the time limit.
     */
    public byte[] firstFrame(byte[] input) throws ImageConverter.ConversionFailedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("poster-");
            Path in = dir.resolve("input");
            Files.write(in, input);
            Path out = dir.resolve("frame.png");
            process.run(FfmpegCommands.firstFrame(executable, in, out), deadline, "read a frame of the video", out);
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading a frame with ffmpeg", e);
        } finally {
            FfmpegProcess.delete(dir);
        }
    }
}
