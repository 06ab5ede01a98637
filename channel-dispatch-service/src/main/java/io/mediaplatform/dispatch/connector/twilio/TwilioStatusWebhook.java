package io.mediaplatform.dispatch.connector.twilio;

import io.mediaplatform.dispatch.inbound.core.InboundService;
import io.mediaplatform.dispatch.inbound.core.ProviderMessage;
import io.mediaplatform.dispatch.status.core.DeliveryState;
import io.mediaplatform.dispatch.status.core.StatusSink;
import io.mediaplatform.dispatch.status.core.StatusUpdate;
import io.mediaplatform.dispatch.status.core.TwilioStatuses;
import io.mediaplatform.dispatch.webhook.core.ReplayGuard;
import io.mediaplatform.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a Twilio status callback into a platform status: checks {@code X-Twilio-Signature} over the configured
 * public URL of this endpoint (with the query string as received) and the POST parameters, reads the correlation
 * from the query ({@code t}, {@code m}, {@code c}, {@code to}, {@code ch}) that dispatch put into
 * {@code StatusCallback}, normalises {@code MessageStatus} and publishes it keyed by the conversation key.
 *
 * <p>Replays: Twilio's signature covers the URL and the parameters but no time, so there is no stale-timestamp check.
 * Each callback is an event named by provider, tenant, our message id, {@code MessageSid}, normalised status and
 * {@code MessageStatus} (Twilio reports each status of a message once); an event already taken (see
 * {@link ReplayGuard}) publishes nothing and is answered like a first delivery, so Twilio does not retry it.
 *
 * <p>Customers' incoming messages are POSTed to the same URL with the same signature: a form with {@code NumMedia}
 * (and no {@code MessageStatus}) is read by {@link TwilioInboundMessages} and handed to the {@link InboundService}
 * (routing, ids, {@code message.inbound.v1}, its own replay check by {@code MessageSid}); a text-only one is skipped.
 */
public final class TwilioStatusWebhook {

    /** What became of a callback. */
    public enum Outcome {
        /** Published (a status, or an incoming message: routed, or dead-lettered without a route). */
        ACCEPTED,
        /** A status word dispatch does not report (in-flight or unknown), or an incoming message without media. */
        IGNORED,
        /** Missing or wrong signature: nothing published. */
        BAD_SIGNATURE,
        /** Signed, but without our correlation in the URL. */
        NOT_OURS,
        /** Signed, but neither a status ({@code MessageStatus}) nor an incoming message ({@code NumMedia}): nothing published. */
        MISSING_MESSAGE_STATUS,
        /** Signed status without the {@code MessageSid} it is of: nothing published. */
        MISSING_MESSAGE_SID,
        /** The same event was already taken (a replay or a re-delivery): nothing published. */
        REPLAYED,
        /** The same event is being taken by another request right now; Twilio should send it again later. */
        BUSY
    }

    private static final Logger log = LoggerFactory.getLogger(TwilioStatusWebhook.class);

    private final TwilioSignature signature;
    private final String publicEndpoint;
    private final StatusSink statuses;
    private final InboundService inbound;
    private final Clock clock;

    /**
     * @param signature         checks signatures with the auth token
     * @param dispatchPublicUrl this service's public base URL, as Twilio calls it ({@code DISPATCH_PUBLIC_URL})
     * @param statuses          where statuses go
     * @param clock             clock (Twilio callbacks carry no time)
     */
    public TwilioStatusWebhook(TwilioSignature signature, String dispatchPublicUrl, StatusSink statuses, Clock clock) {
        this(signature, dispatchPublicUrl, statuses, null, clock);
    }

    /**
     * @param signature         checks signatures with the auth token
     * @param dispatchPublicUrl this service's public base URL, as Twilio calls it ({@code DISPATCH_PUBLIC_URL})
     * @param statuses          where statuses go
     * @param inbound           takes customers' incoming media messages; null: they are logged and skipped
     * @param clock             clock (Twilio callbacks carry no time)
     */
    public TwilioStatusWebhook(TwilioSignature signature, String dispatchPublicUrl, StatusSink statuses,
                               InboundService inbound, Clock clock) {
        this.signature = signature;
        this.inbound = inbound;
        String base = dispatchPublicUrl.endsWith("/") ? dispatchPublicUrl.substring(0, dispatchPublicUrl.length() - 1)
                : dispatchPublicUrl;
        this.publicEndpoint = base + TwilioConnector.STATUS_PATH;
        this.statuses = statuses;
        this.clock = clock;
        if (!signature.configured()) {
            log.info("No Twilio auth token configured (TWILIO_AUTH_TOKEN): every Twilio status callback will be refused");
        }
    }

    /**
     * Checks and publishes one callback.
     *
     * @param rawQuery   the query string exactly as received (null when none)
     * @param query      its decoded parameters
     * @param postParams the form parameters of the body
     * @param header     {@code X-Twilio-Signature}
     * @param replays    the events already taken
     */
    public Outcome receive(String rawQuery, Map<String, String> query, Map<String, List<String>> postParams,
                           String header, ReplayGuard replays) {
        String url = rawQuery == null || rawQuery.isEmpty() ? publicEndpoint : publicEndpoint + "?" + rawQuery;
        if (!signature.verify(url, postParams, header)) {
            log.warn("Twilio status callback refused: {} signature", header == null ? "missing" : "bad");
            return Outcome.BAD_SIGNATURE;
        }
        if (TwilioInboundMessages.isInboundMessage(postParams)) {
            return receiveMessage(postParams, replays);
        }
        String tenant = query.get("t");
        String messageId = query.get("m");
        String channel = query.getOrDefault("ch", "MMS");
        String sid = first(postParams, "MessageSid");
        String word = first(postParams, "MessageStatus");
        if (word == null || word.isBlank()) {
            log.warn("Twilio callback of {} refused: neither MessageStatus nor NumMedia", sid);
            return Outcome.MISSING_MESSAGE_STATUS;
        }
        if (sid == null || sid.isBlank()) {
            log.warn("Twilio status '{}' refused: no MessageSid", word);
            return Outcome.MISSING_MESSAGE_SID;
        }
        if (tenant == null || messageId == null) {
            log.warn("Twilio status '{}' of {} skipped: no platform correlation in the callback URL", word, sid);
            return Outcome.NOT_OURS;
        }
        Optional<DeliveryState> state = TwilioStatuses.normalise(word);
        if (state.isEmpty()) {
            log.debug("Twilio status '{}' of {} ignored", word, sid);
            return Outcome.IGNORED;
        }
        String conversation = query.get("c");
        String to = query.getOrDefault("to", first(postParams, "To"));
        String reason = null;
        String detail = null;
        if (state.get() == DeliveryState.FAILED) {
            String code = first(postParams, "ErrorCode");
            reason = code != null && !code.isBlank() ? code : "PROVIDER_ERROR";
            String message = first(postParams, "ErrorMessage");
            detail = message != null && !message.isBlank() ? message : "Twilio reported the message " + word;
        }
        StatusUpdate update = new StatusUpdate(tenant, messageId, conversation, null, channel, to, state.get(),
                clock.instant(), TwilioConnector.PROVIDER, sid, word, reason, detail);
        String event = ReplayGuard.key(TwilioConnector.PROVIDER, tenant, messageId, sid, state.get().name(),
                word.trim().toLowerCase(Locale.ROOT));
        return switch (replays.once(event, () -> statuses.publish(Topics.conversationKey(conversation, channel, to),
                update))) {
            case FIRST -> Outcome.ACCEPTED;
            case REPLAY -> {
                log.info("Twilio status '{}' of {} already taken (replayed or re-delivered): not published again",
                        word, sid);
                yield Outcome.REPLAYED;
            }
            case IN_PROGRESS -> Outcome.BUSY;
        };
    }

    private Outcome receiveMessage(Map<String, List<String>> postParams, ReplayGuard replays) {
        if (inbound == null) {
            log.info("Twilio incoming message {} skipped: inbound messages are not taken here",
                    first(postParams, "MessageSid"));
            return Outcome.IGNORED;
        }
        Optional<ProviderMessage> message = TwilioInboundMessages.parse(postParams);
        if (message.isEmpty()) {
            return Outcome.IGNORED;
        }
        return switch (inbound.take(message.get(), replays)) {
            case PUBLISHED, UNROUTED -> Outcome.ACCEPTED;
            case REPLAYED -> Outcome.REPLAYED;
            case IN_PROGRESS -> Outcome.BUSY;
        };
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }
}
