package io.mediaplatform.validation.detection;

import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.validation.policy.core.MediaTypes;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Detects the type of a stored media by reading only its head (one ranged GET of at most {@code headBytes})
 * and handing the bytes, without the name, to the {@link ContentDetector}.
 */
public class StoredMediaInspector {

    private final ObjectStorage storage;
    private final ContentDetector detector;
    private final int headBytes;

    public StoredMediaInspector(ObjectStorage storage, ContentDetector detector, int headBytes) {
        this.storage = storage;
        this.detector = detector;
        this.headBytes = headBytes;
    }

    /**
     * The detected content type of the object.
     *
     * @param key  object key in the media bucket
     * @param size the object's size as recorded when it was stored (nothing is read for 0)
     * @throws MediaMissingException when there is no object under the key
     */
    public String detect(String key, long size) {
        if (size <= 0) {
            return MediaTypes.UNKNOWN;
        }
        try {
            return detector.detect(storage.readRange(key, 0, Math.min(headBytes, size)));
        } catch (NoSuchKeyException e) {
            throw new MediaMissingException(key);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new MediaMissingException(key);
            }
            if (e.statusCode() == 416) {
                return MediaTypes.UNKNOWN;
            }
            throw e;
        }
    }

    /** The media bucket this inspector reads. */
    public String bucket() {
        return storage.bucket();
    }

    /** No stored object under the key the event named. */
    public static class MediaMissingException extends RuntimeException {
        public MediaMissingException(String key) {
            super("No stored object under key " + key);
        }
    }
}
