package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The notification simulator's customer side: a customer sending media on RCS or web chat, stored and posted as a
 * signed {@code message.received} callback; and the media URLs that serve the files with the bearer API key.
 */
final class NotifyCustomerSide {

    private final NotifySimulator simulator;

    NotifyCustomerSide(NotifySimulator simulator) {
        this.simulator = simulator;
    }

    CustomerSent customerSends(CustomerMedia media) {
        if (media.attachments().isEmpty()) {
            throw new IllegalArgumentException("a customer message needs at least one media file");
        }
        String channel = media.channel() == null ? "RCS" : media.channel().toUpperCase(Locale.ROOT);
        if (!NotifySimulator.CHANNELS.contains(channel)) {
            throw new IllegalArgumentException("channel must be RCS or WEBCHAT, not '" + media.channel() + "'");
        }
        String messageId = "ntf_in_" + SimulatorIds.randomHex(12);
        String base = simulator.url();
        ObjectNode payload = simulator.json.createObjectNode().put("type", "message.received").put("messageId", messageId)
                .put("channel", channel).put("from", media.from())
                .put("to", media.to() != null ? media.to() : simulator.sender())
                .put("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                .put("text", media.text());
        ArrayNode attachments = payload.putArray("attachments");
        List<CustomerSent.Media> stored = new ArrayList<>();
        for (int i = 0; i < media.attachments().size(); i++) {
            String type = media.typeOf(i);
            if (!NotifySimulator.TYPES.contains(type)) {
                throw new IllegalArgumentException("type must be one of " + NotifySimulator.TYPES + ", not '" + type + "'");
            }
            String mediaId = "nm" + SimulatorIds.randomHex(12);
            String url = base + NotifySimulator.MEDIA_PATH + mediaId;
            StoredMedia file = simulator.customers.put(mediaId, messageId, media.attachments().get(i).bytes(),
                    media.mimeTypeOf(i), media.faults());
            stored.add(file.describe(url, true));
            ObjectNode attachment = attachments.addObject().put("type", type).put("url", url)
                    .put("contentType", file.contentType).put("size", file.size).put("sha256", file.reportedSha256Hex)
                    .put("fileName", media.fileNameOf(i)).put("caption", i == 0 ? media.caption() : null);
            if ("audio".equals(type)) {
                attachment.put("voice", media.voice());
            }
        }
        String body;
        try {
            body = simulator.json.writeValueAsString(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String webhookId = "msg_" + UUID.randomUUID();
        // A re-delivery keeps the webhook id (the Standard Webhooks way) but is signed afresh with a new timestamp.
        PostedWebhook posted = simulator.inbound.deliver(messageId, () -> {
            long timestamp = Instant.now().getEpochSecond();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("webhook-id", webhookId);
            headers.put("webhook-timestamp", Long.toString(timestamp));
            headers.put("webhook-signature", NotifySimulator.signature(simulator.webhookSecret, webhookId, timestamp, body));
            return simulator.inbound.post(simulator.client(), messageId, simulator.inboundWebhookUrl(), "application/json", bytes, headers);
        });
        return new CustomerSent(messageId, stored, posted.status(), posted);
    }

    /** {@code GET /notify/media/<id>} with {@code Authorization: Bearer <apiKey>}: the bytes. */
    void media(HttpExchange exchange) {
        try (exchange) {
            String mediaId = exchange.getRequestURI().getPath().substring(NotifySimulator.MEDIA_PATH.length());
            if (!"GET".equalsIgnoreCase(exchange.getRequestMethod())) {
                simulator.respond(exchange, 405, simulator.meta(null, "Method not allowed"), null);
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            boolean authorized = SimulatorRequests.sameSecret(auth, "Bearer " + simulator.apiKey);
            CustomerMediaStore.Download answer = simulator.customers.download(mediaId, authorized ? 0 : 401);
            switch (answer.status()) {
                case 200 -> simulator.customers.writeContent(exchange, answer.media());
                case 401 -> simulator.respond(exchange, 401, simulator.meta(null, "Unauthorized"), null);
                case 500 -> simulator.respond(exchange, 500, simulator.meta(null, "Internal error"), null);
                default -> simulator.respond(exchange, 404, simulator.meta(null, "Media not found"), null);
            }
        }
    }
}
