package io.mediaplatform.validation.conversion.ffmpeg;

import io.mediaplatform.validation.conversion.imageio.ImageConverter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one ffmpeg command as {@link FfmpegConverter} needs it: with no standard input, what it prints read on the side
 * (its first 64 KB, for the error), killed when the deadline of the whole conversion passes, its failure said in a
 * sentence; and removes the temporary files afterwards.
 */
final class FfmpegProcess {

    private static final int MAX_ERROR_CHARS = 300;

    private final Duration timeout;

    /** @param timeout the longest one conversion may take (named in the error when it is overrun) */
    FfmpegProcess(Duration timeout) {
        this.timeout = timeout;
    }

    /** Runs ffmpeg to write {@code out}, within what is left of the deadline; {@code what} it does, for the error. */
    void run(List<String> command, long deadline, String what, Path out)
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

    /**
     * The input's duration in seconds as ffmpeg reads it from the container ({@code Duration: 00:00:01.00}), or 0;
     * {@code probe} is {@link FfmpegCommands#probe}.
     */
    double duration(List<String> probe, long deadline) throws IOException, InterruptedException,
            ImageConverter.ConversionFailedException {
        Process process = new ProcessBuilder(probe).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String said = new String(waitFor(process, deadline), StandardCharsets.UTF_8);
        java.util.regex.Matcher matcher = DURATION.matcher(said);
        if (!matcher.find()) {
            return 0;
        }
        return Integer.parseInt(matcher.group(1)) * 3600.0 + Integer.parseInt(matcher.group(2)) * 60.0
                + Double.parseDouble(matcher.group(3));
    }

    /** Deletes a temporary directory and what is in it. */
    static void delete(Path dir) {
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
