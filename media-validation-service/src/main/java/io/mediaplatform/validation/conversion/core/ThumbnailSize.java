package io.mediaplatform.validation.conversion.core;

import java.util.List;
import java.util.Optional;

/**
 * One thumbnail rendition (as Matrix Synapse makes them): {@code 96x96} cropped to fill the square exactly (a smaller
 * image is enlarged, so lists line up), {@code 320x240} and {@code 640x480} scaled to fit inside, never enlarged. Stored beside the media as
 * {@code <media key>.thumb-<width>x<height>.jpg}; a refusal (why none could be made) as {@code <media key>.thumb-refused.txt}.
 *
 * @param width  width of the box
 * @param height height of the box
 * @param crop   whether the image fills the box (cropped) rather than fits inside it
 */
public record ThumbnailSize(int width, int height, boolean crop) {

    /** Every rendition, smallest first. */
    public static final List<ThumbnailSize> ALL = List.of(new ThumbnailSize(96, 96, true),
            new ThumbnailSize(320, 240, false), new ThumbnailSize(640, 480, false));
    /** Suffix of the object telling why no thumbnail was made. */
    public static final String REFUSED_SUFFIX = ".thumb-refused.txt";

    /** {@code 96x96}. */
    public String label() {
        return width + "x" + height;
    }

    /** The key of this rendition of the media stored at {@code mediaKey}. */
    public String key(String mediaKey) {
        return mediaKey + ".thumb-" + label() + ".jpg";
    }

    /** The size called {@code label} ({@code 96x96}), if it is one. */
    public static Optional<ThumbnailSize> parse(String label) {
        return ALL.stream().filter(size -> size.label().equals(label)).findFirst();
    }

    /**
     * What to draw for an image of {@code sourceWidth x sourceHeight}: the region of the source and the output size.
     *
     * @param x      left of the source region
     * @param y      top of the source region
     * @param w      width of the source region
     * @param h      height of the source region
     * @param width  output width
     * @param height output height
     */
    public record Draw(int x, int y, int w, int h, int width, int height) {
    }

    public Draw draw(int sourceWidth, int sourceHeight) {
        if (crop) {
            double scale = Math.max((double) width / sourceWidth, (double) height / sourceHeight);
            int w = Math.max(1, (int) Math.min(sourceWidth, Math.round(width / scale)));
            int h = Math.max(1, (int) Math.min(sourceHeight, Math.round(height / scale)));
            return new Draw((sourceWidth - w) / 2, (sourceHeight - h) / 2, w, h, width, height);
        }
        double scale = Math.min(1, Math.min((double) width / sourceWidth, (double) height / sourceHeight));
        return new Draw(0, 0, sourceWidth, sourceHeight, Math.max(1, (int) Math.round(sourceWidth * scale)),
                Math.max(1, (int) Math.round(sourceHeight * scale)));
    }
}
