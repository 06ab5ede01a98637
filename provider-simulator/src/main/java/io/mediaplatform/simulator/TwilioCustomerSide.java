package io.mediaplatform.simulator;

import com.sun.net.httpserver.HttpExchange;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * The Twilio simulator's customer side: a customer sending an MMS (or a WhatsApp message through Twilio) with up to
 * ten media files, stored and posted form-encoded and signed to the inbound webhook; and the media URLs that serve
 * the files with basic auth.
 */
final class TwilioCustomerSide {

    private final TwilioSimulator simulator;

    TwilioCustomerSide(TwilioSimulator simulator) {
        this.simulator = simulator;
    }

    /**
     * Plays a customer sending a message with 0..10 media files (none only with a text): stores each file under a
     * new {@code ME…} MediaSid, served at its {@code MediaUrlN} with basic auth, and posts the form-encoded inbound
     * message, signed with {@code X-Twilio-Signature}, to {@link #inboundWebhookUrl()} now, once. Channel
     * {@code mms} (default) or {@code whatsapp} ({@code From}/{@code To} get the {@code whatsapp:} prefix).
     *
     * @return the {@code MM…} MessageSid, the media (MediaSid, hex sha256, size, content type, MediaUrl) and the
     *         webhook's HTTP status
     * @throws IllegalArgumentException for more than 10 files, no file and no text, or an unknown channel
     */
    CustomerSent customerSends(CustomerMedia media) {
        int count = media.attachments().size();
        if (count > TwilioSimulator.MAX_MEDIA) {
            throw new IllegalArgumentException("a Twilio message carries at most " + TwilioSimulator.MAX_MEDIA + " media, not " + count);
        }
        String text = media.text() != null ? media.text() : media.caption();
        if (count == 0 && text == null) {
            throw new IllegalArgumentException("a Twilio message needs media or a body");
        }
        String channel = media.channel() == null ? null : media.channel().toLowerCase(Locale.ROOT);
        if (channel != null && !channel.equals("mms") && !channel.equals("whatsapp")) {
            throw new IllegalArgumentException("channel must be mms or whatsapp, not '" + media.channel() + "'");
        }
        String to = media.to() != null ? CustomerMedia.normalisePhone(media.to()) : simulator.phoneNumber();
        boolean whatsapp = "whatsapp".equals(channel) || (channel == null
                && (media.from().startsWith("whatsapp:") || to.startsWith("whatsapp:")));
        String prefix = whatsapp ? "whatsapp:" : "";
        String from = prefix + media.from().replaceFirst("^whatsapp:", "");
        to = prefix + to.replaceFirst("^whatsapp:", "");
        String messageSid = (count > 0 ? "MM" : "SM") + SimulatorIds.randomHex(16);
        String base = simulator.url();

        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", messageSid);
        params.put("SmsMessageSid", messageSid);
        params.put("SmsSid", messageSid);
        params.put("AccountSid", simulator.accountSid);
        params.put("From", from);
        params.put("To", to);
        params.put("Body", text == null ? "" : text);
        params.put("NumMedia", Integer.toString(count));
        params.put("NumSegments", "1");
        List<CustomerSent.Media> stored = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String mediaSid = "ME" + SimulatorIds.randomHex(16);
            String contentType = media.mimeTypeOf(i);
            String mediaUrl = base + "/2010-04-01/Accounts/" + simulator.accountSid + "/Messages/" + messageSid + "/Media/" + mediaSid;
            stored.add(simulator.customers.put(mediaSid, messageSid, media.attachments().get(i).bytes(), contentType,
                    media.faults()).describe(mediaUrl, false));
            params.put("MediaContentType" + i, contentType);
            params.put("MediaUrl" + i, mediaUrl);
        }
        if (whatsapp) {
            params.put("ProfileName", media.profileName() != null ? media.profileName() : "Customer");
            params.put("WaId", from.replaceAll("\\D", ""));
        }
        params.put("SmsStatus", "received");
        params.put("ApiVersion", "2010-04-01");
        Map<String, String> fixed = Map.copyOf(params);
        byte[] body = SimulatorRequests.encodeForm(params).getBytes(StandardCharsets.UTF_8);
        PostedWebhook posted = simulator.inbound.deliver(messageSid, () -> {
            String target = simulator.inboundWebhookUrl();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("User-Agent", "TwilioProxy/1.1");
            if (target != null && !target.isBlank()) {
                headers.put(TwilioSimulator.SIGNATURE_HEADER, TwilioSimulator.signature(simulator.authToken, target, fixed));
            }
            return simulator.inbound.post(simulator.client(), messageSid, target, "application/x-www-form-urlencoded", body, headers);
        });
        return new CustomerSent(messageSid, stored, posted.status(), posted);
    }

    /** {@code GET /2010-04-01/Accounts/{sid}/Messages/{MessageSid}/Media/{MediaSid}} with basic auth: the bytes. */
    void media(HttpExchange exchange, Matcher path) {
        String mediaSid = path.group(3);
        boolean authorized = path.group(1).equals(simulator.accountSid)
                && simulator.sendEndpoint.authorized(exchange.getRequestHeaders().getFirst("Authorization"));
        StoredMedia known = simulator.customers.find(mediaSid);
        if (authorized && known != null && !known.owner.equals(path.group(2))) {
            simulator.respond(exchange, 404, simulator.error(20404, "The requested resource " + exchange.getRequestURI().getPath()
                    + " was not found", 404), null);
            return;
        }
        CustomerMediaStore.Download answer = simulator.customers.download(mediaSid, authorized ? 0 : 401);
        switch (answer.status()) {
            case 200 -> simulator.customers.writeContent(exchange, answer.media());
            case 401 -> simulator.respond(exchange, 401, simulator.error(20003, "Authenticate", 401), null);
            case 500 -> simulator.respond(exchange, 500, simulator.error(20500, "An internal server error has occurred", 500), null);
            default -> simulator.respond(exchange, 404, simulator.error(20404, "The requested resource " + exchange.getRequestURI().getPath()
                    + " was not found", 404), null);
        }
    }
}
