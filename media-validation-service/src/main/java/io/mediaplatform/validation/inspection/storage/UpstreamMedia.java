package io.mediaplatform.validation.inspection.storage;

import io.mediaplatform.common.core.StorageKeys;
import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.StorageLocation;
import io.mediaplatform.validation.policy.core.Decision;
import io.mediaplatform.validation.policy.core.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.Set;
import java.util.TreeSet;

/**
 * Media an upstream system stored itself, in a bucket of its own on the same storage, and announced on
 * {@code media.received.v1}: judged when that bucket is allowed ({@code VALIDATION_UPSTREAM_BUCKETS}), by copying the
 * object (server-side) into the platform's bucket under the media's key ({@code tenants/<t>/media/<id>}) and judging
 * the copy like any media; the decision events name the copy, so download links, previews and retention work as for
 * an upload, and the upstream's bucket is never written. Media in any other bucket is refused FETCH_FAILED with a
 * reason that says which bucket and why, and reaches the client as any rejection does.
 */
public final class UpstreamMedia {

    private static final Logger log = LoggerFactory.getLogger(UpstreamMedia.class);

    private final ObjectStorage storage;
    private final Set<String> allowed;

    public UpstreamMedia(ObjectStorage storage, Set<String> allowedBuckets) {
        this.storage = storage;
        this.allowed = Set.copyOf(allowedBuckets);
        if (!allowed.isEmpty()) {
            log.info("media stored by upstream systems in {} is copied into {} and validated", new TreeSet<>(allowed),
                    storage.bucket());
        }
    }

    /**
     * Where the media of the event is judged.
     *
     * @param received the event to judge: as it came, or naming the copy in the platform's bucket (null when refused)
     * @param refused  why the media cannot be judged (null when it can)
     */
    public record Placed(MediaReceived received, Decision.Rejected refused) {
    }

    /** The event to judge, naming bytes in the platform's bucket, or why there are none. */
    public Placed place(MediaReceived received) {
        MediaRef media = received.getMedia();
        if (media.getStorage() == null) {
            return refused("The media is not stored anywhere the platform can read");
        }
        String bucket = media.getStorage().getBucket();
        if (storage.bucket().equals(bucket)) {
            return new Placed(received, null);
        }
        if (!allowed.contains(bucket)) {
            return refused("The media is stored in bucket " + bucket + ", which this platform does not read"
                    + " (buckets of upstream systems are allowed with VALIDATION_UPSTREAM_BUCKETS)");
        }
        if (!StorageKeys.isMediaId(media.getMediaId())) {
            return refused("Media " + media.getMediaId() + " from bucket " + bucket
                    + " needs a lower-case UUID as its media id to be stored here");
        }
        String target;
        try {
            target = StorageKeys.media(received.getTenantId(), media.getMediaId());
        } catch (IllegalArgumentException e) {
            return refused("Media from bucket " + bucket + " names an invalid tenant id");
        }
        String etag;
        try {
            etag = storage.copyFrom(bucket, media.getStorage().getKey(), target);
        } catch (NoSuchKeyException e) {
            return refused("The media is gone from bucket " + bucket);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return refused("The media is gone from bucket " + bucket);
            }
            if (e.statusCode() == 403) {
                return refused("The platform may not read bucket " + bucket + " (" + e.awsErrorDetails().errorCode() + ")");
            }
            throw e;
        }
        MediaRef copied = MediaRef.newBuilder(media).setStorage(new StorageLocation(storage.bucket(), target, etag)).build();
        log.info("media copied in tenant={} mediaId={} from={}/{} to={}", received.getTenantId(), media.getMediaId(),
                bucket, media.getStorage().getKey(), target);
        return new Placed(MediaReceived.newBuilder(received).setMedia(copied).build(), null);
    }

    private static Placed refused(String why) {
        return new Placed(null, new Decision.Rejected(Reason.FETCH_FAILED, why));
    }
}
