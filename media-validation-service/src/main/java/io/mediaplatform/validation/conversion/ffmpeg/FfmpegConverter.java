package io.mediaplatform.validation.conversion.ffmpeg;

import io.mediaplatform.validation.conversion.imageio.ImageConverter;
import io.mediaplatform.validation.conversion.core.FitPlan;
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
 * H.264 + AAC in MP4 with {@code +faststart}, audio to AAC in MP4, Opus in Ogg or MP3 (the plan's first target).
 * ffmpeg reads and writes local temporary files only ({@code -protocol_whitelist file}: no network protocol can be
 * opened, whatever the input names), runs with no standard input, is killed when the whole conversion overruns
 * {@code timeout}, and may write at most the plan's size limit ({@code -fs}); a result over the limit is encoded once
 * more at the bitrate its duration allows, and fails the conversion if it is still over. The temporary files are
 * deleted afterwards.
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

    /**
     * The media converted to fit the plan: VIDEO to H.264 + AAC MP4; AUDIO to the plan's first target, AAC in MP4
     * ({@code audio/mp4}), Opus in Ogg ({@code audio/ogg}, WhatsApp's voice notes) or MP3 ({@code audio/mpeg}). When
     * the result is over the plan's limit, the duration of the input (as ffmpeg reads it) gives the bitrate that fits,
     * and the media is encoded once more at it; if that cannot fit either, the conversion fails saying why.
     */
    public Converted convert(byte[] input, FitPlan.Convert plan) throws ImageConverter.ConversionFailedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Target target = Target.of(plan);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("auto-fit-");
            Path in = dir.resolve("input");
            Files.write(in, input);
            Path out = dir.resolve("output" + target.extension);
            run(command(in, out, plan, target, null), deadline, plan, out);
            long size = Files.size(out);
            String description = target.description;
            if (size >= plan.maxBytes()) {
                double seconds = duration(in, deadline);
                Bitrate bitrate = Bitrate.fitting(plan.maxBytes(), seconds, target.video);
                if (bitrate.tooLow()) {
                    throw new ImageConverter.ConversionFailedException("the converted " + target.description + " reached "
                            + Validator.humanSize(size) + ", over the " + Validator.humanSize(plan.maxBytes())
                            + " limit, and " + bitrate.why(seconds));
                }
                run(command(in, out, plan, target, bitrate), deadline, plan, out);
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
            delete(dir);
        }
    }

    /** What a conversion writes: its type, ffmpeg's encoders and muxer, the file's extension and a few words on it. */
    private enum Target {
        VIDEO_MP4("video/mp4", ".mp4", "H.264 + AAC MP4", true),
        AUDIO_MP4("audio/mp4", ".m4a", "AAC MP4", false),
        AUDIO_OGG("audio/ogg", ".ogg", "Opus Ogg", false),
        AUDIO_MP3("audio/mpeg", ".mp3", "MP3", false);

        final String contentType;
        final String extension;
        final String description;
        final boolean video;

        Target(String contentType, String extension, String description, boolean video) {
            this.contentType = contentType;
            this.extension = extension;
            this.description = description;
            this.video = video;
        }

        static Target of(FitPlan.Convert plan) {
            if (plan.kind() == Kind.VIDEO) {
                return VIDEO_MP4;
            }
            return switch (plan.targets().getFirst()) {
                case "audio/ogg" -> AUDIO_OGG;
                case "audio/mpeg" -> AUDIO_MP3;
                default -> AUDIO_MP4;
            };
        }
    }

    /**
     * The bitrates that make a media of that duration fit a size: 85% of the bytes left after a container allowance
     * (an eighth of the limit, at most 64 KB), spread over the seconds; for video, the audio gets an eighth of it
     * (16 to 96 kbit/s) and the picture the rest.
     */
    record Bitrate(long totalBitsPerSecond, long videoBitsPerSecond, long audioBitsPerSecond, boolean video) {
        static final long MIN_VIDEO = 24_000;
        static final long MIN_AUDIO = 8_000;
        static final long MIN_VIDEO_AUDIO = 16_000;

        static Bitrate fitting(long maxBytes, double seconds, boolean video) {
            if (!(seconds > 0)) {
                return new Bitrate(0, 0, 0, video);
            }
            long payload = maxBytes - Math.min(64 << 10, maxBytes / 8);
            long total = (long) (payload * 8 * 0.85 / seconds);
            if (!video) {
                return new Bitrate(total, 0, Math.min(total, 320_000), false);
            }
            long audio = Math.max(MIN_VIDEO_AUDIO, Math.min(96_000, total / 8));
            return new Bitrate(total, total - audio, audio, true);
        }

        boolean tooLow() {
            return video ? totalBitsPerSecond < MIN_VIDEO + MIN_VIDEO_AUDIO : totalBitsPerSecond < MIN_AUDIO;
        }

        String why(double seconds) {
            if (!(seconds > 0)) {
                return "its duration is unknown, so no bitrate can be aimed at";
            }
            return "fitting its " + String.format(java.util.Locale.ROOT, "%.1f", seconds) + " s leaves "
                    + totalBitsPerSecond / 1000 + " kbit/s, below the " + (video
                    ? (MIN_VIDEO + MIN_VIDEO_AUDIO) / 1000 + " kbit/s (" + MIN_VIDEO / 1000 + " video, " + MIN_VIDEO_AUDIO / 1000
                            + " audio) an encode needs"
                    : MIN_AUDIO / 1000 + " kbit/s an audio encode needs");
        }

        String kilobits() {
            return video
                    ? videoBitsPerSecond / 1000 + " kbit/s video + " + audioBitsPerSecond / 1000 + " kbit/s audio"
                    : audioBitsPerSecond / 1000 + " kbit/s";
        }
    }

    private List<String> command(Path in, Path out, FitPlan.Convert plan, Target target, Bitrate bitrate) {
        List<String> command = new ArrayList<>(List.of(executable, "-nostdin", "-hide_banner", "-loglevel", "error",
                "-protocol_whitelist", "file", "-i", in.toString()));
        String audioRate = bitrate == null ? null : Long.toString(bitrate.audioBitsPerSecond());
        switch (target) {
            case VIDEO_MP4 -> {
                command.addAll(List.of("-map", "0:v:0", "-map", "0:a:0?", "-c:v", "libx264", "-preset", "veryfast",
                        "-pix_fmt", "yuv420p", "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2"));
                if (bitrate == null) {
                    command.addAll(List.of("-crf", "28"));
                } else {
                    String rate = Long.toString(bitrate.videoBitsPerSecond());
                    command.addAll(List.of("-b:v", rate, "-maxrate", rate, "-bufsize", rate));
                }
                command.addAll(List.of("-c:a", "aac", "-b:a", audioRate == null ? "96k" : audioRate,
                        "-movflags", "+faststart", "-f", "mp4"));
            }
            case AUDIO_MP4 -> command.addAll(List.of("-map", "0:a:0", "-vn", "-c:a", "aac", "-b:a",
                    audioRate == null ? "96k" : audioRate, "-movflags", "+faststart", "-f", "mp4"));
            case AUDIO_OGG -> command.addAll(List.of("-map", "0:a:0", "-vn", "-c:a", "libopus", "-b:a",
                    audioRate == null ? "48k" : audioRate, "-f", "ogg"));
            case AUDIO_MP3 -> command.addAll(List.of("-map", "0:a:0", "-vn", "-c:a", "libmp3lame", "-b:a",
                    audioRate == null ? "96k" : audioRate, "-f", "mp3"));
        }
        command.addAll(List.of("-map_metadata", "-1", "-fs", Long.toString(plan.maxBytes()), "-y", out.toString()));
        return command;
    }

    /** Runs ffmpeg to write {@code out}, within what is left of the deadline. */
    private void run(List<String> command, long deadline, FitPlan.Convert plan, Path out)
            throws IOException, InterruptedException, ImageConverter.ConversionFailedException {
        run(command, deadline, "convert the " + plan.from(), out);
    }

    /** Runs ffmpeg to write {@code out}, within what is left of the deadline; {@code what} it does, for the error. */
    private void run(List<String> command, long deadline, String what, Path out)
            throws IOException, InterruptedException, ImageConverter.ConversionFailedException {
        Files.deleteIfExists(out);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close(); // no standard input (and -nostdin)
        byte[] log = waitFor(process, deadline);
        if (process.exitValue() != 0 || !Files.exists(out)) {
            String said = new String(log, StandardCharsets.UTF_8).strip();
            throw new ImageConverter.ConversionFailedException("ffmpeg could not " + what + " ("
                    + (said.isEmpty() ? "exit " + process.exitValue() : said.substring(0, Math.min(MAX_ERROR_CHARS, said.length())))
                    + ")");
        }
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
            run(List.of(executable, "-nostdin", "-hide_banner", "-loglevel", "error", "-protocol_whitelist", "file",
                    "-i", in.toString(), "-map", "0:v:0", "-frames:v", "1", "-f", "image2", "-c:v", "png", "-y",
                    out.toString()), deadline, "read a frame of the video", out);
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

    /** What ffmpeg said (its first 64 KB), once it ended; killed at the deadline. */
    private byte[] waitFor(Process process, long deadline) throws IOException, InterruptedException,
            ImageConverter.ConversionFailedException {
        try (InputStream messages = process.getInputStream()) {
            java.util.concurrent.CompletableFuture<byte[]> said = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return messages.readNBytes(64 << 10);
                } catch (IOException e) {
                    return new byte[0];
                }
            }, Thread::startVirtualThread);
            if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                throw new ImageConverter.ConversionFailedException("ffmpeg took longer than the " + timeout.toMillis()
                        + " ms limit");
            }
            try {
                return said.get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return new byte[0];
            }
        }
    }

    private static final java.util.regex.Pattern DURATION =
            java.util.regex.Pattern.compile("Duration: (\\d+):(\\d{2}):(\\d{2}(?:\\.\\d+)?)");

    /** The input's duration in seconds as ffmpeg reads it from the container ({@code Duration: 00:00:01.00}), or 0. */
    private double duration(Path in, long deadline) throws IOException, InterruptedException,
            ImageConverter.ConversionFailedException {
        Process process = new ProcessBuilder(executable, "-nostdin", "-hide_banner", "-protocol_whitelist", "file",
                "-i", in.toString()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String said = new String(waitFor(process, deadline), StandardCharsets.UTF_8);
        java.util.regex.Matcher matcher = DURATION.matcher(said);
        if (!matcher.find()) {
            return 0;
        }
        return Integer.parseInt(matcher.group(1)) * 3600.0 + Integer.parseInt(matcher.group(2)) * 60.0
                + Double.parseDouble(matcher.group(3));
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
