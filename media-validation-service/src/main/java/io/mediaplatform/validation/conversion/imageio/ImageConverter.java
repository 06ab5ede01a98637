package io.mediaplatform.validation.conversion.imageio;

import io.mediaplatform.validation.conversion.core.FitPlan;
import io.mediaplatform.validation.inspection.core.JpegMetadata;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Converts an image in the JVM (javax.imageio, with TwelveMonkeys' WebP reader) as a {@link FitPlan.Convert} asks:
 * the declared dimensions are read from the header and an image over {@code maxPixels} is refused before a pixel is
 * decoded (a small file can declare a gigapixel canvas); a GIF of more than one frame is refused (no still can stand
 * for it). The decoded image is turned upright by its EXIF orientation (JPEG), flattened on white for JPEG (PNG is
 * written instead, when allowed, for an image with transparency), and encoded at falling JPEG quality (0.85, 0.7, 0.55),
 * then smaller dimensions (by the square root of how far it is over), until it fits {@code maxBytes}. The result carries no metadata (javax.imageio writes none of EXIF, GPS,
 * XMP). The whole conversion is bounded by {@code timeout}; a decode that overruns it is aborted. At most one
 * conversion per core runs at a time (the others wait), so memory stays near cores x 12 bytes x {@code maxPixels}.
 * This class decodes (and bounds the work); {@link ImageEncoder} encodes to fit the size.
 */
public final class ImageConverter implements AutoCloseable {

    private final long maxPixels;
    private final Duration timeout;
    private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
    /** One conversion per core at a time: each holds a decoded image (4 bytes a pixel) and a copy or two of it. */
    private final Semaphore slots = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));

    public ImageConverter(long maxPixels, Duration timeout) {
        this.maxPixels = maxPixels;
        this.timeout = timeout;
    }

    /**
     * The converted image.
     *
     * @param bytes       the encoded image
     * @param contentType {@code image/jpeg} or {@code image/png}
     * @param width       its width in pixels
     * @param height      its height in pixels
     */
    public record Converted(byte[] bytes, String contentType, int width, int height) {
    }

    /** Why an image could not be converted (a sentence for the rejection). */
    public static final class ConversionFailedException extends Exception {
        public ConversionFailedException(String message) {
            super(message);
        }
    }

    /** The image converted to fit the plan. */
    public Converted convert(byte[] input, FitPlan.Convert plan) throws ConversionFailedException {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to convert the image", e);
        }
        try {
            return inSlot(plan.from(), reading -> run(input, plan, reading));
        } finally {
            slots.release();
        }
    }

    /**
     * The image decoded and turned upright by its EXIF orientation, under the same pixel limit, frame rule, timeout and
     * one-per-core bound as a conversion: what a thumbnail is made from ({@link Thumbnailer}).
     */
    public BufferedImage decodeUpright(byte[] input, String type) throws ConversionFailedException {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to decode the image", e);
        }
        try {
            return inSlot(type, reading -> decode(input, type, reading));
        } finally {
            slots.release();
        }
    }

    /** Work on an image that may be aborted through the reader it sets. */
    private interface Job<T> {
        T run(AtomicReference<ImageReader> reading) throws IOException, ConversionFailedException;
    }

    private <T> T inSlot(String from, Job<T> work) throws ConversionFailedException {
        AtomicReference<ImageReader> reading = new AtomicReference<>();
        Future<T> job = this.work.submit(() -> work.run(reading));
        try {
            return job.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            ImageReader reader = reading.get();
            if (reader != null) {
                reader.abort();
            }
            job.cancel(true);
            throw new ConversionFailedException("the conversion took longer than the " + timeout.toMillis() + " ms limit");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.cancel(true);
            throw new IllegalStateException("interrupted while converting the image", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConversionFailedException failed) {
                throw failed;
            }
            if (e.getCause() instanceof OutOfMemoryError) {
                throw new ConversionFailedException("the image is too large to decode in memory");
            }
            throw new ConversionFailedException("the " + from + " could not be decoded ("
                    + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage() + ")");
        }
    }

    private Converted run(byte[] input, FitPlan.Convert plan, AtomicReference<ImageReader> reading)
            throws IOException, ConversionFailedException {
        BufferedImage image = decode(input, plan.from(), reading);
        boolean png = image.getColorModel().hasAlpha() && plan.targets().contains("image/png")
                || !plan.targets().contains("image/jpeg");
        return png ? ImageEncoder.fitPng(image, plan.maxBytes()) : ImageEncoder.fitJpeg(image, plan.maxBytes());
    }

    private BufferedImage decode(byte[] input, String from, AtomicReference<ImageReader> reading)
            throws IOException, ConversionFailedException {
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(input))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ConversionFailedException("no decoder reads this " + from);
            }
            ImageReader reader = readers.next();
            reading.set(reader);
            try {
                reader.setInput(in, false, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > maxPixels) {
                    throw new ConversionFailedException("it declares " + width + " x " + height + " pixels ("
                            + megapixels(width * height) + "), over the " + megapixels(maxPixels) + " decoding limit");
                }
                if (from.equals("image/gif") && reader.getNumImages(true) > 1) {
                    throw new ConversionFailedException("it is an animated GIF, which no still image can stand for");
                }
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new ConversionFailedException("the conversion was stopped");
        }
        if (from.equals("image/jpeg")) {
            image = upright(image, JpegMetadata.read(input).orientation());
        }
        return image;
    }

    /** The image turned as its EXIF orientation (1 to 8) says it should be shown. */
    static BufferedImage upright(BufferedImage image, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = orientation >= 5;
        AffineTransform t = new AffineTransform();
        switch (orientation) {
            case 2 -> { t.translate(w, 0); t.scale(-1, 1); }
            case 3 -> { t.translate(w, h); t.rotate(Math.PI); }
            case 4 -> { t.translate(0, h); t.scale(1, -1); }
            case 5 -> { t.rotate(Math.PI / 2); t.scale(1, -1); }
            case 6 -> { t.translate(h, 0); t.rotate(Math.PI / 2); }
            case 7 -> { t.scale(-1, 1); t.translate(-h, 0); t.translate(0, w); t.rotate(3 * Math.PI / 2); }
            default -> { t.translate(0, w); t.rotate(3 * Math.PI / 2); }
        }
        BufferedImage turned = new BufferedImage(swap ? h : w, swap ? w : h, image.getColorModel().hasAlpha()
                ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = turned.createGraphics();
        g.drawImage(image, t, null);
        g.dispose();
        return turned;
    }

    private static String megapixels(long pixels) {
        return String.format(Locale.ROOT, "%.1f MP", pixels / 1_000_000.0);
    }

    /** Stops conversions still running (at shutdown). */
    @Override
    public void close() {
        work.shutdownNow();
    }
}
