package io.mediaplatform.dispatch.send.core;

/**
 * The port every channel provider's connector implements. A connector never throws for a provider's answer or
 * an unreachable provider: it returns {@link SendResult.Failed} and says whether the send may be retried.
 */
public interface ProviderConnector {

    /** Provider name as it appears on {@code message.status} ({@code whatsapp}, {@code twilio}, …). */
    String provider();

    /** Channel it sends on ({@code WHATSAPP}, …). */
    String channel();

    /** Every channel it serves (by default only {@link #channel()}). */
    default java.util.Set<String> channels() {
        return java.util.Set.of(channel());
    }

    /**
     * The sender identity a rate limit applies to (e.g. WhatsApp's phone-number-id, a Twilio {@code From}); by
     * default the provider as a whole.
     */
    default String senderOf(OutboundSend send) {
        return provider();
    }

    /** Hands one message to the provider, once. */
    SendResult send(OutboundSend send);
}
