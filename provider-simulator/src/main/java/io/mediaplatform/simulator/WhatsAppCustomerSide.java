package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The WhatsApp simulator's customer side: a customer sending one media file (stored, and the signed
 * {@code messages[]} webhook posted), the Graph media resolve {@code GET /{version}/{media-id}} and the short-lived,
 * signed download URL that serves the bytes.
 */
final class WhatsAppCustomerSide {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final WhatsAppSimulator simulator;
    private final byte[] urlKey = SimulatorIds.randomBytes(32);

    WhatsAppCustomerSide(WhatsAppSimulator simulator) {
        this.simulator = simulator;
    }

    /**
     * Plays a customer sending one media file to the business: stores the bytes under a new media id (served by the
     * Graph media endpoint and the download URL, with the media's {@link MediaFaults}) and posts the signed
     * {@code messages[]} webhook to {@link #webhookUrl()} now, once.
     *
     * @return the {@code wamid}, the media (id, hex sha256, size, content type) and the webhook's HTTP status
     * @throws IllegalArgumentException when the message has not exactly one file, or an unknown type
     */
    CustomerSent customerSends(CustomerMedia media) {
        if (media.attachments().size() != 1) {
            throw new IllegalArgumentException("a WhatsApp message carries exactly one media file, not "
                    + media.attachments().size());
        }
        String type = media.typeOf(0);
        if (!CloudApiSendRules.MEDIA_TYPES.contains(type)) {
            throw new IllegalArgumentException("type must be one of " + CloudApiSendRules.MEDIA_TYPES + ", not '" + type + "'");
        }
        String waId = media.from().replaceAll("\\D", "");
        if (waId.isEmpty()) {
            throw new IllegalArgumentException("from must be a phone number: '" + media.from() + "'");
        }
        String mimeType = media.mimeTypeOf(0);
        String wamid = WhatsAppSends.newWamid();
        String mediaId = newMediaId();
        StoredMedia stored = simulator.customers.put(mediaId, wamid, media.attachments().getFirst().bytes(),
                mimeType, media.faults());

        ObjectNode payload = simulator.json.createObjectNode().put("object", "whatsapp_business_account");
        ObjectNode change = payload.putArray("entry").addObject().put("id", simulator.wabaId).putArray("changes").addObject();
        change.put("field", "messages");
        ObjectNode value = change.putObject("value").put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", simulator.displayPhoneNumber)
                .put("phone_number_id", media.to() != null ? media.to() : simulator.phoneNumberId);
        ObjectNode contact = value.putArray("contacts").addObject();
        contact.putObject("profile").put("name", media.profileName() != null ? media.profileName() : "Customer");
        contact.put("wa_id", waId);
        ObjectNode message = value.putArray("messages").addObject().put("from", waId).put("id", wamid)
                .put("timestamp", Long.toString(Instant.now().getEpochSecond())).put("type", type);
        ObjectNode content = message.putObject(type);
        if (CloudApiSendRules.CAPTIONED.contains(type) && media.caption() != null) {
            content.put("caption", media.caption());
        }
        if ("document".equals(type) && media.fileNameOf(0) != null) {
            content.put("filename", media.fileNameOf(0));
        }
        content.put("mime_type", mimeType).put("sha256", stored.reportedSha256Base64()).put("id", mediaId);
        if ("audio".equals(type)) {
            content.put("voice", media.voice());
        }
        if ("sticker".equals(type)) {
            content.put("animated", media.animated());
        }
        byte[] body;
        try {
            body = simulator.json.writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PostedWebhook posted = simulator.inbound.deliver(wamid, () -> simulator.inbound.post(simulator.client(), wamid, simulator.webhookUrl(),
                "application/json", body, simulator.appSecret == null ? Map.of()
                        : Map.of(WhatsAppSimulator.SIGNATURE_HEADER, WhatsAppSimulator.signature(simulator.appSecret, body))));
        return new CustomerSent(wamid, List.of(stored.describe(null, true)), posted.status(), posted);
    }

    /** {@code GET /{version}/{media-id}}: the media's metadata and a short-lived download URL. */
    void resolve(HttpExchange exchange, String mediaId) {
        StoredMedia stored = simulator.customers.find(mediaId);
        if (stored != null) {
            stored.resolves.incrementAndGet();
        }
        if (!simulator.sendEndpoint.authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
            simulator.respond(exchange, 401, GraphErrors.invalidToken(), null);
            return;
        }
        if (stored == null || stored.gone) {
            simulator.respond(exchange, 404, GraphErrors.mediaNotFound(mediaId), null);
            return;
        }
        long expires = stored.expiredUrlPending.getAndSet(false)
                ? Instant.now().getEpochSecond() - 60
                : Instant.now().plus(simulator.mediaUrlTtl).getEpochSecond();
        String url = simulator.url() + WhatsAppSimulator.MEDIA_DOWNLOAD_PATH + mediaId + "?expires=" + expires + "&sig=" + urlSignature(mediaId, expires);
        ObjectNode answer = simulator.json.createObjectNode().put("messaging_product", "whatsapp").put("url", url)
                .put("mime_type", stored.contentType).put("sha256", stored.reportedSha256Hex)
                .put("file_size", stored.size).put("id", mediaId);
        simulator.respond(exchange, 200, answer, null);
    }

    /** {@code GET /whatsapp/media-download/<id>?expires=&sig=} with the bearer token: the bytes. */
    void download(HttpExchange exchange) {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String mediaId = path.substring(WhatsAppSimulator.MEDIA_DOWNLOAD_PATH.length());
            if (!"GET".equalsIgnoreCase(exchange.getRequestMethod()) || mediaId.isEmpty() || mediaId.contains("/")) {
                simulator.respond(exchange, 404, GraphErrors.mediaNotFound(mediaId), null);
                return;
            }
            Map<String, String> query = SimulatorRequests.query(exchange.getRequestURI().getRawQuery());
            int refusal = 0;
            long expires = parseLong(query.get("expires"));
            if (!simulator.sendEndpoint.authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refusal = 401;
            } else if (expires == Long.MIN_VALUE || query.get("sig") == null || !MessageDigest.isEqual(
                    urlSignature(mediaId, expires).getBytes(StandardCharsets.US_ASCII),
                    query.get("sig").toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
                refusal = 403;
            } else if (expires < Instant.now().getEpochSecond()) {
                refusal = 404;
            }
            CustomerMediaStore.Download answer = simulator.customers.download(mediaId, refusal);
            switch (answer.status()) {
                case 200 -> simulator.customers.writeContent(exchange, answer.media());
                case 401 -> simulator.respond(exchange, 401, GraphErrors.invalidToken(), null);
                case 403 -> simulator.respond(exchange, 403, GraphErrors.error("URL signature mismatch", "OAuthException", 100), null);
                case 500 -> simulator.respond(exchange, 500, GraphErrors.error("An unexpected error has occurred. Please retry your "
                        + "request later.", "OAuthException", 2), null);
                default -> simulator.respond(exchange, 404, refusal == 404
                        ? GraphErrors.error("URL signature expired", "OAuthException", 100) : GraphErrors.mediaNotFound(mediaId), null);
            }
        }
    }

    private String urlSignature(String mediaId, long expires) {
        return HexFormat.of().formatHex(Hmac.of("HmacSHA256", urlKey,
                (mediaId + ":" + expires).getBytes(StandardCharsets.UTF_8)));
    }

    private static long parseLong(String value) {
        try {
            return value == null ? Long.MIN_VALUE : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    private static String newMediaId() {
        return Long.toString(1_000_000_000_000_000L + Math.floorMod(RANDOM.nextLong(), 8_999_999_999_999_999L));
    }
}
