package io.mediaplatform.simulator;

import java.util.Objects;

/** Builder of a {@link NotifySimulator}. */
public final class NotifySimulatorBuilder extends SimulatorBuilder<NotifySimulatorBuilder> {

    String apiKey;
    String webhookSecret;
    String sender = NotifySimulator.DEFAULT_SENDER;
    String inboundWebhookUrl;

    NotifySimulatorBuilder() {
    }

    /** Where customers' messages are posted: the platform's notification-API status webhook (may be set later). */
    public NotifySimulatorBuilder inboundWebhookUrl(String inboundWebhookUrl) {
        this.inboundWebhookUrl = inboundWebhookUrl;
        return this;
    }

    /** The business sender id customers write to by default ({@value NotifySimulator#DEFAULT_SENDER}). */
    public NotifySimulatorBuilder sender(String sender) {
        this.sender = Objects.requireNonNull(sender);
        return this;
    }

    /** The key senders must present as {@code Authorization: Bearer}. */
    public NotifySimulatorBuilder apiKey(String apiKey) {
        this.apiKey = apiKey;
        return this;
    }

    /** Standard Webhooks secret signing the callbacks ({@code whsec_<base64>} or plain text). */
    public NotifySimulatorBuilder webhookSecret(String webhookSecret) {
        this.webhookSecret = webhookSecret;
        return this;
    }

    public NotifySimulator build() {
        return new NotifySimulator(this);
    }
}
