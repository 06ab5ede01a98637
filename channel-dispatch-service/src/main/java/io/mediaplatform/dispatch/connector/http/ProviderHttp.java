package io.mediaplatform.dispatch.connector.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediaplatform.common.core.RetryAfter;
import io.mediaplatform.common.tracing.Traces;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.SendResult;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * The HTTP plumbing every HTTP provider connector shares: one call whose transport failures become retryable
 * {@link SendResult.Failed} results (TIMEOUT, NETWORK_ERROR, INTERRUPTED), lenient JSON reading of answers,
 * and {@code Retry-After} parsing.
 */
public final class ProviderHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProviderHttp() {
    }

    /**
     * Sends {@code request} and hands the answer to {@code outcome}; a timeout, an unreachable provider or an
     * interrupt becomes a retryable failure naming {@code provider}.
     */
    public static SendResult call(HttpClient http, HttpRequest request, String provider, Duration timeout,
                                  Function<HttpResponse<byte[]>, SendResult> outcome) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(traced(request), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            return new SendResult.Failed("TIMEOUT", provider + " did not answer within " + timeout, true);
        } catch (IOException e) {
            return new SendResult.Failed("NETWORK_ERROR", provider + " could not be reached: " + e.getClass().getSimpleName(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SendResult.Failed("INTERRUPTED", "Interrupted while sending", true);
        }
        return outcome.apply(response);
    }

    /**
     * Posts {@code body} as JSON to {@code endpoint} with these headers (besides JSON's {@code Content-Type} and
     * {@code Accept}) and hands the answer to {@code outcome}, like {@link #call}; a body that cannot be written is a
     * failure that is not retried ({@code INVALID_REQUEST}).
     */
    public static SendResult postJson(HttpClient http, URI endpoint, Map<String, String> headers, Object body,
                                      String provider, Duration timeout,
                                      Function<HttpResponse<byte[]>, SendResult> outcome) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            return new SendResult.Failed("INVALID_REQUEST", "Could not write the request: " + e.getMessage(), false);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        headers.forEach(request::header);
        return call(http, request.build(), provider, timeout, outcome);
    }

    /** The request with the {@code traceparent} of the current span (the provider call's), when there is one. */
    static HttpRequest traced(HttpRequest request) {
        Map<String, String> trace = Traces.currentHeaders();
        if (trace.isEmpty()) {
            return request;
        }
        HttpRequest.Builder copy = HttpRequest.newBuilder(request, (name, value) -> !trace.containsKey(name.toLowerCase(java.util.Locale.ROOT)));
        trace.forEach(copy::header);
        return copy.build();
    }

    /** The answer's JSON, or an empty object when the body is empty or not JSON. */
    public static JsonNode json(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : JSON.readTree(body);
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** The answer's {@code Retry-After}, or null when absent or unreadable. */
    public static Duration retryAfter(HttpResponse<?> response) {
        return RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null));
    }

    /**
     * Our status callback URL for a message, for providers that call back the URL given with each send (Twilio, the
     * notification API): the correlation rides in its query ({@code t} tenant, {@code m} message, {@code c}
     * conversation when there is one, {@code to}, {@code ch} channel), which their status webhooks read back.
     */
    public static String statusCallbackUrl(String base, OutboundSend send) {
        StringJoiner query = new StringJoiner("&", base + "?", "");
        query.add("t=" + encode(send.tenantId()));
        query.add("m=" + encode(send.messageId()));
        if (send.conversationId() != null) {
            query.add("c=" + encode(send.conversationId()));
        }
        query.add("to=" + encode(send.to()));
        query.add("ch=" + encode(send.channel()));
        return query.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
