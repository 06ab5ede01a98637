package io.mediaplatform.ingest.fallback.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Channel fallback's decision: when an attempt with a plan ends FAILED or REJECTED, is there a next channel, and what is
 * the next attempt. The next attempt is a message of its own whose id is derived from the client's message id and the
 * attempt number, so a trigger delivered twice makes the same follow-up (which dispatch and callback already
 * deduplicate by message id).
 */
public final class FallbackDecision {

    /**
     * Rejections no other channel can mend: the media cannot be had (FETCH_FAILED) or must not travel (MALWARE).
     */
    static final Set<String> FINAL_REASONS = Set.of("FETCH_FAILED", "MALWARE");

    private FallbackDecision() {
    }

    /** What to do about an ended attempt. */
    public sealed interface Next {
    }

    /** Try the next channel with this follow-up. */
    public record TryNext(FollowUp followUp) implements Next {
    }

    /** Nothing more to try; {@code why} says so for the log. */
    public record Stop(String why) implements Next {
    }

    /**
     * The next attempt.
     *
     * @param messageId         its message id (deterministic, see {@link #followUpId})
     * @param eventId           its command's event id (deterministic too)
     * @param fallbackOf        the client's message id
     * @param attempt           its attempt number
     * @param channel           its channel
     * @param remainingChannels the channels after it
     * @param send              message and media
     */
    public record FollowUp(String tenantId, String messageId, String eventId, String fallbackOf, int attempt,
                           String channel, List<String> remainingChannels, FallbackPlan.Send send) {
    }

    /** Decides the next step of {@code plan}'s message after {@code trigger}. */
    public static Next next(FallbackPlan plan, FallbackTrigger trigger) {
        List<String> remaining = new ArrayList<>(plan.remainingChannels());
        remaining.removeIf(channel -> channel == null || channel.isBlank() || channel.equals(plan.channel()));
        if (remaining.isEmpty()) {
            return new Stop("no fallback channel left");
        }
        if (trigger.outcome() == FallbackTrigger.Outcome.REJECTED && trigger.reason() != null
                && FINAL_REASONS.contains(trigger.reason())) {
            return new Stop("rejected " + trigger.reason() + ": no channel can send this media");
        }
        FallbackPlan.Send send = plan.send();
        if (trigger.storedMediaId() != null && !trigger.storedMediaId().isBlank()) {
            send = send.withMedia(trigger.storedMediaId());
        }
        int attempt = plan.attempt() + 1;
        String id = followUpId(plan.rootMessageId(), attempt);
        return new TryNext(new FollowUp(plan.tenantId(), id, nameUuid(id + ":command"), plan.rootMessageId(), attempt,
                remaining.getFirst(), List.copyOf(remaining.subList(1, remaining.size())), send));
    }

    /** The message id of attempt {@code attempt} of the client's message {@code rootMessageId}. */
    public static String followUpId(String rootMessageId, int attempt) {
        return nameUuid(rootMessageId + ":" + attempt);
    }

    /**
     * The fallback channels of a command as an upstream system may send them: unknown names, the command's own channel
     * and repeats dropped, order kept, at most {@code max}.
     */
    public static List<String> usable(String channel, List<String> fallback, int max) {
        List<String> usable = new ArrayList<>();
        for (String next : fallback == null ? List.<String>of() : fallback) {
            if (next != null && !next.isBlank() && !next.equals("UNKNOWN") && !next.equals(channel)
                    && !usable.contains(next) && usable.size() < max) {
                usable.add(next);
            }
        }
        return List.copyOf(usable);
    }

    private static String nameUuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
