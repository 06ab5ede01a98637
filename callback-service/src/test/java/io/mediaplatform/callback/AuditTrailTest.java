package io.mediaplatform.callback;

import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.events.RejectionReason;
import io.mediaplatform.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit trail built from the events on the real broker, stored in the real PostgreSQL: who shared which media
 * with whom on which channel and how it ended, queried by media, asset, recipient and time, and exported as CSV.
 */
class AuditTrailTest extends CallbackServiceTestBase {

    private void sent(String messageId, String assetId, String to, Instant at) {
        MediaReceived event = MediaReceived.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
                .setTenantId(TENANT).setMedia(media(messageId))
                .setMessage(TestEvents.outbound(messageId, null, null, java.util.List.of()))
                .build();
        event.getMessage().setTo(to);
        event.getMessage().setFrom("+15550100001");
        event.getMessage().setSentBy("agent:alice");
        event.getMessage().setAssetId(assetId);
        publisher.sendAndWait(Topics.MEDIA_RECEIVED, "conv-" + messageId, event);
    }

    private HttpResponse<String> csv(String query, boolean byAccept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/v1/audit?" + query + (byAccept ? "" : "&format=csv")))
                .header("Authorization", "Bearer " + KEY);
        if (byAccept) {
            request.header("Accept", "text/csv");
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void a_shared_asset_is_audited_with_who_sent_it_to_whom_and_its_furthest_status_and_exported_as_csv() throws Exception {
        // Given an agent's message sending an asset, whose statuses arrive out of order (READ before DELIVERED)
        String messageId = "audit-" + UUID.randomUUID();
        String assetId = "asset-" + UUID.randomUUID();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        sent(messageId, assetId, "+15550009999", t0);
        status(messageId, MessageStatus.SENT, t0.plusSeconds(1), "wamid.audit", null);
        status(messageId, MessageStatus.READ, t0.plusSeconds(3), "wamid.audit", null);
        status(messageId, MessageStatus.DELIVERED, t0.plusSeconds(2), "wamid.audit", null);

        // When the trail is asked by asset
        await().atMost(AWAIT).untilAsserted(() -> {
            JsonNode items = call(base() + "/v1/audit?assetId=" + assetId, KEY).json().path("items");
            assertThat(items).hasSize(1);
            assertThat(items.get(0).path("outcome").asString()).isEqualTo("READ");
        });

        // Then the entry says who, when, which media, to whom, on which channel
        JsonNode entry = call(base() + "/v1/audit?assetId=" + assetId, KEY).json().path("items").get(0);
        assertThat(entry.path("actor").asString()).isEqualTo("agent:alice");
        assertThat(entry.path("direction").asString()).isEqualTo("OUTBOUND");
        assertThat(entry.path("mediaId").asString()).isEqualTo("media-" + messageId);
        assertThat(entry.path("to").asString()).isEqualTo("+15550009999");
        assertThat(entry.path("channel").asString()).isEqualTo("WHATSAPP");
        assertThat(Instant.parse(entry.path("at").asString())).isEqualTo(t0);
        // And it is found by media, by recipient (to=) and by a time range, and not outside it
        assertThat(call(base() + "/v1/audit?mediaId=media-" + messageId, KEY).json().path("items")).hasSize(1);
        assertThat(texts(call(base() + "/v1/audit?to=%2B15550009999", KEY).json().path("items"), "messageId")).contains(messageId);
        assertThat(call(base() + "/v1/audit?assetId=" + assetId + "&from=" + t0.minusSeconds(1) + "&to=" + t0.plusSeconds(1), KEY)
                .json().path("items")).hasSize(1);
        assertThat(call(base() + "/v1/audit?assetId=" + assetId + "&from=" + t0.plusSeconds(1), KEY).json().path("items")).isEmpty();
        // And another tenant sees nothing of it
        assertThat(call(base() + "/v1/audit?assetId=" + assetId, OTHER_KEY).json().path("items")).isEmpty();

        // When it is exported as CSV, by Accept and by format=csv
        for (boolean byAccept : new boolean[]{true, false}) {
            HttpResponse<String> export = csv("assetId=" + assetId, byAccept);
            // Then it is one header line and one line for the entry
            assertThat(export.statusCode()).isEqualTo(200);
            assertThat(export.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
            String[] lines = export.body().split("\r\n");
            assertThat(lines[0]).isEqualTo("at,direction,actor,mediaId,assetId,channel,from,to,outcome,reason,reasonMessage,messageId");
            assertThat(lines).hasSize(2);
            assertThat(lines[1]).isEqualTo(t0 + ",OUTBOUND,agent:alice,media-" + messageId + "," + assetId
                    + ",WHATSAPP,+15550100001,+15550009999,READ,,," + messageId);
        }
    }

    @Test
    void a_customers_file_refused_by_the_inbox_is_audited_with_the_reason_and_pages_are_cursored() {
        // Given a customer's photo refused because the inbox takes no files
        String messageId = "audit-in-" + UUID.randomUUID();
        String customer = "+1555" + (1_000_000 + (int) (Math.random() * 8_000_000));
        MediaRejected rejected = MediaRejected.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setTenantId(TENANT).setReceivedEventId(UUID.randomUUID().toString())
                .setMedia(TestEvents.inboundMedia("media-" + messageId, "conv-" + messageId, true))
                .setReason(RejectionReason.MEDIA_DISABLED).setReasonMessage("This inbox takes no files")
                .setMessage(TestEvents.inboundMessage(messageId, customer))
                .setInbound(TestEvents.inboundDetails("wamid." + messageId, Instant.now())).build();
        publisher.sendAndWait(Topics.MEDIA_REJECTED, "conv-" + messageId, rejected);
        String second = "audit-in2-" + UUID.randomUUID();
        sent(second, null, customer, Instant.now());

        // Then the trail shows the customer as who, and the refusal in words
        await().atMost(AWAIT).untilAsserted(() -> assertThat(
                call(base() + "/v1/audit?mediaId=media-" + messageId, KEY).json().path("items")).hasSize(1));
        JsonNode entry = call(base() + "/v1/audit?mediaId=media-" + messageId, KEY).json().path("items").get(0);
        assertThat(entry.path("direction").asString()).isEqualTo("INBOUND");
        assertThat(entry.path("actor").asString()).isEqualTo(customer);
        assertThat(entry.path("outcome").asString()).isEqualTo("REJECTED");
        assertThat(entry.path("reason").asString()).isEqualTo("MEDIA_DISABLED");
        assertThat(entry.path("reasonMessage").asString()).isEqualTo("This inbox takes no files");

        // And a page of one has a cursor to the next
        await().atMost(AWAIT).untilAsserted(() -> assertThat(
                call(base() + "/v1/audit?mediaId=media-" + second, KEY).json().path("items")).hasSize(1));
        JsonNode first = call(base() + "/v1/audit?limit=1", KEY).json();
        assertThat(first.path("items")).hasSize(1);
        JsonNode next = call(base() + "/v1/audit?limit=1&cursor=" + first.path("nextCursor").asString(), KEY).json();
        assertThat(next.path("items").get(0).path("messageId").asString())
                .isNotEqualTo(first.path("items").get(0).path("messageId").asString());
        // And bad parameters are 400 problems
        assertThat(call(base() + "/v1/audit?from=yesterday", KEY).status()).isEqualTo(400);
        assertThat(call(base() + "/v1/audit?limit=0", KEY).status()).isEqualTo(400);
        assertThat(call(base() + "/v1/audit?format=xml", KEY).status()).isEqualTo(400);
    }
}
