package io.mediaplatform.dispatch.inbound.core;

import java.util.Arrays;
import java.util.Optional;

/** The providers customers' media is downloaded from, by their name on the wire and in the endpoint's path. */
public enum InboundProvider {
    WHATSAPP("whatsapp", "WhatsApp"), TWILIO("twilio", "Twilio"), NOTIFY("notify", "The notification API");

    private final String wireName;
    private final String displayName;

    InboundProvider(String wireName, String displayName) {
        this.wireName = wireName;
        this.displayName = displayName;
    }

    /** {@code whatsapp}, {@code twilio}, {@code notify}: {@code InboundMessage.provider} and the endpoint's path. */
    public String wireName() {
        return wireName;
    }

    /** The name shown in failure texts ("WhatsApp", "Twilio", "The notification API"). */
    public String displayName() {
        return displayName;
    }

    /** The provider of that wire name (exact, lower case), or empty. */
    public static Optional<InboundProvider> of(String wireName) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(wireName)).findFirst();
    }
}
