package io.mediaplatform.validation.inspection.kafka;

import io.mediaplatform.common.core.StorageKeys;
import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.common.storage.StoredObject;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.RejectionReason;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.validation.MediaFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Media an upstream system stored in a bucket of its own and announced on media.received itself. */
class UpstreamMediaServiceTest extends ValidationServiceTestSupport {

    @Autowired
    S3AsyncClient s3;
    @Autowired
    S3Presigner presigner;

    private ObjectStorage upstream;

    @BeforeEach
    void upstreamBucket() {
        try {
            s3.createBucket(b -> b.bucket(UPSTREAM_BUCKET)).join();
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof BucketAlreadyOwnedByYouException)
                    && !String.valueOf(e.getCause().getMessage()).contains("BucketAlready")) {
                throw e;
            }
        }
        upstream = new ObjectStorage(s3, presigner, UPSTREAM_BUCKET, 5 << 20);
    }

    @Test
    void media_in_an_allowed_upstream_bucket_is_copied_into_the_media_bucket_and_validated_there() {
        // Given a PNG an upstream system stored in its own (allowed) bucket, announced with a platform-style media id
        byte[] png = MediaFiles.bytes("photo.png");
        StoredObject theirs = upstream.put("crm/attachments/" + UUID.randomUUID() + ".png", new ByteArrayInputStream(png),
                "image/png", Map.of(), 1 << 20);
        MediaReceived received = received(theirs, Direction.OUTBOUND, "photo.png", "image/png", null,
                message(MediaKind.IMAGE, null, null));

        // When it is validated
        publish(Topics.MEDIA_RECEIVED, "conv-upstream", received);

        // Then it is accepted, naming a copy under the media's key in the platform's bucket, with the same bytes
        MediaAccepted accepted = (MediaAccepted) decode(awaitAnswer(Topics.MEDIA_ACCEPTED_NAME, received));
        String mediaKey = StorageKeys.media("tenant-a", received.getMedia().getMediaId());
        assertThat(accepted.getMedia().getStorage().getBucket()).isEqualTo(storage.bucket());
        assertThat(accepted.getMedia().getStorage().getKey()).isEqualTo(mediaKey);
        assertThat(storage.readRange(mediaKey, 0, png.length + 1)).isEqualTo(png);
        // And the upstream's object is left as it was
        assertThat(upstream.head(theirs.key())).isPresent();
    }

    @Test
    void media_in_a_bucket_nobody_allowed_is_refused_naming_the_bucket_and_the_setting() {
        // Given media announced in a bucket this platform was not told to read
        StoredObject elsewhere = new StoredObject("someone-elses-bucket", "x/photo.png", 100, "00", null);
        MediaReceived received = received(elsewhere, Direction.OUTBOUND, "photo.png", "image/png", null,
                message(MediaKind.IMAGE, null, null));

        // When it is validated
        publish(Topics.MEDIA_RECEIVED, "conv-elsewhere", received);

        // Then it is refused FETCH_FAILED, saying where and what allows it
        MediaRejected rejected = (MediaRejected) decode(awaitAnswer(Topics.MEDIA_REJECTED_NAME, received));
        assertThat(rejected.getReason()).isEqualTo(RejectionReason.FETCH_FAILED);
        assertThat(rejected.getReasonMessage()).contains("someone-elses-bucket").contains("VALIDATION_UPSTREAM_BUCKETS");
    }

    @Test
    void media_gone_from_the_upstream_bucket_is_refused_as_gone() {
        StoredObject missing = new StoredObject(UPSTREAM_BUCKET, "crm/never-written.png", 100, "00", null);
        MediaReceived received = received(missing, Direction.OUTBOUND, "photo.png", "image/png", null,
                message(MediaKind.IMAGE, null, null));

        publish(Topics.MEDIA_RECEIVED, "conv-upstream-gone", received);

        MediaRejected rejected = (MediaRejected) decode(awaitAnswer(Topics.MEDIA_REJECTED_NAME, received));
        assertThat(rejected.getReason()).isEqualTo(RejectionReason.FETCH_FAILED);
        assertThat(rejected.getReasonMessage()).contains("gone from bucket " + UPSTREAM_BUCKET);
    }
}
