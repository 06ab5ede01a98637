package io.mediaplatform.dispatch.inbound.core;

import io.mediaplatform.dispatch.webhook.core.ReplayGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Takes a customer's message read from a signed provider webhook: routes it by provider and business address
 * ({@link InboundRoutes}), gives it its deterministic ids ({@link InboundIds}) and hands it to the {@link InboundSink}
 * — a routed one onto {@code message.inbound.v1}, one without a route onto the dead letters with reason
 * {@link #NO_ROUTE} (the provider is still answered 2xx so it does not retry forever, and nothing is lost).
 *
 * <p>Replays: the message is an event named by provider, business address and provider message id; one already taken
 * (see {@link ReplayGuard}) is not handed over again. The event is remembered only once the sink returned, so a
 * webhook whose publish failed is taken in full when the provider sends it again; and a re-delivery that is taken
 * again (the guard forgot it, or another instance got it) still carries the same ids.
 */
public final class InboundService {

    /** Dead-letter reason of a message whose business address has no route. */
    public static final String NO_ROUTE = "NO_ROUTE";

    /** What became of a message. */
    public enum Outcome {
        /** Routed and on {@code message.inbound.v1}. */
        PUBLISHED,
        /** No route: on the dead letters with reason {@link #NO_ROUTE}. */
        UNROUTED,
        /** Already taken (a replay or a re-delivery): nothing published. */
        REPLAYED,
        /** Being taken by another request right now: nothing published, the provider should send it again later. */
        IN_PROGRESS
    }

    private static final Logger log = LoggerFactory.getLogger(InboundService.class);

    private final InboundRoutes routes;
    private final InboundSink sink;
    private final Clock clock;

    public InboundService(InboundRoutes routes, InboundSink sink, Clock clock) {
        this.routes = Objects.requireNonNull(routes, "routes");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Routes and publishes one message; a failure of the sink propagates and nothing is remembered.
     *
     * @param message what the provider announced
     * @param replays the events already taken
     */
    public Outcome take(ProviderMessage message, ReplayGuard replays) {
        Optional<InboundRoutes.Route> route = routes.find(message.provider(), message.to());
        InboundMessage inbound = message(message, route.orElse(null), clock.instant());
        String event = ReplayGuard.key("inbound", message.provider(), message.to(), message.providerMessageId());
        ReplayGuard.Verdict verdict = replays.once(event, () -> {
            if (inbound.routed()) {
                sink.publish(inbound);
            } else {
                sink.deadLetter(inbound, NO_ROUTE, "no INBOUND_ROUTES entry for " + message.provider() + ":"
                        + message.to());
            }
        });
        return switch (verdict) {
            case FIRST -> {
                if (inbound.routed()) {
                    log.info("Inbound {} message {} with {} media for tenant {} inbox {} published as {}",
                            message.provider(), message.providerMessageId(), inbound.attachments().size(),
                            inbound.tenantId(), inbound.inboxId(), messageIds(inbound));
                    yield Outcome.PUBLISHED;
                }
                log.warn("Inbound {} message {} to {} has no route (INBOUND_ROUTES): dead-lettered with reason {}",
                        message.provider(), message.providerMessageId(), message.to(), NO_ROUTE);
                yield Outcome.UNROUTED;
            }
            case REPLAY -> {
                log.info("Inbound {} message {} already taken (replayed or re-delivered): not published again",
                        message.provider(), message.providerMessageId());
                yield Outcome.REPLAYED;
            }
            case IN_PROGRESS -> Outcome.IN_PROGRESS;
        };
    }

    /**
     * The platform's message for what a provider announced: the route's tenant and inbox (or
     * {@link InboundMessage#UNROUTED_TENANT} without one), the ids of each media, the conversation id, and the
     * provider's time or else the webhook's.
     *
     * @param route      the route, or null
     * @param receivedAt when the webhook was taken
     */
    public static InboundMessage message(ProviderMessage message, InboundRoutes.Route route, Instant receivedAt) {
        String tenant = route == null ? InboundMessage.UNROUTED_TENANT : route.tenantId();
        String inbox = route == null ? null : route.inboxId();
        List<InboundAttachment> attachments = new ArrayList<>();
        for (int i = 0; i < message.media().size(); i++) {
            ProviderMessage.Media media = message.media().get(i);
            attachments.add(new InboundAttachment(i,
                    InboundIds.messageId(tenant, message.provider(), message.providerMessageId(), i),
                    InboundIds.mediaId(tenant, message.provider(), message.providerMessageId(), i),
                    media.kind(), media.voice(), media.providerMediaId(), media.url(), media.contentType(),
                    media.sha256(), media.caption(), media.fileName()));
        }
        return new InboundMessage(message.occurredAt() != null ? message.occurredAt() : receivedAt, receivedAt, tenant,
                inbox, message.channel(), message.provider(), message.providerMessageId(), message.from(),
                message.to(), InboundIds.conversationId(message.channel(), message.from()), message.text(),
                attachments);
    }

    private static List<String> messageIds(InboundMessage message) {
        return message.attachments().stream().map(InboundAttachment::messageId).toList();
    }
}
