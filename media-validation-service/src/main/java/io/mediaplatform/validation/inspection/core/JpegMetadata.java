package io.mediaplatform.validation.inspection.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The metadata segments of a JPEG, read and removed without touching the image: a JPEG is a run of marker segments
 * ({@code FF xx} + a 16-bit length) up to the start of scan ({@code FF DA}), after which the entropy-coded data runs to
 * the end. Location lives in {@code APP1} segments: EXIF (a TIFF structure whose IFD0 may point to a GPS IFD, tag
 * {@code 0x8825}) and XMP ({@code exif:GPSLatitude} and the like). {@link #withoutMetadata} drops every {@code APP1}
 * segment and copies the rest byte for byte, so the pixels are the same; an EXIF orientation other than 1 is kept in
 * a new EXIF segment holding that one tag, so the picture still shows upright.
 */
public final class JpegMetadata {

    private static final byte[] EXIF = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] XMP = "http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final int APP1 = 0xE1;
    private static final int SOS = 0xDA;
    private static final int EOI = 0xD9;
    private static final int ORIENTATION = 0x0112;
    private static final int GPS_IFD = 0x8825;

    private JpegMetadata() {
    }

    /**
     * What the segments before the image data say.
     *
     * @param exif        an EXIF segment is there
     * @param xmp         an XMP segment is there
     * @param location    the EXIF has a GPS IFD or the XMP names GPS fields
     * @param orientation EXIF orientation (1 to 8; 1 when absent)
     */
    public record Found(boolean exif, boolean xmp, boolean location, int orientation) {
        static final Found NONE = new Found(false, false, false, 1);
    }

    /** The metadata found in the segments that lie within {@code head} (the first bytes of a JPEG). */
    public static Found read(byte[] head) {
        if (head.length < 4 || (head[0] & 0xFF) != 0xFF || (head[1] & 0xFF) != 0xD8) {
            return Found.NONE;
        }
        boolean exif = false;
        boolean xmp = false;
        boolean location = false;
        int orientation = 1;
        int p = 2;
        while (p + 4 <= head.length) {
            if ((head[p] & 0xFF) != 0xFF) {
                break;
            }
            int marker = head[p + 1] & 0xFF;
            if (marker == 0xFF) {
                p++;
                continue;
            }
            if (marker == SOS || marker == EOI) {
                break;
            }
            if (standalone(marker)) {
                p += 2;
                continue;
            }
            int length = u16(head, p + 2, false);
            if (length < 2 || p + 2 + length > head.length) {
                break;
            }
            int payload = p + 4;
            int end = p + 2 + length;
            if (marker == APP1 && startsWith(head, payload, end, EXIF)) {
                exif = true;
                int[] tiff = exifFacts(head, payload + EXIF.length, end);
                orientation = tiff[0];
                location |= tiff[1] == 1;
            } else if (marker == APP1 && startsWith(head, payload, end, XMP)) {
                xmp = true;
                String text = new String(head, payload, end - payload, StandardCharsets.ISO_8859_1);
                location |= text.contains("GPSLatitude") || text.contains("GPSLongitude") || text.contains("exif:GPS");
            }
            p = end;
        }
        return new Found(exif, xmp, location, orientation);
    }

    /**
     * The JPEG without its {@code APP1} segments (EXIF, XMP), everything else byte for byte; with an orientation other
     * than 1, a minimal EXIF segment carrying just that orientation is written (after a JFIF APP0, which must stay first).
     *
     * @throws IllegalArgumentException when the bytes are no JPEG or its segments run past the end
     */
    public static byte[] withoutMetadata(byte[] jpeg, int orientation) {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            throw new IllegalArgumentException("not a JPEG (no FFD8 start-of-image marker)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length);
        out.write(jpeg, 0, 2);
        boolean orientationDue = orientation > 1 && orientation <= 8;
        int p = 2;
        while (p < jpeg.length) {
            if (p + 2 > jpeg.length || (jpeg[p] & 0xFF) != 0xFF) {
                throw new IllegalArgumentException("the JPEG's segments are broken at byte " + p);
            }
            int marker = jpeg[p + 1] & 0xFF;
            if (marker == 0xFF) {
                p++;
                continue;
            }
            if (orientationDue && marker != 0xE0) {
                out.writeBytes(orientationSegment(orientation)); // after a JFIF APP0, which must come first
                orientationDue = false;
            }
            if (marker == SOS || marker == EOI) {
                out.write(jpeg, p, jpeg.length - p);
                return out.toByteArray();
            }
            if (standalone(marker)) {
                out.write(jpeg, p, 2);
                p += 2;
                continue;
            }
            if (p + 4 > jpeg.length) {
                throw new IllegalArgumentException("the JPEG is cut inside a segment header at byte " + p);
            }
            int end = p + 2 + u16(jpeg, p + 2, false);
            if (end > jpeg.length || end < p + 4) {
                throw new IllegalArgumentException("a JPEG segment at byte " + p + " runs past the end of the file");
            }
            if (marker != APP1) {
                out.write(jpeg, p, end - p);
            }
            p = end;
        }
        throw new IllegalArgumentException("the JPEG has no image data (no start-of-scan marker)");
    }

    /** An APP1 EXIF segment whose IFD0 holds only the orientation tag (big-endian TIFF). */
    static byte[] orientationSegment(int orientation) {
        byte[] tiff = {
                'M', 'M', 0, 42, 0, 0, 0, 8,                     // header, IFD0 at 8
                0, 1,                                             // one entry
                0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, // Orientation, SHORT, 1
                0, 0, 0, 0};                                      // no next IFD
        int length = 2 + EXIF.length + tiff.length;
        ByteArrayOutputStream segment = new ByteArrayOutputStream();
        segment.write(0xFF);
        segment.write(APP1);
        segment.write(length >> 8);
        segment.write(length & 0xFF);
        segment.writeBytes(EXIF);
        segment.writeBytes(tiff);
        return segment.toByteArray();
    }

    /** {@code {orientation, 1 when IFD0 points to a GPS IFD}} from the TIFF structure in {@code [start, end)}. */
    private static int[] exifFacts(byte[] b, int start, int end) {
        int[] facts = {1, 0};
        if (start + 8 > end) {
            return facts;
        }
        boolean little = b[start] == 'I' && b[start + 1] == 'I';
        if (!little && !(b[start] == 'M' && b[start + 1] == 'M')) {
            return facts;
        }
        long ifd = u32(b, start + 4, little);
        if (ifd < 8 || start + ifd + 2 > end) {
            return facts;
        }
        int p = (int) (start + ifd);
        int count = u16(b, p, little);
        p += 2;
        for (int i = 0; i < count && p + 12 <= end; i++, p += 12) {
            int tag = u16(b, p, little);
            if (tag == ORIENTATION) {
                int value = u16(b, p + 8, little);
                facts[0] = value >= 1 && value <= 8 ? value : 1;
            } else if (tag == GPS_IFD) {
                facts[1] = 1;
            }
        }
        return facts;
    }

    private static boolean standalone(int marker) {
        return marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7);
    }

    private static boolean startsWith(byte[] b, int from, int end, byte[] prefix) {
        if (from + prefix.length > end) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int u16(byte[] b, int p, boolean little) {
        int first = b[p] & 0xFF;
        int second = b[p + 1] & 0xFF;
        return little ? first | (second << 8) : (first << 8) | second;
    }

    private static long u32(byte[] b, int p, boolean little) {
        long high = u16(b, little ? p + 2 : p, little);
        long low = u16(b, little ? p : p + 2, little);
        return (high << 16) | low;
    }
}
