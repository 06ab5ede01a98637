package io.mediaplatform.benchmarks.faults.core;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The harness's Markdown table: one row per fault. */
public final class ResultsTable {

    private ResultsTable() {
    }

    public static String markdown(List<PhaseResult> results) {
        StringBuilder out = new StringBuilder("| fault | sent | accepted | final statuses | lost | stuck | doubled sends (bound)"
                + " | drain after fault | notes |\n|---|---|---|---|---|---|---|---|---|\n");
        for (PhaseResult r : results) {
            String statuses = r.finalStatuses().isEmpty() ? "none" : r.finalStatuses().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
            out.append("| ").append(r.fault().description())
                    .append(" | ").append(r.sent())
                    .append(" | ").append(r.accepted())
                    .append(" | ").append(statuses)
                    .append(" | ").append(r.lost())
                    .append(" | ").append(r.stuck())
                    .append(" | ").append(r.doubled()).append(" (≤ ").append(r.doubleBound()).append(')')
                    .append(" | ").append(seconds(r.drain()))
                    .append(" | ").append(String.join("; ", r.notes()).replace("|", "\\|"))
                    .append(" |\n");
        }
        return out.toString();
    }

    static String seconds(Duration drain) {
        return drain == null ? "not drained" : String.format(Locale.ROOT, "%.1f s", drain.toMillis() / 1000.0);
    }

    /** Whether every phase passed (nothing lost or stuck, doubles within bounds, no problem noted). */
    public static boolean allPassed(List<PhaseResult> results) {
        return results.stream().allMatch(PhaseResult::passed);
    }
}
