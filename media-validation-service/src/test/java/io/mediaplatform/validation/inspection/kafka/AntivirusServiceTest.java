package io.mediaplatform.validation.inspection.kafka;

import io.mediaplatform.common.storage.StoredObject;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.RejectionReason;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.validation.antivirus.clamd.ClamdProcess;
import io.mediaplatform.validation.antivirus.clamd.MalwareGate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Antivirus through a real clamd (started by {@link ValidationServiceTestSupport} when {@code /usr/sbin/clamd}
 * is installed: Debian package clamav-daemon) whose only signature is EICAR.
 */
class AntivirusServiceTest extends ValidationServiceTestSupport {

    @BeforeEach
    void needsClamd() {
        assumeTrue(CLAMD != null, "clamd is not installed (/usr/sbin/clamd, Debian package clamav-daemon): antivirus tests skipped");
    }

    @Test
    void rejects_a_document_carrying_the_eicar_test_string_as_MALWARE_and_quarantines_it() {
        // Given a text document with the EICAR test string inside
        byte[] infected = ("Meeting notes\n" + ClamdProcess.eicar() + "\nend of notes\n").getBytes(StandardCharsets.US_ASCII);
        StoredObject stored = storeBytes(infected, "text/plain");
        MediaReceived received = received(stored, Direction.OUTBOUND, "notes.txt", "text/plain", null,
                message(MediaKind.DOCUMENT, null, "notes.txt"));

        // When it is validated
        publish(Topics.MEDIA_RECEIVED, "conv-eicar", received);

        // Then it is rejected as MALWARE naming the signature
        MediaRejected rejected = (MediaRejected) decode(awaitAnswer(Topics.MEDIA_REJECTED_NAME, received));
        assertThat(rejected.getReason()).isEqualTo(RejectionReason.MALWARE);
        assertThat(rejected.getReasonMessage()).contains("Test.EICAR");
        // And the object moved to quarantine/<key>
        assertThat(storage.head(stored.key())).isEmpty();
        assertThat(storage.head(MalwareGate.QUARANTINE_PREFIX + stored.key())).isPresent();
    }

    @Test
    void accepts_a_clean_png_after_scanning_it() {
        StoredObject stored = store("photo.png", "image/png");
        MediaReceived received = received(stored, Direction.OUTBOUND, "photo.png", "image/png", null,
                message(MediaKind.IMAGE, null, null));

        publish(Topics.MEDIA_RECEIVED, "conv-clean", received);

        assertThat(decode(awaitAnswer(Topics.MEDIA_ACCEPTED_NAME, received))).isInstanceOf(MediaAccepted.class);
        assertThat(storage.head(stored.key())).isPresent();
    }

    @Test
    void never_accepts_media_unscanned_while_clamd_is_down_and_answers_once_it_is_back() {
        // Given clamd stopped
        CLAMD.stop();
        MediaReceived received;
        try {
            StoredObject stored = store("photo.png", "image/png");
            received = received(stored, Direction.OUTBOUND, "photo.png", "image/png", null,
                    message(MediaKind.IMAGE, null, null));

            // When a clean PNG arrives
            publish(Topics.MEDIA_RECEIVED, "conv-clamd-down", received);

            // Then it stays unanswered while clamd is down (the record is retried, not accepted unscanned)
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).pollInSameThread().until(() -> {
                drain();
                return answersTo(received.getEventId()).isEmpty();
            });
        } finally {
            // When clamd comes back
            CLAMD.launch();
        }
        // Then the retried record is scanned and accepted, once
        assertThat(decode(awaitAnswer(Topics.MEDIA_ACCEPTED_NAME, received))).isInstanceOf(MediaAccepted.class);
    }

    @Test
    void rejects_a_document_larger_than_clamd_scans_as_TOO_LARGE_instead_of_accepting_it_unscanned() {
        // Given a text document 1 MB over what the test clamd scans (the policy allows 100 MB)
        byte[] text = "lorem ipsum dolor sit amet\n".repeat((ClamdProcess.STREAM_MAX_MB + 1) * 1024 * 1024 / 27 + 1)
                .getBytes(StandardCharsets.US_ASCII);
        StoredObject stored = storeBytes(text, "text/plain");
        MediaReceived received = received(stored, Direction.OUTBOUND, "big.txt", "text/plain", null,
                message(MediaKind.DOCUMENT, null, "big.txt"));

        // When
        publish(Topics.MEDIA_RECEIVED, "conv-unscannable", received);

        // Then it is refused, saying why
        MediaRejected rejected = (MediaRejected) decode(awaitAnswer(Topics.MEDIA_REJECTED_NAME, received));
        assertThat(rejected.getReason()).isEqualTo(RejectionReason.TOO_LARGE);
        assertThat(rejected.getReasonMessage()).contains("antivirus");
    }
}
