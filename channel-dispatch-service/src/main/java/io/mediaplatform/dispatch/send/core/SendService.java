package io.mediaplatform.dispatch.send.core;

import io.mediaplatform.dispatch.status.core.DeliveryState;
import io.mediaplatform.dispatch.status.core.StatusSink;
import io.mediaplatform.dispatch.status.core.StatusUpdate;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Sends a message through its channel's connector and reports it: QUEUED before the provider is called, then
 * SENT with the provider's id or FAILED with the provider's error code (or {@code CHANNEL_NOT_CONFIGURED}
 * when no connector serves the channel). Retryable failures are retried in place by the {@link Sender}.
 */
public final class SendService {

    /** Reason of a FAILED status for a channel without a connector. */
    public static final String CHANNEL_NOT_CONFIGURED = "CHANNEL_NOT_CONFIGURED";

    private final Map<String, ProviderConnector> connectors;
    private final Map<String, Map<String, ProviderConnector>> tenantConnectors;
    private final Sender sender;
    private final StatusSink statuses;
    private final Clock clock;

    public SendService(Collection<ProviderConnector> connectors, Sender sender, StatusSink statuses, Clock clock) {
        this(connectors, Map.of(), sender, statuses, clock);
    }

    /**
     * @param tenantConnectors per tenant, the connector of a channel that tenant sends through instead of the
     *                         channel's default (e.g. one tenant's SMS through the notification API, the others'
     *                         through Twilio)
     */
    public SendService(Collection<ProviderConnector> connectors, Map<String, Map<String, ProviderConnector>> tenantConnectors,
                       Sender sender, StatusSink statuses, Clock clock) {
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
        this.statuses = statuses;
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
     * Sends a tracked message and publishes its QUEUED and then SENT or FAILED status under {@code key}.
     *
     * @return the final outcome
     */
    public SendResult dispatch(OutboundSend send, String key) {
        return dispatch(send, key, false, true);
    }

    /**
     * Sends a tracked message as one round of its delivery and publishes what the round decided under {@code key}:
     * QUEUED first unless {@code queuedAlready}; then SENT, or FAILED when the failure cannot pass, or when it might
     * but {@code lastRound} says no later round will try again. A retryable failure before the last round publishes
     * nothing: the message stays QUEUED for its next round.
     *
     * @return the outcome of this round
     */
    public SendResult dispatch(OutboundSend send, String key, boolean queuedAlready, boolean lastRound) {
        if (!queuedAlready) {
            queued(send, key);
        }
        Optional<ProviderConnector> connector = connectorFor(send.tenantId(), send.channel());
        if (connector.isEmpty()) {
            SendResult.Failed failed = new SendResult.Failed(CHANNEL_NOT_CONFIGURED,
                    "No provider connector is configured for channel " + send.channel(), false);
            statuses.publish(key, status(send, DeliveryState.FAILED, null, null, failed.code(), failed.message()));
            return failed;
        }
        String provider = connector.get().provider();
        SendResult result = sender.send(connector.get(), send);
        switch (result) {
            case SendResult.Sent sent -> statuses.publish(key,
                    status(send, DeliveryState.SENT, provider, sent.providerMessageId(), null, null));
            case SendResult.Failed failed when failed.retryable() && !lastRound -> {
                // a later round tries again: the message stays QUEUED
            }
            case SendResult.Failed failed -> statuses.publish(key,
                    status(send, DeliveryState.FAILED, provider, null, failed.code(), failed.message()));
        }
        return result;
    }

    /**
     * Publishes QUEUED for a message that waits (e.g. behind an earlier message of its conversation); its detail says
     * what validation converted, when it did.
     */
    public void queued(OutboundSend send, String key) {
        statuses.publish(key, status(send, DeliveryState.QUEUED, null, null, null,
                send.conversion() == null ? null : send.conversion().description()).withConverted(send.conversion()));
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
