package io.mediaplatform.dispatch.status.core;

import java.util.Locale;
import java.util.Optional;

/**
 * Normalises Twilio's {@code MessageStatus} words: {@code sent}, {@code delivered}, {@code read} map onto the same
 * states; {@code undelivered}, {@code failed} and {@code canceled} onto FAILED. The in-flight words
 * ({@code accepted}, {@code scheduled}, {@code queued}, {@code sending}) are ignored (empty): dispatch has already
 * published QUEUED when it handed the message over, and a second QUEUED after SENT would only clutter the history.
 * Inbound words and unknown words are ignored too.
 */
public final class TwilioStatuses {

    private TwilioStatuses() {
    }

    public static Optional<DeliveryState> normalise(String providerStatus) {
        if (providerStatus == null) {
            return Optional.empty();
        }
        return switch (providerStatus.trim().toLowerCase(Locale.ROOT)) {
            case "sent" -> Optional.of(DeliveryState.SENT);
            case "delivered" -> Optional.of(DeliveryState.DELIVERED);
            case "read" -> Optional.of(DeliveryState.READ);
            case "undelivered", "failed", "canceled" -> Optional.of(DeliveryState.FAILED);
            default -> Optional.empty();
        };
    }

    /** Whether the word is one Twilio uses for a message still on its way (ignored on purpose, not unknown). */
    public static boolean inFlight(String providerStatus) {
        return providerStatus != null && switch (providerStatus.trim().toLowerCase(Locale.ROOT)) {
            case "accepted", "scheduled", "queued", "sending" -> true;
            default -> false;
        };
    }
}
