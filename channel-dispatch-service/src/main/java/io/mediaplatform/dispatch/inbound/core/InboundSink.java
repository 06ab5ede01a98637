package io.mediaplatform.dispatch.inbound.core;

/**
 * Where inbound messages go; both methods return only once the record is durable (the webhook is answered after),
 * and throw when it could not be written (the webhook is answered 503 and the provider sends it again).
 */
public interface InboundSink {

    /** A routed message, onto {@code message.inbound.v1}. */
    void publish(InboundMessage message);

    /**
     * A message that cannot be taken (e.g. no route), onto {@code message.inbound.v1.dlt} with the reason, so
     * nothing is lost.
     *
     * @param reason reason code (e.g. {@link InboundService#NO_ROUTE})
     * @param detail what happened, for an operator (no secret)
     */
    void deadLetter(InboundMessage message, String reason, String detail);
}
