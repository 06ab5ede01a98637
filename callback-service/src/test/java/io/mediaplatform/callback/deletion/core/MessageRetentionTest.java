package io.mediaplatform.callback.deletion.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class MessageRetentionTest {

    @Test
    void message_retention_is_off_by_default_and_otherwise_cuts_at_its_age() {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");

        assertThat(new MessageRetention(Duration.ZERO).cutoff(now)).isEmpty();
        assertThat(new MessageRetention(null).enabled()).isFalse();
        assertThat(new MessageRetention(Duration.ofDays(30)).cutoff(now)).contains(Instant.parse("2026-11-01T00:00:00Z"));
    }
}
