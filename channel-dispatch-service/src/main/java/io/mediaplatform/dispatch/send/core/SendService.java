package io.mediaplatform.dispatch.send.core;

import io.mediaplatform.dispatch.status.core.DeliveryState;
import io.mediaplatform.dispatch.status.core.StatusUpdate;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Sends a message through its channel's connector and says what to report: QUEUED before the provider is called,
 * then SENT with the provider's id or FAILED with the provider's error code (or {@code CHANNEL_NOT_CONFIGURED}
 * when no connector serves the channel). Retryable failures are retried in place by the {@link Sender}; whether a
 * round's failure is reported or waits for a later round is {@link NextStep}'s decision. The Kafka listeners publish
 * the statuses, in their transactions.
 */
public final class SendService {

    /** Reason of a FAILED status for a channel without a connector. */
    public static final String CHANNEL_NOT_CONFIGURED = "CHANNEL_NOT_CONFIGURED";

    private final Map<String, ProviderConnector> connectors;
    private final Map<String, Map<String, ProviderConnector>> tenantConnectors;
    private final Sender sender;
    private final Clock clock;

    public SendService(Collection<ProviderConnector> connectors, Sender sender, Clock clock) {
        this(connectors, Map.of(), sender, clock);
    }

    /**
     * @param tenantConnectors per tenant, the connector of a channel that tenant sends through instead of the
     *                         channel's default (e.g. one tenant's SMS through the notification API, the others'
     *                         through Twilio)
     */
    public SendService(Collection<ProviderConnector> connectors, Map<String, Map<String, ProviderConnector>> tenantConnectors,
                       Sender sender, Clock clock) {
        Map<String, ProviderConnector> byChannel = new java.util.HashMap<>();
        for (ProviderConnector connector : connectors) {
            for (String channel : connector.channels()) {
                ProviderConnector before = byChannel.putIfAbsent(channel, connector);
                if (before != null) {
                    throw new IllegalArgumentException("two connectors serve channel " + channel + ": "
                            + before.provider() + " and " + connector.provider());
                }
            }
        }
        this.connectors = Map.copyOf(byChannel);
        Map<String, Map<String, ProviderConnector>> byTenant = new java.util.HashMap<>();
        tenantConnectors.forEach((tenant, channels) -> byTenant.put(tenant, Map.copyOf(channels)));
        this.tenantConnectors = Map.copyOf(byTenant);
        this.sender = sender;
        this.clock = clock;
    }

    /** The connector serving a channel, if one is configured. */
    public Optional<ProviderConnector> connectorFor(String channel) {
        return Optional.ofNullable(connectors.get(channel));
    }

    /** The connector serving a tenant's channel: the tenant's own choice, else the channel's default. */
    public Optional<ProviderConnector> connectorFor(String tenantId, String channel) {
        ProviderConnector own = tenantConnectors.getOrDefault(tenantId, Map.of()).get(channel);
        return own != null ? Optional.of(own) : connectorFor(channel);
    }

    /**
     * One round of a send through the tenant's connector for its channel, publishing nothing: the provider that
     * answered (null when no connector serves the channel: {@value #CHANNEL_NOT_CONFIGURED}) and its answer.
     */
    public Attempt attempt(OutboundSend send) {
        Optional<ProviderConnector> connector = connectorFor(send.tenantId(), send.channel());
        if (connector.isEmpty()) {
            return new Attempt(null, new SendResult.Failed(CHANNEL_NOT_CONFIGURED,
                    "No provider connector is configured for channel " + send.channel(), false));
        }
        return new Attempt(connector.get().provider(), sender.send(connector.get(), send));
    }

    /** The provider that took a round of a send (null: none configured) and what it answered. */
    public record Attempt(String provider, SendResult result) {
    }

    /** The QUEUED status of a send, now; its detail says what validation converted, when it did. */
    public StatusUpdate queuedStatus(OutboundSend send) {
        return status(send, DeliveryState.QUEUED, null, null, null,
                send.conversion() == null ? null : send.conversion().description()).withConverted(send.conversion());
    }

    /** The SENT or FAILED status an attempt ends in, now. */
    public StatusUpdate outcome(OutboundSend send, Attempt attempt) {
        return switch (attempt.result()) {
            case SendResult.Sent sent -> status(send, DeliveryState.SENT, attempt.provider(), sent.providerMessageId(),
                    null, null);
            case SendResult.Failed failed -> status(send, DeliveryState.FAILED, attempt.provider(), null, failed.code(),
                    failed.message());
        };
    }

    /**
     * Sends an untracked message (e.g. an inbox's text back to a customer): retried like any send, but no status
     * is published since no client message stands behind it.
     */
    public SendResult sendUntracked(OutboundSend send) {
        return connectorFor(send.tenantId(), send.channel())
                .map(connector -> sender.send(connector, send))
                .orElseGet(() -> new SendResult.Failed(CHANNEL_NOT_CONFIGURED,
                        "No provider connector is configured for channel " + send.channel(), false));
    }

    private StatusUpdate status(OutboundSend send, DeliveryState state, String provider, String providerMessageId,
                                String reason, String detail) {
        return new StatusUpdate(send.tenantId(), send.messageId(), send.conversationId(), send.mediaId(), send.channel(),
                send.to(), state, clock.instant(), provider, providerMessageId, null, reason, detail);
    }
}
