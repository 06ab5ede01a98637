package io.mediaplatform.dispatch.status.core;

import java.util.Locale;
import java.util.Optional;

/**
 * Normalises the generic notification API's callback statuses (any case): {@code sent}, {@code delivered},
 * {@code read}; {@code failed}, {@code undelivered}, {@code rejected}, {@code error} as FAILED; anything else
 * (including {@code queued}/{@code accepted}, already published by dispatch) is ignored.
 */
public final class NotifyStatuses {

    private NotifyStatuses() {
    }

    public static Optional<DeliveryState> normalise(String providerStatus) {
        if (providerStatus == null) {
            return Optional.empty();
        }
        return switch (providerStatus.trim().toLowerCase(Locale.ROOT)) {
            case "sent" -> Optional.of(DeliveryState.SENT);
            case "delivered" -> Optional.of(DeliveryState.DELIVERED);
            case "read", "seen" -> Optional.of(DeliveryState.READ);
            case "failed", "undelivered", "rejected", "error" -> Optional.of(DeliveryState.FAILED);
            default -> Optional.empty();
        };
    }
}
