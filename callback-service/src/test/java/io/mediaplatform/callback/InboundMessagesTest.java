package io.mediaplatform.callback;

import io.mediaplatform.common.signing.LinkSigner;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.RejectionReason;
import io.mediaplatform.schemas.topics.Topics;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A customer's inbound media message: recorded from validation's decision (media.accepted / media.rejected with
 * direction INBOUND), told once to the tenant's endpoints as a signed {@code message.received} with a fresh signed
 * download link at each attempt, and shown by the message API.
 */
class InboundMessagesTest extends CallbackServiceTestBase {

    /** callback's default LINK_SIGNING_KEY, the development key ingest defaults to as well. */
    private static final LinkSigner INGEST_LINKS = new LinkSigner("dev-only-link-signing-key-CHANGE-ME-0123456789");
    private static final String CUSTOMER = "+15557654321";

    @AfterEach
    void deleteTheTenantsEndpoints() {
        deleteAllEndpoints();
    }

    @Test
    void tells_an_accepted_inbound_image_once_as_a_signed_message_received_with_a_fresh_download_link_at_each_attempt() {
        // Given an endpoint without a filter that fails the first attempt (asking to wait a second)
        Inbound in = new Inbound();
        String path = "/inbound-accepted/" + in.messageId;
        String secret = createEndpoint(path, null).path("secret").asString();
        RECEIVER.script(path, new WebhookReceiver.Answer(503, Map.of("Retry-After", "1")), WebhookReceiver.Answer.of(200));

        // When validation accepts the customer's image
        Instant sentAt = Instant.parse("2026-12-01T12:00:00Z");
        publisher.sendAndWait(Topics.MEDIA_ACCEPTED, in.conversationId, in.accepted(sentAt));

        // Then the endpoint gets the same delivery twice, each signed with its secret
        await().atMost(AWAIT).until(() -> received(path, in.messageId).size() == 2);
        List<WebhookReceiver.Received> hooks = received(path, in.messageId);
        assertThat(hooks).allSatisfy(hook -> assertThat(verifies(hook, secret)).isTrue());
        assertThat(hooks).extracting(hook -> hook.headers().get("webhook-id")).containsOnly(hooks.getFirst().headers().get("webhook-id"));
        // And it is a message.received carrying every fact of the customer's message
        JsonNode body = json.readTree(hooks.getFirst().body());
        assertThat(body.path("type").asString()).isEqualTo("message.received");
        JsonNode data = body.path("data");
        assertThat(data.path("messageId").asString()).isEqualTo(in.messageId);
        assertThat(data.path("direction").asString()).isEqualTo("INBOUND");
        assertThat(data.path("channel").asString()).isEqualTo("WHATSAPP");
        assertThat(data.path("from").asString()).isEqualTo(CUSTOMER);
        assertThat(data.path("to").asString()).isEqualTo("106540352242922");
        assertThat(data.path("conversationId").asString()).isEqualTo(in.conversationId);
        assertThat(data.path("inboxId").asString()).isEqualTo("demo-inbox");
        assertThat(data.path("kind").asString()).isEqualTo("IMAGE");
        assertThat(data.path("caption").asString()).isEqualTo("Broken lid");
        assertThat(data.path("fileName").isNull()).isTrue();
        assertThat(data.path("provider").asString()).isEqualTo("whatsapp");
        assertThat(data.path("providerMessageId").asString()).isEqualTo(in.providerMessageId);
        assertThat(data.path("text").isNull()).isTrue();
        assertThat(data.path("status").asString()).isEqualTo("ACCEPTED");
        assertThat(data.path("reason").isNull()).isTrue();
        assertThat(data.path("reasonMessage").isNull()).isTrue();
        assertThat(data.path("receivedAt").asString()).isEqualTo(sentAt.toString());
        JsonNode media = data.path("media");
        assertThat(media.path("id").asString()).isEqualTo(in.mediaId);
        assertThat(media.path("type").asString()).isEqualTo("image/jpeg");
        assertThat(media.path("size").asLong()).isEqualTo(4321);
        assertThat(media.path("sha256").asString()).isEqualTo("cd".repeat(32));
        // And each attempt carries its own fresh link to ingest, signed for this tenant and media, valid 300 s
        List<Link> links = hooks.stream().map(hook -> json.readTree(hook.body()).path("data").path("media"))
                .map(m -> Link.check(m.path("url").asString(), in.mediaId, Instant.parse(m.path("urlExpiresAt").asString())))
                .toList();
        assertThat(links.get(0).url()).isNotEqualTo(links.get(1).url());
        assertThat(links.get(1).expires()).isAfter(links.get(0).expires());
        assertThat(Duration.between(Instant.now(), links.get(1).expires())).isBetween(Duration.ofSeconds(280), Duration.ofSeconds(301));
        // And only the link differs between the two attempts
        assertThat(withoutLink(hooks.get(0).body())).isEqualTo(withoutLink(hooks.get(1).body()));
        // And the message is stored once, with no status history and no status webhook
        await().atMost(AWAIT).untilAsserted(() -> assertThat(get(in.messageId, KEY).json().path("webhookAttempts")).hasSize(2));
        JsonNode message = get(in.messageId, KEY).json();
        assertThat(message.path("direction").asString()).isEqualTo("INBOUND");
        assertThat(message.path("status").asString()).isEqualTo("ACCEPTED");
        assertThat(message.path("from").asString()).isEqualTo(CUSTOMER);
        assertThat(message.path("to").asString()).isEqualTo("106540352242922");
        assertThat(message.path("inboxId").asString()).isEqualTo("demo-inbox");
        assertThat(message.path("kind").asString()).isEqualTo("IMAGE");
        assertThat(message.path("caption").asString()).isEqualTo("Broken lid");
        assertThat(message.path("provider").asString()).isEqualTo("whatsapp");
        assertThat(message.path("providerMessageId").asString()).isEqualTo(in.providerMessageId);
        assertThat(message.path("mediaId").asString()).isEqualTo(in.mediaId);
        assertThat(message.path("mediaType").asString()).isEqualTo("image/jpeg");
        assertThat(message.path("mediaSize").asLong()).isEqualTo(4321);
        assertThat(message.path("mediaSha256").asString()).isEqualTo("cd".repeat(32));
        assertThat(message.path("receivedAt").asString()).isEqualTo(sentAt.toString());
        assertThat(message.path("history")).isEmpty();
        assertThat(message.path("webhookAttempts")).allSatisfy(a -> {
            assertThat(a.path("eventType").asString()).isEqualTo("message.received");
            assertThat(a.path("eventStatus").asString()).isEqualTo("ACCEPTED");
        });
        assertThat(texts(message.path("webhookAttempts"), "statusCode")).containsExactly("503", "200");
        assertThat(message.toString()).doesNotContain("signature=");
        assertThat(jdbc.sql("SELECT payload FROM webhook_deliveries WHERE message_id = ?").params(in.messageId)
                .query(String.class).single()).doesNotContain("signature=");
    }

    @Test
    void tells_a_rejected_inbound_media_as_message_received_REJECTED_with_its_reason_and_no_link() {
        // Given an endpoint without a filter, and three customers' media validation refuses for different reasons
        String path = "/inbound-rejected/" + UUID.randomUUID();
        createEndpoint(path, null);
        Inbound disabled = new Inbound();
        Inbound malware = new Inbound();
        Inbound unfetched = new Inbound();

        // When they are rejected: the inbox takes no media, antivirus found malware, the provider's download failed
        publisher.sendAndWait(Topics.MEDIA_REJECTED, disabled.conversationId, disabled.rejected(RejectionReason.MEDIA_DISABLED,
                "media are disabled for inbox demo-inbox", "Sorry, we cannot receive pictures here.", true));
        publisher.sendAndWait(Topics.MEDIA_REJECTED, malware.conversationId, malware.rejected(RejectionReason.MALWARE,
                "antivirus: Eicar-Test-Signature", null, true));
        publisher.sendAndWait(Topics.MEDIA_REJECTED, unfetched.conversationId, unfetched.rejected(RejectionReason.FETCH_FAILED,
                "provider download failed: HTTP 404", null, false));

        // Then each is told once as REJECTED with its reason, and no link to the media
        Map<Inbound, String> reasons = new LinkedHashMap<>();
        reasons.put(disabled, "MEDIA_DISABLED");
        reasons.put(malware, "MALWARE");
        reasons.put(unfetched, "FETCH_FAILED");
        reasons.forEach((in, reason) -> {
            await().atMost(AWAIT).until(() -> received(path, in.messageId).size() == 1);
            JsonNode data = json.readTree(received(path, in.messageId).getFirst().body()).path("data");
            assertThat(data.path("status").asString()).isEqualTo("REJECTED");
            assertThat(data.path("reason").asString()).isEqualTo(reason);
            assertThat(data.path("reasonMessage").asString()).isNotBlank();
            assertThat(data.path("direction").asString()).isEqualTo("INBOUND");
            assertThat(data.path("from").asString()).isEqualTo(CUSTOMER);
            assertThat(data.path("media").path("id").asString()).isEqualTo(in.mediaId);
            assertThat(data.path("media").has("url")).isTrue();
            assertThat(data.path("media").path("url").isNull()).isTrue();
            assertThat(data.path("media").path("urlExpiresAt").isNull()).isTrue();
            // And the message API shows it rejected with the reason
            JsonNode message = get(in.messageId, KEY).json();
            assertThat(message.path("direction").asString()).isEqualTo("INBOUND");
            assertThat(message.path("status").asString()).isEqualTo("REJECTED");
            assertThat(message.path("reason").asString()).isEqualTo(reason);
        });
        JsonNode malwareData = json.readTree(received(path, malware.messageId).getFirst().body()).path("data");
        assertThat(malwareData.path("reasonMessage").asString()).isEqualTo("antivirus: Eicar-Test-Signature");
        assertThat(malwareData.path("media").path("sha256").asString()).isEqualTo("cd".repeat(32));
        // And media that could not be fetched has no size or hash
        JsonNode unfetchedMedia = json.readTree(received(path, unfetched.messageId).getFirst().body()).path("data").path("media");
        assertThat(unfetchedMedia.path("size").isNull()).isTrue();
        assertThat(unfetchedMedia.path("sha256").isNull()).isTrue();
        assertThat(get(unfetched.messageId, KEY).json().path("reasonMessage").asString()).isEqualTo("provider download failed: HTTP 404");
        // And the message API says what the customer was answered on the refusal by the inbox, and only there
        assertThat(get(disabled.messageId, KEY).json().path("customerMessage").asString())
                .isEqualTo("Sorry, we cannot receive pictures here.");
        assertThat(get(malware.messageId, KEY).json().has("customerMessage")).isFalse();
    }

    @Test
    void records_one_message_and_tells_one_webhook_however_often_the_decision_arrives() {
        // Given an endpoint without a filter
        Inbound in = new Inbound();
        String path = "/inbound-once/" + in.messageId;
        createEndpoint(path, null);
        double duplicatesBefore = duplicates();

        // When the same decision is published twice, another decision event for the message follows, and a rejection
        MediaAccepted accepted = in.accepted(Instant.now());
        publisher.sendAndWait(Topics.MEDIA_ACCEPTED, in.conversationId, accepted);
        publisher.sendAndWait(Topics.MEDIA_ACCEPTED, in.conversationId, accepted);
        publisher.sendAndWait(Topics.MEDIA_ACCEPTED, in.conversationId, in.accepted(Instant.now()));
        // (media.rejected is another topic, read by another listener: the late rejection is sent once the first
        // decision is recorded, so that "late" is what the test says)
        await().atMost(AWAIT).until(() -> jdbc.sql("SELECT count(*) FROM messages WHERE message_id = ?")
                .params(in.messageId).query(Long.class).single() == 1);
        publisher.sendAndWait(Topics.MEDIA_REJECTED, in.conversationId, in.rejected(RejectionReason.MALWARE, "late", null, true));

        // Then all four were read, three found the message recorded already
        await().atMost(AWAIT).until(() -> duplicates() - duplicatesBefore >= 3);
        await().atMost(AWAIT).until(() -> received(path, in.messageId).size() == 1);
        // And there is one message (the first decision), one delivery and one webhook
        assertThat(jdbc.sql("SELECT count(*) FROM messages WHERE message_id = ?").params(in.messageId).query(Long.class).single())
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM webhook_deliveries WHERE message_id = ?").params(in.messageId)
                .query(Long.class).single()).isEqualTo(1);
        assertThat(get(in.messageId, KEY).json().path("status").asString()).isEqualTo("ACCEPTED");
        assertThat(json.readTree(received(path, in.messageId).getFirst().body()).path("data").path("status").asString())
                .isEqualTo("ACCEPTED");
    }

    @Test
    void tells_message_received_to_endpoints_without_a_filter_or_naming_it_and_not_to_status_only_endpoints() {
        // Given endpoints for every status, for some statuses, for message.received only, and without a filter
        Inbound in = new Inbound();
        String statuses = "/filter-statuses/" + in.messageId;
        String someStatuses = "/filter-some/" + in.messageId;
        String receivedOnly = "/filter-received/" + in.messageId;
        String unfiltered = "/filter-none/" + in.messageId;
        createEndpoint(statuses, "[\"message.status.updated\"]");
        createEndpoint(someStatuses, "[\"DELIVERED\",\"READ\",\"REJECTED\"]");
        JsonNode received = createEndpoint(receivedOnly, "[\"Message.Received\"]");
        JsonNode none = createEndpoint(unfiltered, null);
        assertThat(texts(received.path("events"), "x")).hasSize(1);
        assertThat(received.path("events").get(0).asString()).isEqualTo("message.received");
        assertThat(none.path("events")).isEmpty();

        // When a customer's image is accepted, and an outbound message of the tenant is accepted too
        publisher.sendAndWait(Topics.MEDIA_ACCEPTED, in.conversationId, in.accepted(Instant.now()));
        String outboundId = UUID.randomUUID().toString();
        received(outboundId, null, null, List.of(), Instant.now());

        // Then the message.received went to the unfiltered endpoint and the one naming it, and nowhere else
        await().atMost(AWAIT).until(() -> received(unfiltered, in.messageId).size() == 1 && received(receivedOnly, in.messageId).size() == 1);
        List<String> urls = jdbc.sql("SELECT url FROM webhook_deliveries WHERE message_id = ?").params(in.messageId)
                .query(String.class).list();
        assertThat(urls).containsExactlyInAnyOrder(RECEIVER.url(unfiltered), RECEIVER.url(receivedOnly));
        assertThat(received(statuses, in.messageId)).isEmpty();
        assertThat(received(someStatuses, in.messageId)).isEmpty();
        // And the outbound ACCEPTED status went to the status endpoint and the unfiltered one, not to message.received only
        await().atMost(AWAIT).until(() -> received(statuses, outboundId).size() == 1 && received(unfiltered, outboundId).size() == 1);
        assertThat(jdbc.sql("SELECT url FROM webhook_deliveries WHERE message_id = ?").params(outboundId).query(String.class).list())
                .containsExactlyInAnyOrder(RECEIVER.url(statuses), RECEIVER.url(unfiltered));
        assertThat(json.readTree(received(statuses, outboundId).getFirst().body()).path("type").asString())
                .isEqualTo("message.status.updated");
    }

    @Test
    void ignores_an_inbound_media_received_and_outbound_accepted_media_so_neither_makes_an_outbound_looking_message() {
        // Given an endpoint without a filter
        Inbound in = new Inbound();
        String path = "/inbound-received/" + in.messageId;
        createEndpoint(path, null);
        String outboundId = UUID.randomUUID().toString();

        // When ingest reports the customer's media stored (media.received, INBOUND), then validation accepts an outbound
        // media on media.accepted, then an outbound message is received and the customer's media accepted after them
        publisher.sendAndWait(Topics.MEDIA_RECEIVED, in.conversationId, MediaReceived.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now()).setTenantId(TENANT).setMedia(in.media(true))
                .setMessage(TestEvents.inboundMessage(in.messageId, CUSTOMER))
                .setInbound(TestEvents.inboundDetails(in.providerMessageId, Instant.now())).build());
        publisher.sendAndWait(Topics.MEDIA_ACCEPTED, "conv-" + outboundId, MediaAccepted.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now()).setTenantId(TENANT)
                .setReceivedEventId(UUID.randomUUID().toString()).setMedia(media(outboundId)).setDetectedContentType("image/jpeg")
                .setKind(MediaKind.IMAGE).setMessage(outbound(outboundId, null, null, List.of(RECEIVER.url(path)))).build());
        String marker = UUID.randomUUID().toString();
        received(marker, null, null, List.of(), Instant.now());
        await().atMost(AWAIT).until(() -> get(marker, KEY).status() == 200);

        // Then the media.received made no message and told nothing (topics have one partition: the marker came after it)
        assertThat(get(in.messageId, KEY).status()).isEqualTo(404);
        assertThat(received(path, in.messageId)).isEmpty();

        // When the customer's media is accepted (it is on media.accepted after the outbound one)
        publisher.sendAndWait(Topics.MEDIA_ACCEPTED, in.conversationId, in.accepted(Instant.now()));

        // Then the inbound message is recorded and told as message.received only; the outbound accepted media is not recorded
        await().atMost(AWAIT).until(() -> received(path, in.messageId).size() == 1);
        assertThat(json.readTree(received(path, in.messageId).getFirst().body()).path("type").asString()).isEqualTo("message.received");
        assertThat(get(in.messageId, KEY).json().path("history")).isEmpty();
        assertThat(jdbc.sql("SELECT event_type FROM webhook_deliveries WHERE message_id = ?").params(in.messageId)
                .query(String.class).list()).containsOnly("message.received");
        assertThat(get(outboundId, KEY).status()).isEqualTo(404);
        assertThat(RECEIVER.received(path).stream().map(hook -> json.readTree(hook.body()).path("data").path("messageId").asString()))
                .doesNotContain(outboundId);
    }

    @Test
    void finds_inbound_and_outbound_messages_by_direction_and_replays_a_message_received() {
        // Given a customer's accepted image in a conversation, an endpoint, and an outbound message
        Inbound in = new Inbound();
        String path = "/inbound-search/" + in.messageId;
        createEndpoint(path, null);
        publisher.sendAndWait(Topics.MEDIA_ACCEPTED, in.conversationId, in.accepted(Instant.now()));
        String outboundId = UUID.randomUUID().toString();
        received(outboundId, null, null, List.of(), Instant.now());
        await().atMost(AWAIT).until(() -> get(in.messageId, KEY).status() == 200 && get(outboundId, KEY).status() == 200);
        await().atMost(AWAIT).until(() -> received(path, in.messageId).size() == 1);

        // When the tenant searches by direction
        String conversation = java.net.URLEncoder.encode(in.conversationId, StandardCharsets.UTF_8);
        Response inbound = search("direction=INBOUND&conversationId=" + conversation, KEY);
        Response outboundInConversation = search("direction=outbound&conversationId=" + conversation, KEY);
        Response outbound = search("direction=OUTBOUND&conversationId=conv-" + outboundId, KEY);
        Response bad = search("direction=SIDEWAYS", KEY);

        // Then each direction finds its own, with its direction
        assertThat(inbound.status()).isEqualTo(200);
        assertThat(texts(inbound.json().path("items"), "messageId")).containsExactly(in.messageId);
        assertThat(inbound.json().path("items").get(0).path("direction").asString()).isEqualTo("INBOUND");
        assertThat(inbound.json().path("items").get(0).path("from").asString()).isEqualTo(CUSTOMER);
        assertThat(outboundInConversation.json().path("items")).isEmpty();
        assertThat(texts(outbound.json().path("items"), "messageId")).containsExactly(outboundId);
        assertThat(outbound.json().path("items").get(0).path("direction").asString()).isEqualTo("OUTBOUND");
        assertThat(get(outboundId, KEY).json().path("direction").asString()).isEqualTo("OUTBOUND");
        assertThat(texts(search("direction=INBOUND&limit=100", KEY).json().path("items"), "direction")).containsOnly("INBOUND");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("type").asString()).isEqualTo("/problems/invalid-request");
        assertThat(bad.json().path("detail").asString()).contains("direction");
        // And another tenant finds nothing
        assertThat(search("direction=INBOUND&conversationId=" + conversation, OTHER_KEY).json().path("items")).isEmpty();
        assertThat(get(in.messageId, OTHER_KEY).status()).isEqualTo(404);

        // When the tenant replays the inbound message's webhook
        Response replayed = exchange("POST", "/v1/messages/" + in.messageId + "/webhooks/replay", KEY, null);

        // Then message.received is told again, with a new webhook id and a link of its own
        assertThat(replayed.status()).isEqualTo(202);
        assertThat(replayed.json().path("count").asInt()).isEqualTo(1);
        await().atMost(AWAIT).until(() -> received(path, in.messageId).size() == 2);
        List<WebhookReceiver.Received> hooks = received(path, in.messageId);
        assertThat(hooks.get(1).headers().get("webhook-id")).isNotEqualTo(hooks.get(0).headers().get("webhook-id"));
        JsonNode media = json.readTree(hooks.get(1).body()).path("data").path("media");
        Link.check(media.path("url").asString(), in.mediaId, Instant.parse(media.path("urlExpiresAt").asString()));
        assertThat(exchange("POST", "/v1/messages/" + in.messageId + "/webhooks/replay?status=REJECTED", KEY, null)
                .json().path("count").asInt()).isZero();
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    /** One customer's media message, with the ids dispatch would give it. */
    private static final class Inbound {
        final String providerMessageId = "wamid." + UUID.randomUUID();
        final String messageId = UUID.nameUUIDFromBytes(("inbound-message|" + TENANT + "|whatsapp|" + providerMessageId + "|0")
                .getBytes(StandardCharsets.UTF_8)).toString();
        final String mediaId = UUID.nameUUIDFromBytes(("inbound-media|" + TENANT + "|whatsapp|" + providerMessageId + "|0")
                .getBytes(StandardCharsets.UTF_8)).toString();
        final String conversationId = "WHATSAPP:" + CUSTOMER + "-" + UUID.randomUUID();

        MediaRef media(boolean stored) {
            return TestEvents.inboundMedia(mediaId, conversationId, stored);
        }

        MediaAccepted accepted(Instant sentAt) {
            return MediaAccepted.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                    .setTenantId(TENANT).setReceivedEventId(UUID.randomUUID().toString()).setMedia(media(true))
                    .setDetectedContentType("image/jpeg").setKind(MediaKind.IMAGE)
                    .setMessage(TestEvents.inboundMessage(messageId, CUSTOMER))
                    .setInbound(TestEvents.inboundDetails(providerMessageId, sentAt)).build();
        }

        MediaRejected rejected(RejectionReason reason, String reasonMessage, String customerMessage, boolean stored) {
            return MediaRejected.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                    .setTenantId(TENANT).setReceivedEventId(UUID.randomUUID().toString()).setMedia(media(stored))
                    .setDetectedContentType(stored ? "image/jpeg" : null).setReason(reason).setReasonMessage(reasonMessage)
                    .setCustomerMessage(customerMessage).setMessage(TestEvents.inboundMessage(messageId, CUSTOMER))
                    .setInbound(TestEvents.inboundDetails(providerMessageId, Instant.now())).build();
        }
    }

    /** A checked signed download link. */
    private record Link(String url, Instant expires) {

        /** Checks the link's shape, its expiry and its signature as ingest would (ingest itself is not running here). */
        static Link check(String url, String mediaId, Instant expiresAt) {
            URI uri = URI.create(url);
            assertThat(uri.getScheme() + "://" + uri.getAuthority()).isEqualTo("http://127.0.0.1:8080");
            assertThat(uri.getPath()).isEqualTo("/v1/media/" + mediaId + "/content");
            Map<String, String> query = new LinkedHashMap<>();
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            assertThat(query).containsOnlyKeys("tenant", "expires", "signature");
            assertThat(query.get("tenant")).isEqualTo(TENANT);
            long expires = Long.parseLong(query.get("expires"));
            assertThat(expiresAt).isEqualTo(Instant.ofEpochSecond(expires));
            assertThat(expiresAt).isAfter(Instant.now());
            assertThat(INGEST_LINKS.verify(TENANT, mediaId, expires, query.get("signature"), Instant.now())).isTrue();
            assertThat(INGEST_LINKS.verify(TENANT, "another-media", expires, query.get("signature"), Instant.now())).isFalse();
            assertThat(INGEST_LINKS.verify(OTHER_TENANT, mediaId, expires, query.get("signature"), Instant.now())).isFalse();
            return new Link(url, expiresAt);
        }
    }

    /** The webhooks told to {@code path} about that message (a tenant endpoint is told of every message of the tenant). */
    private List<WebhookReceiver.Received> received(String path, String messageId) {
        return RECEIVER.received(path).stream()
                .filter(hook -> json.readTree(hook.body()).path("data").path("messageId").asString().equals(messageId))
                .toList();
    }

    private String withoutLink(String body) {
        JsonNode tree = json.readTree(body);
        ((tools.jackson.databind.node.ObjectNode) tree.path("data").path("media")).remove(List.of("url", "urlExpiresAt"));
        return tree.toString();
    }

    private double duplicates() {
        return meters.find("callback.inbound.messages").tag("outcome", "duplicate").counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
