package io.mediaplatform.callback.webhook.core;

/**
 * How a webhook attempt and its decision are written down: in the outbox's attempt rows and delivery states, in the
 * meters' tags and in the log line. One place, so that the three never disagree.
 */
public final class AttemptReport {

    private AttemptReport() {
    }

    /** The HTTP status the endpoint answered, or null when it did not answer. */
    public static Integer statusCode(AttemptResult result) {
        return result instanceof AttemptResult.Responded r ? r.statusCode() : null;
    }

    /** The attempt's error for its row: null for a successful answer. */
    public static String error(AttemptResult result) {
        return switch (result) {
            case AttemptResult.Responded r -> r.successful() ? null : describe(r);
            case AttemptResult.Errored e -> describe(e);
            case AttemptResult.Blocked b -> describe(b);
        };
    }

    /** What happened, for the log line. */
    public static String describe(AttemptResult result) {
        return switch (result) {
            case AttemptResult.Responded r -> "HTTP " + r.statusCode();
            case AttemptResult.Errored e -> e.error();
            case AttemptResult.Blocked b -> "blocked: " + b.error();
        };
    }

    /** The {@code outcome} tag of the attempt meters. */
    public static String outcome(AttemptResult result) {
        return switch (result) {
            case AttemptResult.Responded r -> r.successful() ? "delivered" : "http_" + r.statusCode();
            case AttemptResult.Errored e -> "error";
            case AttemptResult.Blocked b -> "blocked";
        };
    }

    /** The {@code result} tag of the delivery meter: its state after the decision, {@code retry} for PENDING. */
    public static String result(DeliveryDecision decision) {
        String state = state(decision);
        return state.equals("PENDING") ? "retry" : state.toLowerCase(java.util.Locale.ROOT);
    }

    /** The delivery's state in the outbox after the decision. */
    public static String state(DeliveryDecision decision) {
        return switch (decision) {
            case DeliveryDecision.Delivered d -> "DELIVERED";
            case DeliveryDecision.RetryAt r -> "PENDING";
            case DeliveryDecision.Disable d -> "DISABLED";
            case DeliveryDecision.GiveUp g -> "FAILED";
        };
    }

    /** Whether the decision ends the delivery so that the ones held behind it may go (delivered or given up). */
    public static boolean releasesLater(DeliveryDecision decision) {
        return decision instanceof DeliveryDecision.Delivered || decision instanceof DeliveryDecision.GiveUp;
    }
}
