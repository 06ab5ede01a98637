package io.mediaplatform.validation.inspection.core;

import io.mediaplatform.validation.policy.core.ContentProbe;
import io.mediaplatform.validation.policy.core.MediaTracks;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Answers the {@link ContentProbe} questions from a {@link ByteSource}, reading only what each answer needs:
 * <ul>
 *   <li>structure: a PNG must end with its {@code IEND} chunk, a JPEG with the {@code FFD9} end-of-image marker
 *       (trailing NUL or white-space padding allowed): one read of the last 64 bytes. So a file cut short, or
 *       one with something appended (a PDF after a PNG, a zip after a JPEG: polyglots), is refused;</li>
 *   <li>animation: a WebP whose {@code VP8X} header has the animation flag, or that has an {@code ANIM} chunk
 *       (first 64 bytes);</li>
 *   <li>tracks: {@link IsoBmff#tracks} for ISO base media types;</li>
 *   <li>location: {@link JpegMetadata#read} over a JPEG's first 64 KiB (served by the detection head).</li>
 * </ul>
 * Answers are computed once. Not thread-safe (one probe per media).
 */
public final class BytesProbe implements ContentProbe {

    private static final Set<String> ISO_BMFF = Set.of("video/mp4", "audio/mp4", "video/3gpp", "audio/3gpp",
            "video/3gpp2", "audio/3gpp2", "video/quicktime");
    private static final byte[] IEND = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};
    private static final int TAIL = 64;
    private static final int HEAD = 64 * 1024;

    private final ByteSource source;
    private final int maxMoovBytes;
    private MediaTracks tracks;

    public BytesProbe(ByteSource source, int maxMoovBytes) {
        this.source = source;
        this.maxMoovBytes = maxMoovBytes;
    }

    @Override
    public Optional<String> structureProblem(String contentType) {
        if ("image/png".equals(contentType)) {
            byte[] tail = tail();
            if (tail.length < IEND.length || !Arrays.equals(tail, tail.length - IEND.length, tail.length, IEND, 0, IEND.length)) {
                return Optional.of("truncated or corrupt PNG: it does not end with an IEND chunk"
                        + (indexOf(tail, "IEND".getBytes(StandardCharsets.US_ASCII)) >= 0 ? " (data follows it)" : ""));
            }
        } else if ("image/jpeg".equals(contentType)) {
            byte[] tail = tail();
            int end = tail.length;
            while (end > 0 && (tail[end - 1] == 0 || tail[end - 1] == '\n' || tail[end - 1] == '\r' || tail[end - 1] == ' ')) {
                end--;
            }
            if (end < 2 || (tail[end - 2] & 0xFF) != 0xFF || (tail[end - 1] & 0xFF) != 0xD9) {
                return Optional.of("truncated or corrupt JPEG: it does not end with the FFD9 end-of-image marker");
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean animated(String contentType) {
        if (!"image/webp".equals(contentType)) {
            return false;
        }
        byte[] head = source.read(0, TAIL);
        if (head.length < 21 || !ascii(head, 0, 4).equals("RIFF") || !ascii(head, 8, 4).equals("WEBP")) {
            return false;
        }
        if (ascii(head, 12, 4).equals("VP8X") && (head[20] & 0x02) != 0) {
            return true;
        }
        return indexOf(head, "ANIM".getBytes(StandardCharsets.US_ASCII)) >= 0;
    }

    @Override
    public Optional<MediaTracks> tracks(String contentType) {
        if (!ISO_BMFF.contains(contentType)) {
            return Optional.empty();
        }
        if (tracks == null) {
            tracks = IsoBmff.tracks(source, maxMoovBytes);
        }
        return Optional.of(tracks);
    }

    /** For a JPEG: whether the metadata segments within the first 64 KiB (the detection head) name a location. */
    @Override
    public boolean carriesLocation(String contentType) {
        if (!"image/jpeg".equals(contentType)) {
            return false;
        }
        return JpegMetadata.read(source.read(0, (int) Math.min(source.size(), HEAD))).location();
    }

    private byte[] tail() {
        long size = source.size();
        long from = Math.max(0, size - TAIL);
        return source.read(from, (int) (size - from));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String ascii(byte[] b, int offset, int length) {
        return offset + length > b.length ? "" : new String(b, offset, length, StandardCharsets.ISO_8859_1);
    }
}
