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

    /** Hands one message to the provider, once. */
    SendResult send(OutboundSend send);
}
