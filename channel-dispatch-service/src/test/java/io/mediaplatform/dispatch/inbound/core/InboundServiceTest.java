package io.mediaplatform.dispatch.inbound.core;

import io.mediaplatform.dispatch.webhook.core.ReplayGuard;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Routing, ids and the replay defence of inbound messages, with an in-memory sink. */
class InboundServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:05Z");
    private final List<InboundMessage> published = new CopyOnWriteArrayList<>();
    private final List<String> deadLettered = new CopyOnWriteArrayList<>();
    private final AtomicBoolean brokerDown = new AtomicBoolean();
    private final InboundSink sink = new InboundSink() {
        @Override
        public void publish(InboundMessage message) {
            if (brokerDown.get()) {
                throw new IllegalStateException("broker down");
            }
            published.add(message);
        }

        @Override
        public void deadLetter(InboundMessage message, String reason, String detail) {
            deadLettered.add(reason + " " + message.providerMessageId() + " " + detail);
        }
    };
    private final InboundRoutes routes = InboundRoutes.parse("whatsapp:106540352242922=demo/demo-inbox");
    private final InboundService service = new InboundService(routes, sink, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void a_routed_message_is_published_with_its_route_ids_and_conversation() {
        // Given a WhatsApp image to a routed phone number id
        ProviderMessage message = image("wamid.1", "106540352242922");

        // When it is taken
        InboundService.Outcome outcome = service.take(message, guard());

        // Then it is published for the route's tenant and inbox, with the contract's ids and conversation
        assertThat(outcome).isEqualTo(InboundService.Outcome.PUBLISHED);
        assertThat(published).singleElement().satisfies(m -> {
            assertThat(m.tenantId()).isEqualTo("demo");
            assertThat(m.inboxId()).isEqualTo("demo-inbox");
            assertThat(m.conversationId()).isEqualTo("WHATSAPP:+15557654321");
            assertThat(m.occurredAt()).isEqualTo(Instant.parse("2026-12-01T12:00:00Z"));
            assertThat(m.receivedAt()).isEqualTo(NOW);
            assertThat(m.attachments()).singleElement().satisfies(a -> {
                assertThat(a.index()).isZero();
                assertThat(a.messageId()).isEqualTo(InboundIds.messageId("demo", "whatsapp", "wamid.1", 0));
                assertThat(a.mediaId()).isEqualTo(InboundIds.mediaId("demo", "whatsapp", "wamid.1", 0));
                assertThat(a.caption()).isEqualTo("Broken lid");
            });
        });
        assertThat(deadLettered).isEmpty();
    }

    @Test
    void a_message_to_an_unrouted_address_is_dead_lettered_with_reason_no_route() {
        // When a message to a phone number id without a route is taken
        InboundService.Outcome outcome = service.take(image("wamid.2", "999"), guard());

        // Then it is dead-lettered, naming the address, and not published
        assertThat(outcome).isEqualTo(InboundService.Outcome.UNROUTED);
        assertThat(deadLettered).containsExactly("NO_ROUTE wamid.2 no INBOUND_ROUTES entry for whatsapp:999");
        assertThat(published).isEmpty();
    }

    @Test
    void the_same_message_taken_twice_is_published_once() {
        // Given one replay guard (one instance)
        ReplayGuard replays = guard();

        // When the same message is taken twice
        InboundService.Outcome first = service.take(image("wamid.3", "106540352242922"), replays);
        InboundService.Outcome second = service.take(image("wamid.3", "106540352242922"), replays);

        // Then it is published once
        assertThat(first).isEqualTo(InboundService.Outcome.PUBLISHED);
        assertThat(second).isEqualTo(InboundService.Outcome.REPLAYED);
        assertThat(published).hasSize(1);
    }

    @Test
    void a_re_delivery_taken_again_elsewhere_carries_the_same_ids() {
        // When the same message is taken by two instances (two guards that know nothing of each other)
        service.take(image("wamid.4", "106540352242922"), guard());
        service.take(image("wamid.4", "106540352242922"), guard());

        // Then both copies carry the same message and media ids
        assertThat(published).hasSize(2);
        assertThat(published.get(0).attachments()).isEqualTo(published.get(1).attachments());
    }

    @Test
    void a_message_whose_publish_failed_is_published_when_the_provider_sends_it_again() {
        // Given a broker that fails the first publish
        ReplayGuard replays = guard();
        brokerDown.set(true);

        // When the message is taken, the failure propagates (the webhook is answered 503)
        assertThatThrownBy(() -> service.take(image("wamid.5", "106540352242922"), replays))
                .hasMessage("broker down");

        // And when the provider sends it again with the broker back, it is published: the failure left no trace
        brokerDown.set(false);
        assertThat(service.take(image("wamid.5", "106540352242922"), replays))
                .isEqualTo(InboundService.Outcome.PUBLISHED);
        assertThat(published).hasSize(1);
    }

    @Test
    void a_message_without_provider_time_takes_the_webhook_time_and_media_keep_their_order() {
        // Given a Twilio message with two media and no provider time
        ProviderMessage message = new ProviderMessage("twilio", "MMS", "MM1", "+15557654321", "+15550100002", null,
                "Body", List.of(new ProviderMessage.Media(InboundKind.IMAGE, false, null, "u0", "image/jpeg", null,
                        "Body", null), new ProviderMessage.Media(InboundKind.DOCUMENT, false, null, "u1",
                        "application/pdf", null, null, null)));

        // When its platform message is made
        InboundMessage inbound = InboundService.message(message, new InboundRoutes.Route("demo", null), NOW);

        // Then it is stamped with the webhook time, the media indexed in order
        assertThat(inbound.occurredAt()).isEqualTo(NOW);
        assertThat(inbound.attachments()).extracting(InboundAttachment::index).containsExactly(0, 1);
        assertThat(inbound.attachments()).extracting(InboundAttachment::url).containsExactly("u0", "u1");
        assertThat(inbound.conversationId()).isEqualTo("MMS:+15557654321");
    }

    private static ReplayGuard guard() {
        return new ReplayGuard(Duration.ofHours(24), 1000, Clock.systemUTC());
    }

    private static ProviderMessage image(String wamid, String phoneNumberId) {
        return new ProviderMessage("whatsapp", "WHATSAPP", wamid, "+15557654321", phoneNumberId,
                Instant.parse("2026-12-01T12:00:00Z"), null, List.of(new ProviderMessage.Media(InboundKind.IMAGE,
                false, "media-1", null, "image/jpeg", "c2hh", "Broken lid", null)));
    }
}
