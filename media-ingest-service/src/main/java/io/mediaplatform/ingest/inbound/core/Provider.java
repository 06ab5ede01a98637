package io.mediaplatform.ingest.inbound.core;

import java.util.Arrays;
import java.util.Optional;

/** The providers a customer's media can come from, by the name dispatch writes in {@code InboundMessage.provider}. */
public enum Provider {
    WHATSAPP("whatsapp"), TWILIO("twilio"), NOTIFY("notify");

    private final String wireName;

    Provider(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire ({@code whatsapp}, {@code twilio}, {@code notify}). */
    public String wireName() {
        return wireName;
    }

    /** The provider of that wire name (exact, lower case), or empty. */
    public static Optional<Provider> of(String wireName) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(wireName)).findFirst();
    }
}
