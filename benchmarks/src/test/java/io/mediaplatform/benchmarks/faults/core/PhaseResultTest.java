package io.mediaplatform.benchmarks.faults.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PhaseResultTest {

    @Test
    void aMessageTheProviderTookThreeTimesCountsAsTwoDoubledSendsAndOtherPhasesMessagesDoNotCount() {
        // Given the provider's accepted sends by message id, of this phase (a, b) and of another (x)
        List<String> sends = List.of("a", "a", "a", "b", "x", "x");
        // When the doubles of this phase are counted
        // Then a's two extra sends count, x's do not
        assertThat(PhaseResult.doubles(sends, Set.of("a", "b"))).isEqualTo(2);
    }

    @Test
    void onlyReadFailedAndRejectedAreFinal() {
        assertThat(PhaseResult.countFinal(Map.of("a", "READ", "b", "DELIVERED", "c", "FAILED", "d", "404", "e", "READ")))
                .containsExactly(Map.entry("FAILED", 1), Map.entry("READ", 2));
    }

    @Test
    void aPhaseWithAStuckMessageOrDoublesBeyondTheBoundOrAProblemNoteFails() {
        PhaseResult clean = new PhaseResult(new Fault.ServiceKill("dispatch"), 10, 10, Map.of("READ", 10), 0, 0, 2, 6,
                Duration.ofSeconds(3), List.of("down 5 s"));
        assertThat(clean.passed()).isTrue();
        assertThat(new PhaseResult(clean.fault(), 10, 10, Map.of("READ", 9), 0, 1, 0, 6, null, List.of()).passed()).isFalse();
        assertThat(new PhaseResult(clean.fault(), 10, 10, Map.of("READ", 10), 0, 0, 7, 6, Duration.ZERO, List.of()).passed()).isFalse();
        assertThat(new PhaseResult(clean.fault(), 10, 10, Map.of("READ", 10), 0, 0, 0, 6, Duration.ZERO, List.of("! poison")).passed())
                .isFalse();
    }

    @Test
    void faultsAreChosenByNameAndRunInTheHarnessOrder() {
        assertThat(Fault.parse("poison,kill-ingest").stream().map(Fault::name)).containsExactly("kill-ingest", "poison");
        assertThat(Fault.parse("all")).isEqualTo(Fault.ALL);
        assertThatThrownBy(() -> Fault.parse("kill-everything")).hasMessageContaining("unknown fault kill-everything");
    }

    @Test
    void theTableHasOneRowPerFaultWithItsBound() {
        PhaseResult row = new PhaseResult(new Fault.BrokerRestart(), 5, 5, Map.of("READ", 5), 0, 0, 1, 6,
                Duration.ofMillis(1500), List.of("broker down 9 s"));
        assertThat(ResultsTable.markdown(List.of(row)))
                .contains("| Kafka broker restart | 5 | 5 | READ 5 | 0 | 0 | 1 (≤ 6) | 1.5 s | broker down 9 s |");
    }
}
