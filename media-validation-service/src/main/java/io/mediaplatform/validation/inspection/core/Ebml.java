package io.mediaplatform.validation.inspection.core;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads the DocType of an EBML file (Matroska, WebM) from its first bytes: the EBML header element
 * ({@code 1A 45 DF A3}) holds a {@code DocType} child ({@code 42 82}) naming the profile, {@code webm} or
 * {@code matroska}. Element IDs keep their length-marker bit, sizes drop it (RFC 8794 §4). Only the header is
 * read, never the segment.
 */
public final class Ebml {

    private static final long EBML_ID = 0x1A45DFA3L;
    private static final long DOCTYPE_ID = 0x4282L;
    private static final int MAX_DOCTYPE_LENGTH = 64;

    private Ebml() {
    }

    /** The DocType named in the EBML header at the start of {@code head}; empty when it is no EBML file or cut short. */
    public static Optional<String> docType(byte[] head) {
        long[] id = vint(head, 0, false);
        if (id == null || id[0] != EBML_ID) {
            return Optional.empty();
        }
        long[] size = vint(head, (int) id[1], true);
        if (size == null) {
            return Optional.empty();
        }
        int p = (int) size[1];
        long end = Math.min(head.length, p + size[0]);
        while (p < end) {
            long[] childId = vint(head, p, false);
            long[] childSize = childId == null ? null : vint(head, (int) childId[1], true);
            if (childSize == null) {
                return Optional.empty();
            }
            int payload = (int) childSize[1];
            if (childSize[0] < 0 || payload + childSize[0] > end) {
                return Optional.empty();
            }
            if (childId[0] == DOCTYPE_ID) {
                int length = (int) Math.min(childSize[0], MAX_DOCTYPE_LENGTH);
                String docType = new String(head, payload, length, StandardCharsets.US_ASCII);
                int nul = docType.indexOf('\0');
                return Optional.of(nul >= 0 ? docType.substring(0, nul) : docType);
            }
            p = (int) (payload + childSize[0]);
        }
        return Optional.empty();
    }

    /**
     * A variable-length integer at {@code p}: {@code {value, offset after it}}, or null when cut short or invalid.
     * IDs ({@code stripMarker} false) are up to 4 bytes with the marker kept, sizes up to 8 with it removed.
     */
    private static long[] vint(byte[] b, int p, boolean stripMarker) {
        if (p < 0 || p >= b.length) {
            return null;
        }
        int first = b[p] & 0xFF;
        int length = Integer.numberOfLeadingZeros(first) - 23;
        if (first == 0 || length > (stripMarker ? 8 : 4) || p + length > b.length) {
            return null;
        }
        long value = stripMarker ? first & (0xFF >> length) : first;
        for (int i = 1; i < length; i++) {
            value = (value << 8) | (b[p + i] & 0xFF);
        }
        return new long[]{value, p + length};
    }
}
