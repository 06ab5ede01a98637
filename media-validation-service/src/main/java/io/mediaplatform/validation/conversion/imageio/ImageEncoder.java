package io.mediaplatform.validation.conversion.imageio;

import io.mediaplatform.validation.policy.core.Validator;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Encodes a decoded image to fit a size, as {@link ImageConverter} and {@link Thumbnailer} write it: JPEG at falling
 * quality (0.85, 0.7, 0.55) and then smaller dimensions (by the square root of how far it is over), or PNG at smaller
 * dimensions, flattened on white for JPEG; what javax.imageio writes carries no metadata (no EXIF, GPS or XMP).
 */
final class ImageEncoder {

    private static final float[] QUALITIES = {0.85f, 0.7f, 0.55f};
    private static final int MIN_SIDE = 16;
    private static final int MAX_SHRINKS = 8;

    private ImageEncoder() {
    }

    static ImageConverter.Converted fitJpeg(BufferedImage source, long maxBytes) throws IOException, ImageConverter.ConversionFailedException {
        BufferedImage image = opaque(source);
        long smallest = Long.MAX_VALUE;
        for (int shrink = 0; shrink <= MAX_SHRINKS; shrink++) {
            long size = Long.MAX_VALUE;
            for (float quality : QUALITIES) {
                byte[] jpeg = jpeg(image, quality);
                if (jpeg.length <= maxBytes) {
                    return new ImageConverter.Converted(jpeg, "image/jpeg", image.getWidth(), image.getHeight());
                }
                size = jpeg.length;
                smallest = Math.min(smallest, size);
                if (size > 2 * maxBytes) {
                    break; // lower quality will not get there: fewer pixels will
                }
            }
            image = scaled(image, size, maxBytes);
            if (image == null) {
                break;
            }
        }
        throw new ImageConverter.ConversionFailedException("no JPEG of it came under " + Validator.humanSize(maxBytes)
                + " (smallest " + Validator.humanSize(smallest) + ")");
    }

    static ImageConverter.Converted fitPng(BufferedImage source, long maxBytes) throws IOException, ImageConverter.ConversionFailedException {
        BufferedImage image = source;
        long size = Long.MAX_VALUE;
        for (int shrink = 0; shrink <= MAX_SHRINKS; shrink++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            if (out.size() <= maxBytes) {
                return new ImageConverter.Converted(out.toByteArray(), "image/png", image.getWidth(), image.getHeight());
            }
            size = out.size();
            image = scaled(image, size, maxBytes);
            if (image == null) {
                break;
            }
        }
        throw new ImageConverter.ConversionFailedException("no PNG of it came under " + Validator.humanSize(maxBytes)
                + " (smallest " + Validator.humanSize(size) + ")");
    }

    static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** The image shrunk so that {@code size} bytes would come to about {@code maxBytes}; null when it is already tiny. */
    private static BufferedImage scaled(BufferedImage image, long size, long maxBytes) {
        double factor = Math.min(0.9, Math.sqrt((double) maxBytes / size) * 0.95);
        int width = (int) (image.getWidth() * factor);
        int height = (int) (image.getHeight() * factor);
        if (width < MIN_SIDE || height < MIN_SIDE) {
            return null;
        }
        BufferedImage scaled = new BufferedImage(width, height, image.getColorModel().hasAlpha()
                ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        return scaled;
    }

    /** An RGB copy, transparency flattened on white (JPEG has no alpha). */
    static BufferedImage opaque(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return rgb;
    }
}
