package io.mediaplatform.dispatch.ledger.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SendLedgerTest {

    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void remembers_finished_messages_and_forgets_them_after_the_retention() {
        // Given a ledger keeping ids for one day, with one old and two recent ids
        SendLedger ledger = new SendLedger(Duration.ofDays(1));
        ledger.record("old", now.minus(Duration.ofDays(2)));
        ledger.recordAll(List.of("a", "b"), now.minusSeconds(60));

        // Then all three are known
        assertThat(ledger.finished("old")).isTrue();
        assertThat(ledger.finished("a")).isTrue();
        assertThat(ledger.finished("unknown")).isFalse();
        assertThat(ledger.finished(null)).isFalse();

        // When it is pruned
        int dropped = ledger.prune(now);

        // Then only the old one is forgotten
        assertThat(dropped).isEqualTo(1);
        assertThat(ledger.finished("old")).isFalse();
        assertThat(ledger.size()).isEqualTo(2);
    }

    @Test
    void a_later_record_of_the_same_id_keeps_the_latest_time() {
        // Given an id recorded long ago and again just now
        SendLedger ledger = new SendLedger(Duration.ofHours(1));
        ledger.record("m", now.minus(Duration.ofHours(5)));
        ledger.record("m", now);

        // When pruned
        ledger.prune(now);

        // Then it is still known
        assertThat(ledger.finished("m")).isTrue();
    }
}
