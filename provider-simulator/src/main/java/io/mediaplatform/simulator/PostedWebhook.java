package io.mediaplatform.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * One inbound-message webhook a simulator posted to the platform (a customer's message), as it went out.
 *
 * @param providerMessageId the message it carries
 * @param url               where it was posted (null when no webhook URL was set: nothing was posted)
 * @param headers           the headers set by the simulator (signature headers included)
 * @param body              the raw body
 * @param status            the receiver's HTTP status; 0 when not posted or not answered
 * @param postedAt          when
 */
public record PostedWebhook(String providerMessageId, String url, Map<String, String> headers, byte[] body,
                            int status, Instant postedAt) {

    public PostedWebhook {
        headers = Map.copyOf(headers);
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** A header by name, any case. */
    public String header(String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return e.getValue();
            }
        }
        return null;
    }
}
