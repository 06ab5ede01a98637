package io.mediaplatform.validation.inspection.kafka;

import io.mediaplatform.common.storage.StoredObject;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.RejectionReason;
import io.mediaplatform.schemas.topics.Topics;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Messages naming a media validated lately: what its bytes are and that the antivirus passed them is used again,
 * once a HEAD finds the object still stored as the event says.
 */
class RecentInspectionsServiceTest extends ValidationServiceTestSupport {

    @Test
    void a_media_named_again_is_accepted_without_a_second_scan() {
        assumeTrue(CLAMD != null, "clamd is not installed (/usr/sbin/clamd, Debian package clamav-daemon): test skipped");
        // Given a clean PNG validated once (scanned by clamd, which logs each clean scan)
        long before = CLAMD.cleanScans();
        StoredObject stored = store("photo.png", "image/png");
        acceptedAsImage(stored, "conv-first");
        await().atMost(Duration.ofSeconds(10)).until(() -> CLAMD.cleanScans() == before + 1);

        // When another message in another conversation names the same stored media
        MediaAccepted accepted = acceptedAsImage(stored, "conv-again");

        // Then it is accepted, with the type detected the first time, and clamd scanned nothing more
        assertThat(accepted.getDetectedContentType()).isEqualTo("image/png");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> CLAMD.cleanScans() == before + 1);
    }

    @Test
    void a_media_named_again_is_still_judged_by_the_rules_of_its_own_message() {
        // Given a PNG accepted as a WhatsApp image
        StoredObject stored = store("photo.png", "image/png");
        acceptedAsImage(stored, "conv-image");

        // When a message names it declared as something else
        MediaReceived mislabelled = received(stored, Direction.OUTBOUND, "photo.pdf", "application/pdf", null,
                message(MediaKind.DOCUMENT, null, "photo.pdf"));
        publish(Topics.MEDIA_RECEIVED, "conv-mislabelled", mislabelled);

        // Then that message is rejected for what it declares, as without any memory of the first
        MediaRejected rejected = (MediaRejected) decode(awaitAnswer(Topics.MEDIA_REJECTED_NAME, mislabelled));
        assertThat(rejected.getReason()).isEqualTo(RejectionReason.TYPE_MISMATCH);
        assertThat(rejected.getDetectedContentType()).isEqualTo("image/png");
    }

    @Test
    void a_media_deleted_after_its_first_validation_is_FETCH_FAILED_for_the_next_message() {
        // Given a PNG accepted once, then deleted from storage
        StoredObject stored = store("photo.png", "image/png");
        acceptedAsImage(stored, "conv-before");
        storage.delete(stored.key());

        // When another message names it
        MediaReceived after = received(stored, Direction.OUTBOUND, "photo.png", "image/png", null,
                message(MediaKind.IMAGE, null, null));
        publish(Topics.MEDIA_RECEIVED, "conv-after", after);

        // Then it is rejected: the media is gone
        MediaRejected rejected = (MediaRejected) decode(awaitAnswer(Topics.MEDIA_REJECTED_NAME, after));
        assertThat(rejected.getReason()).isEqualTo(RejectionReason.FETCH_FAILED);
        assertThat(rejected.getReasonMessage()).contains("gone");
    }

    /** Publishes a WhatsApp image message of the stored media under that key and waits for its acceptance. */
    private MediaAccepted acceptedAsImage(StoredObject stored, String key) {
        MediaReceived received = received(stored, Direction.OUTBOUND, "photo.png", "image/png", null,
                message(MediaKind.IMAGE, null, null));
        publish(Topics.MEDIA_RECEIVED, key, received);
        return (MediaAccepted) decode(awaitAnswer(Topics.MEDIA_ACCEPTED_NAME, received));
    }
}
