package io.mediaplatform.ingest.media.core;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a representation (RFC 9110 §14): {@code first} to {@code last} inclusive. Only single
 * ranges are served; a multi-range or malformed header is ignored (the whole content is sent), as RFC 9110
 * allows.
 */
public record ByteRange(long first, long last) {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    /** Thrown for a well-formed range that lies wholly outside the content (answer 416). */
    public static class NotSatisfiableException extends RuntimeException {
        public NotSatisfiableException() {
            super("The requested range lies outside the content");
        }
    }

    public long length() {
        return last - first + 1;
    }

    /** The HTTP {@code Range} value asking storage for exactly this range. */
    public String header() {
        return "bytes=" + first + "-" + last;
    }

    /** The {@code Content-Range} value of this range of content of {@code size} bytes. */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * The range a {@code Range} header asks for in content of {@code size} bytes, or empty to send it whole.
     *
     * @throws NotSatisfiableException when the range starts at or beyond the end of the content
     */
    public static Optional<ByteRange> parse(String header, long size) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty();
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    throw new NotSatisfiableException();
                }
                return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Long.parseLong(m.group(2));
            if (!m.group(2).isEmpty() && last < first) {
                return Optional.empty();
            }
            if (first >= size) {
                throw new NotSatisfiableException();
            }
            return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
