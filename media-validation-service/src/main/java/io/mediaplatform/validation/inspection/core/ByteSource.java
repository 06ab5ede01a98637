package io.mediaplatform.validation.inspection.core;

/**
 * Random access to a media's bytes, one range at a time (a ranged GET on object storage, or an array in tests).
 */
public interface ByteSource {

    /** The media's size in bytes. */
    long size();

    /** Bytes {@code [offset, offset + length)}, fewer at the end of the media. */
    byte[] read(long offset, int length);

    /** A source over bytes held in memory. */
    static ByteSource of(byte[] bytes) {
        return new ByteSource() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public byte[] read(long offset, int length) {
                if (offset >= bytes.length || length <= 0) {
                    return new byte[0];
                }
                int end = (int) Math.min(bytes.length, offset + length);
                return java.util.Arrays.copyOfRange(bytes, (int) offset, end);
            }
        };
    }

    /**
     * This source with its first bytes already known ({@code head}, read for type detection): reads that fall
     * inside the head are served from memory.
     */
    default ByteSource withHead(byte[] head) {
        ByteSource source = this;
        return new ByteSource() {
            @Override
            public long size() {
                return source.size();
            }

            @Override
            public byte[] read(long offset, int length) {
                if (offset + length <= head.length || (head.length >= source.size() && offset < head.length)) {
                    int end = (int) Math.min(head.length, offset + length);
                    return java.util.Arrays.copyOfRange(head, (int) offset, end);
                }
                return source.read(offset, length);
            }
        };
    }
}
