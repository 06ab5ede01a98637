package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One send request as the simulator received it, for tests and demos to inspect.
 *
 * @param receivedAt     when it arrived
 * @param path           request path, e.g. {@code /v21.0/123456/messages}
 * @param apiVersion     the version segment of the path
 * @param phoneNumberId  the phone-number-id segment of the path
 * @param headers        request headers, names in lower case (only the first value of each)
 * @param body           the JSON body as sent (a {@code NullNode} when it was not JSON)
 * @param responseStatus the HTTP status the simulator answered
 * @param messageId      the {@code wamid.*} it answered with, or null when it refused the send
 */
public record ReceivedSend(Instant receivedAt, String path, String apiVersion, String phoneNumberId,
                           Map<String, String> headers, JsonNode body, int responseStatus, String messageId) {

    public ReceivedSend {
        headers = Map.copyOf(headers);
    }

    /** A header by name, any case. */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** Whether the simulator accepted this send (answered 200 with a message id). */
    public boolean accepted() {
        return messageId != null;
    }

    /** The names of the body's top-level fields, in order. */
    public List<String> fieldNames() {
        java.util.ArrayList<String> names = new java.util.ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
