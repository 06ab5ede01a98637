package io.mediaplatform.callback.inbound.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ReceivedMessageTest {

    @Test
    void hands_out_a_link_to_accepted_media_only() {
        // Given the same customer's media accepted and rejected
        ReceivedMessage accepted = message(InboundStatus.ACCEPTED, null);
        ReceivedMessage malware = message(InboundStatus.REJECTED, "MALWARE");

        // Then only the accepted one is linked to, and an accepted message carries no reason
        assertThat(accepted.linkMediaId()).isEqualTo("media-1");
        assertThat(accepted.reason()).isNull();
        assertThat(accepted.reasonMessage()).isNull();
        assertThat(malware.linkMediaId()).isNull();
        assertThat(malware.reason()).isEqualTo("MALWARE");
    }

    @Test
    void has_no_link_without_a_media_id() {
        // Given / When an accepted message without any media facts / Then there is nothing to link to
        ReceivedMessage bare = new ReceivedMessage("e", "t", "m", InboundStatus.ACCEPTED, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, Instant.EPOCH, null);
        assertThat(bare.linkMediaId()).isNull();
        assertThat(bare.media().id()).isNull();
    }

    private static ReceivedMessage message(InboundStatus status, String reason) {
        return new ReceivedMessage("event-1", "tenant-a", "message-1", status, "WHATSAPP", "+15557654321", "106540352242922",
                "WHATSAPP:+15557654321", "inbox", "IMAGE", "Broken lid", null, "whatsapp", "wamid.1", null, reason,
                reason == null ? "accepted anyway" : "antivirus", Instant.EPOCH, Instant.EPOCH,
                new ReceivedMessage.Media("media-1", "image/jpeg", 10L, "ab"));
    }
}
