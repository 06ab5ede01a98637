package io.mediaplatform.benchmarks.conversion;

import io.mediaplatform.benchmarks.report.Table;
import io.mediaplatform.validation.conversion.ffmpeg.FfmpegConverter;
import io.mediaplatform.validation.conversion.imageio.ImageConverter;
import io.mediaplatform.validation.conversion.core.FitPlan;
import io.mediaplatform.validation.policy.core.Decision;
import io.mediaplatform.validation.policy.core.Kind;
import io.mediaplatform.validation.policy.core.Reason;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * What auto-fit's conversions cost (ARCHITECTURE §5): the converters media-validation-service runs, per kind — a WebP photo to
 * JPEG, a noisy PNG downscaled to a JPEG of a sixteenth of its bytes (in the JVM), an H.265 MP4 to H.264 + AAC and MP3-in-MP4
 * audio to AAC (ffmpeg) — in ms (median of the runs) and MB/s of input, against the baseline of a plain copy of the
 * same bytes through a temporary file (what a conversion at least costs: ffmpeg reads and writes such files). No
 * storage or Kafka: the conversion alone. The A/V rows are left out, saying why, where ffmpeg does not run.
 */
public final class ConversionBenchmark {

    private final int runs;
    private final int pngPixels;
    private final Path media;
    private final String ffmpeg;

    /**
     * @param runs      timed runs per kind, after one warm-up
     * @param pngPixels width and height of the noisy PNG downscaled (1400: about 5.6 MB, over WhatsApp's 5 MB)
     * @param media     the directory of the validation tests' media (photo.webp, clip-h265.mp4, voice-mp3.m4a)
     * @param ffmpeg    the ffmpeg executable
     */
    public ConversionBenchmark(int runs, int pngPixels, Path media, String ffmpeg) {
        this.runs = runs;
        this.pngPixels = pngPixels;
        this.media = media;
        this.ffmpeg = ffmpeg;
    }

    /** One kind of conversion: its input and how it is converted. */
    private record Case(String name, byte[] input, Conversion conversion) {
    }

    @FunctionalInterface
    private interface Conversion {
        byte[] convert(byte[] input) throws Exception;
    }

    public Table run() throws Exception {
        ImageConverter images = new ImageConverter(50_000_000, Duration.ofMinutes(5));
        FfmpegConverter av = new FfmpegConverter(ffmpeg, Duration.ofMinutes(5), true);
        List<Case> cases = new ArrayList<>();
        byte[] webp = Files.readAllBytes(media.resolve("photo.webp"));
        cases.add(new Case("image webp→jpeg", webp, input -> images.convert(input,
                plan(Kind.IMAGE, "image/webp", List.of("image/jpeg", "image/png"), 5L << 20)).bytes()));
        byte[] png = noisyPng(pngPixels);
        long pngLimit = Math.max(16 << 10, png.length / 16); // under what JPEG quality alone reaches: fewer pixels
        cases.add(new Case("png downscale", png, input -> images.convert(input,
                plan(Kind.IMAGE, "image/png", List.of("image/jpeg", "image/png"), pngLimit)).bytes()));
        if (av.available()) {
            cases.add(new Case("hevc→h264", Files.readAllBytes(media.resolve("clip-h265.mp4")), input -> av.convert(input,
                    plan(Kind.VIDEO, "video/mp4", List.of("video/mp4"), 16L << 20)).bytes()));
            cases.add(new Case("mp3-in-mp4→aac", Files.readAllBytes(media.resolve("voice-mp3.m4a")), input -> av.convert(input,
                    plan(Kind.AUDIO, "audio/mp4", List.of("audio/mp4"), 16L << 20)).bytes()));
        }
        Table table = new Table("Auto-fit conversions, median of " + runs + " run(s) after a warm-up (ms; MB/s of input)",
                "auto-fit conversion", "baseline (plain copy via temp file)");
        try {
            for (Case one : cases) {
                byte[] output = one.conversion().convert(one.input());
                copy(one.input());
                double converting = median(one, one.conversion());
                double copying = median(one, ConversionBenchmark::copy);
                table.row(one.name() + ": ms", converting, copying);
                table.row(one.name() + ": MB/s", megabytesPerSecond(one.input().length, converting),
                        megabytesPerSecond(one.input().length, copying));
                table.text(one.name() + ": bytes", one.input().length + " → " + output.length,
                        one.input().length + " → " + one.input().length);
            }
        } finally {
            images.close();
        }
        if (!av.available()) {
            table.text("hevc→h264, mp3-in-mp4→aac", "not run: " + ffmpeg + " does not run here", "");
        }
        return table;
    }

    private double median(Case one, Conversion conversion) throws Exception {
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            long started = System.nanoTime();
            conversion.convert(one.input());
            millis[i] = (System.nanoTime() - started) / 1e6;
        }
        Arrays.sort(millis);
        return millis[runs / 2];
    }

    private static double megabytesPerSecond(long bytes, double millis) {
        return millis <= 0 ? 0 : bytes / 1e6 / (millis / 1000);
    }

    /** The baseline: the bytes written to a temporary file and read back. */
    private static byte[] copy(byte[] input) throws IOException {
        Path file = Files.createTempFile("conversion-baseline-", ".bin");
        try {
            Files.write(file, input);
            return Files.readAllBytes(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static FitPlan.Convert plan(Kind kind, String from, List<String> targets, long maxBytes) {
        return new FitPlan.Convert(new Decision.Rejected(Reason.UNSUPPORTED_TYPE,
                from + " is not allowed (benchmark)"), kind, from, targets, maxBytes);
    }

    /** A PNG of noise (which PNG cannot shrink), {@code pixels} x {@code pixels}, seeded so every run has the same. */
    private static byte[] noisyPng(int pixels) throws IOException {
        BufferedImage image = new BufferedImage(pixels, pixels, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(16);
        for (int y = 0; y < pixels; y++) {
            for (int x = 0; x < pixels; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** The table as the Markdown file {@code conversion.md} under {@code dir}. */
    public static Path write(Table table, String command, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("conversion.md");
        Files.writeString(file, "# Auto-fit conversion cost\n\nMade with `" + command + "` (Java " + Runtime.version()
                + ", " + Runtime.getRuntime().availableProcessors() + " processors). Ratio: conversion / baseline.\n\n"
                + table.markdown());
        return file;
    }
}
