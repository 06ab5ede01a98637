package io.mediaplatform.validation.inbox.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsReadinessTest {

    @Test
    void opens_when_loaded_and_stops_waiting_after_one_time_out() throws Exception {
        // Given settings not loaded yet
        SettingsReadiness readiness = new SettingsReadiness();

        // When media waits longer than allowed, it goes on, and does not wait again
        assertThat(readiness.await(Duration.ofMillis(50))).isFalse();
        long start = System.nanoTime();
        assertThat(readiness.await(Duration.ofSeconds(30))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));

        // Then once loaded it is open
        readiness.markLoaded();
        assertThat(readiness.await(Duration.ofSeconds(30))).isTrue();
        assertThat(readiness.isLoaded()).isTrue();
    }
}
