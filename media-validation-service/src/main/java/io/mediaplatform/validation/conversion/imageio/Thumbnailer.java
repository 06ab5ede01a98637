package io.mediaplatform.validation.conversion.imageio;

import io.mediaplatform.validation.conversion.ffmpeg.FfmpegConverter;
import io.mediaplatform.validation.conversion.core.ThumbnailSize;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Makes the thumbnails of accepted media ({@link ThumbnailSize#ALL}) as JPEGs: images (JPEG, PNG, GIF, WebP) decoded
 * by the {@link ImageConverter} of auto-fit, with its decompression-bomb limit ({@code VALIDATION_FIT_MAX_PIXELS}, read
 * from the header before a pixel is decoded), timeout and EXIF orientation; MP4 and other video from its first frame,
 * read by ffmpeg where it runs here.
 */
public final class Thumbnailer {

    private static final Set<String> IMAGES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");
    private static final Set<String> VIDEOS = Set.of("video/mp4", "video/quicktime", "video/3gpp", "video/webm");

    private final ImageConverter images;
    private final FfmpegConverter ffmpeg;

    /** @param ffmpeg ffmpeg for video posters, or null where it does not run (video then gets no thumbnail, saying so) */
    public Thumbnailer(ImageConverter images, FfmpegConverter ffmpeg) {
        this.images = images;
        this.ffmpeg = ffmpeg;
    }

    /** One rendition. */
    public record Thumbnail(ThumbnailSize size, byte[] jpeg, int width, int height) {
    }

    /** Whether media of that detected type gets thumbnails. */
    public static boolean handles(String detectedType) {
        return IMAGES.contains(detectedType) || VIDEOS.contains(detectedType);
    }

    /**
     * The renditions of the media, smallest first.
     *
     * @throws ImageConverter.ConversionFailedException why none can be made (over the pixel limit, undecodable, no ffmpeg)
     */
    public List<Thumbnail> make(byte[] input, String detectedType) throws ImageConverter.ConversionFailedException {
        BufferedImage image;
        if (IMAGES.contains(detectedType)) {
            image = images.decodeUpright(input, detectedType);
        } else if (VIDEOS.contains(detectedType)) {
            if (ffmpeg == null) {
                throw new ImageConverter.ConversionFailedException("ffmpeg does not run here, so no frame of the video can be read");
            }
            image = images.decodeUpright(ffmpeg.firstFrame(input), "image/png");
        } else {
            throw new ImageConverter.ConversionFailedException(detectedType + " has no thumbnail");
        }
        BufferedImage opaque = ImageEncoder.opaque(image);
        List<Thumbnail> thumbnails = new ArrayList<>();
        for (ThumbnailSize size : ThumbnailSize.ALL) {
            ThumbnailSize.Draw draw = size.draw(opaque.getWidth(), opaque.getHeight());
            BufferedImage out = new BufferedImage(draw.width(), draw.height(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = out.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(opaque, 0, 0, draw.width(), draw.height(), draw.x(), draw.y(), draw.x() + draw.w(),
                    draw.y() + draw.h(), null);
            g.dispose();
            try {
                thumbnails.add(new Thumbnail(size, ImageEncoder.jpeg(out, 0.8f), draw.width(), draw.height()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return thumbnails;
    }
}
