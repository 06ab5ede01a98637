package io.mediaplatform.ingest.fallback.core;

import java.util.Optional;
import java.util.function.Consumer;

/** Where fallback plans are kept, shared by every ingest instance. */
public interface FallbackPlans {

    /** Keeps a plan; a plan already kept for the same message is left as it is (a redelivered command). */
    void record(FallbackPlan plan);

    /**
     * Claims the plan of a message, so that only one trigger (on one instance) acts on it, and runs {@code act} while
     * the claim is still undecided: when {@code act} throws, the claim is undone and the plan may be claimed again.
     * Answers the claimed plan, or empty when there is none or another trigger claimed it first.
     */
    Optional<FallbackPlan> claim(String tenantId, String messageId, Consumer<FallbackPlan> act);
}
