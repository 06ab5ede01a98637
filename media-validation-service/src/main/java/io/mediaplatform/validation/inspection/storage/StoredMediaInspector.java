package io.mediaplatform.validation.inspection.storage;

import io.mediaplatform.validation.inspection.tika.ContentDetector;
import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.validation.inspection.core.ByteSource;
import io.mediaplatform.validation.inspection.core.BytesProbe;
import io.mediaplatform.validation.policy.core.ContentProbe;
import io.mediaplatform.validation.policy.core.MediaTypes;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.Arrays;

/**
 * Looks at a stored media through ranged reads only: its head (one ranged GET of at most {@code headBytes})
 * goes, without the name, to the {@link ContentDetector}; further questions (the tail of a PNG or JPEG, the
 * {@code moov} box of an MP4) are answered by a {@link BytesProbe} reading just those ranges, reusing the head.
 */
public class StoredMediaInspector {

    private final ObjectStorage storage;
    private final ContentDetector detector;
    private final int headBytes;
    private final int maxMoovBytes;

    public StoredMediaInspector(ObjectStorage storage, ContentDetector detector, int headBytes, int maxMoovBytes) {
        this.storage = storage;
        this.detector = detector;
        this.headBytes = headBytes;
        this.maxMoovBytes = maxMoovBytes;
    }

    public StoredMediaInspector(ObjectStorage storage, ContentDetector detector, int headBytes) {
        this(storage, detector, headBytes, 8 << 20);
    }

    /**
     * The detected content type of the object.
     *
     * @param key  object key in the media bucket
     * @param size the object's size as recorded when it was stored (nothing is read for 0)
     * @throws MediaMissingException when there is no object under the key
     */
    public String detect(String key, long size) {
        return inspect(key, size).detectedType();
    }

    /**
     * The detected type and a probe for further questions about the object's bytes.
     *
     * @throws MediaMissingException when there is no object under the key
     */
    public Inspection inspect(String key, long size) {
        if (size <= 0) {
            return new Inspection(MediaTypes.UNKNOWN, ContentProbe.NONE, null);
        }
        StoredBytes stored = new StoredBytes(key, size);
        byte[] head;
        byte[] whole = null;
        if (size < headBytes) {
            // one byte more than the event says: only an object of exactly that size counts as read whole
            byte[] read = stored.fetch(0, (int) size + 1);
            whole = read.length == size ? read : null;
            head = read.length > size ? Arrays.copyOf(read, (int) size) : read;
        } else {
            head = stored.read(0, headBytes);
        }
        if (head.length == 0) {
            return new Inspection(MediaTypes.UNKNOWN, ContentProbe.NONE, null);
        }
        return new Inspection(detector.detect(head), new BytesProbe(stored.withHead(head), maxMoovBytes), whole);
    }

    /** The media bucket this inspector reads. */
    public String bucket() {
        return storage.bucket();
    }

    /**
     * What the inspection found.
     *
     * @param detectedType content type from the magic bytes
     * @param probe        answers structure, animation and track questions with further ranged reads
     * @param whole        every byte of the object when the head read took them all (media up to the head size),
     *                     else null: the antivirus scans these instead of reading the object again
     */
    public record Inspection(String detectedType, ContentProbe probe, byte[] whole) {
    }

    /** No stored object under the key the event named. */
    public static class MediaMissingException extends RuntimeException {
        public MediaMissingException(String key) {
            super("No stored object under key " + key);
        }
    }

    private final class StoredBytes implements ByteSource {
        private final String key;
        private final long size;

        StoredBytes(String key, long size) {
            this.key = key;
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public byte[] read(long offset, int length) {
            if (offset >= size || length <= 0) {
                return new byte[0];
            }
            return fetch(offset, (int) Math.min(length, size - offset));
        }

        /** Up to {@code length} bytes from {@code offset}, whatever size the event gave (fewer at the object's end). */
        byte[] fetch(long offset, int length) {
            try {
                return storage.readRange(key, offset, length);
            } catch (NoSuchKeyException e) {
                throw new MediaMissingException(key);
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    throw new MediaMissingException(key);
                }
                if (e.statusCode() == 416) {
                    return new byte[0];
                }
                throw e;
            }
        }
    }
}
