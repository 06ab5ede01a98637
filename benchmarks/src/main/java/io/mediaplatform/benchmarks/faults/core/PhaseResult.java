package io.mediaplatform.benchmarks.faults.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one fault's phase came to.
 *
 * @param fault          the fault
 * @param sent           messages the clients sent (each retried with its Idempotency-Key until answered 202)
 * @param accepted       messages answered 202
 * @param finalStatuses  per final status, how many accepted messages ended there
 * @param lost           accepted messages the callback API does not know (404) at the end of the drain
 * @param stuck          accepted messages without a final status at the end of the drain
 * @param doubled        sends the provider took more than once for one message
 * @param doubleBound    the most the README allows for this fault
 * @param drain          from the fault's end (or the last accepted send, when later) until every accepted message
 *                       had a final status; null when they did not all get one
 * @param notes          what else was seen (poison records on the .dlt topics, webhooks); problems start with "!"
 */
public record PhaseResult(Fault fault, int sent, int accepted, Map<String, Integer> finalStatuses, int lost,
                          int stuck, int doubled, int doubleBound, Duration drain, List<String> notes) {

    /** READ, FAILED and REJECTED end a message; DELIVERED is followed by READ from the simulator. */
    public static final Set<String> FINAL = Set.of("READ", "FAILED", "REJECTED");

    public PhaseResult {
        finalStatuses = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(finalStatuses));
        notes = List.copyOf(notes);
    }

    public static boolean isFinal(String status) {
        return status != null && FINAL.contains(status);
    }

    /** Counts per final status of those statuses (message id → status; non-final ones left out). */
    public static SortedMap<String, Integer> countFinal(Map<String, String> statuses) {
        SortedMap<String, Integer> counts = new TreeMap<>();
        statuses.values().stream().filter(PhaseResult::isFinal).forEach(s -> counts.merge(s, 1, Integer::sum));
        return counts;
    }

    /**
     * Sends seen more than once: {@code sendsByMessage} lists the message id of every send the provider accepted
     * (any number of messages); only those of {@code phaseMessages} are counted.
     */
    public static int doubles(List<String> sendsByMessage, Set<String> phaseMessages) {
        Map<String, Long> counts = new java.util.HashMap<>();
        for (String id : sendsByMessage) {
            if (phaseMessages.contains(id)) {
                counts.merge(id, 1L, Long::sum);
            }
        }
        return (int) counts.values().stream().mapToLong(n -> n - 1).sum();
    }

    /** Nothing lost or stuck, doubles within the bound, no problem noted. */
    public boolean passed() {
        return lost == 0 && stuck == 0 && doubled <= doubleBound && notes.stream().noneMatch(n -> n.startsWith("!"));
    }
}
