package io.mediaplatform.dispatch.status.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WhatsAppStatusesTest {

    @Test
    void maps_sent_delivered_read_failed_onto_platform_states() {
        // When the four WhatsApp status words are normalised
        // Then each maps to its platform state, whatever its case
        assertThat(WhatsAppStatuses.normalise("sent")).contains(DeliveryState.SENT);
        assertThat(WhatsAppStatuses.normalise("delivered")).contains(DeliveryState.DELIVERED);
        assertThat(WhatsAppStatuses.normalise("READ")).contains(DeliveryState.READ);
        assertThat(WhatsAppStatuses.normalise("failed")).contains(DeliveryState.FAILED);
    }

    @Test
    void ignores_deleted_warning_unknown_and_missing_words() {
        // When statuses without a platform meaning are normalised
        // Then they are ignored
        assertThat(WhatsAppStatuses.normalise("deleted")).isEmpty();
        assertThat(WhatsAppStatuses.normalise("warning")).isEmpty();
        assertThat(WhatsAppStatuses.normalise("played")).isEmpty();
        assertThat(WhatsAppStatuses.normalise(null)).isEmpty();
    }
}
