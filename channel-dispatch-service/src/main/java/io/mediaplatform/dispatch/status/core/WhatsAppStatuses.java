package io.mediaplatform.dispatch.status.core;

import java.util.Locale;
import java.util.Optional;

/**
 * Normalises WhatsApp Cloud API status words: {@code sent}, {@code delivered}, {@code read}, {@code failed}
 * map onto the platform's states; {@code deleted}, {@code warning} and anything unknown are ignored (empty).
 */
public final class WhatsAppStatuses {

    private WhatsAppStatuses() {
    }

    public static Optional<DeliveryState> normalise(String providerStatus) {
        if (providerStatus == null) {
            return Optional.empty();
        }
        return switch (providerStatus.trim().toLowerCase(Locale.ROOT)) {
            case "sent" -> Optional.of(DeliveryState.SENT);
            case "delivered" -> Optional.of(DeliveryState.DELIVERED);
            case "read" -> Optional.of(DeliveryState.READ);
            case "failed" -> Optional.of(DeliveryState.FAILED);
            default -> Optional.empty();
        };
    }
}
