package io.mediaplatform.dispatch.status.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TwilioAndNotifyStatusesTest {

    @Test
    void twilio_words_map_onto_platform_states_and_in_flight_words_are_ignored() {
        // Then sent/delivered/read map one to one, undelivered/failed/canceled are FAILED
        assertThat(TwilioStatuses.normalise("sent")).contains(DeliveryState.SENT);
        assertThat(TwilioStatuses.normalise("DELIVERED")).contains(DeliveryState.DELIVERED);
        assertThat(TwilioStatuses.normalise("read")).contains(DeliveryState.READ);
        assertThat(TwilioStatuses.normalise("undelivered")).contains(DeliveryState.FAILED);
        assertThat(TwilioStatuses.normalise("failed")).contains(DeliveryState.FAILED);
        assertThat(TwilioStatuses.normalise("canceled")).contains(DeliveryState.FAILED);
        // And queued/sending are in-flight words, ignored on purpose; unknown words too
        assertThat(TwilioStatuses.normalise("queued")).isEmpty();
        assertThat(TwilioStatuses.normalise("sending")).isEmpty();
        assertThat(TwilioStatuses.inFlight("sending")).isTrue();
        assertThat(TwilioStatuses.normalise("received")).isEmpty();
        assertThat(TwilioStatuses.normalise(null)).isEmpty();
    }

    @Test
    void notification_api_words_map_onto_platform_states() {
        assertThat(NotifyStatuses.normalise("SENT")).contains(DeliveryState.SENT);
        assertThat(NotifyStatuses.normalise("delivered")).contains(DeliveryState.DELIVERED);
        assertThat(NotifyStatuses.normalise("READ")).contains(DeliveryState.READ);
        assertThat(NotifyStatuses.normalise("undelivered")).contains(DeliveryState.FAILED);
        assertThat(NotifyStatuses.normalise("queued")).isEmpty();
    }
}
