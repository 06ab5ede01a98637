package io.mediaplatform.simulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The inbound-message webhooks a simulator posts for its customers: each posted synchronously and once, remembered
 * so that it can be posted again (a redelivery), and recorded.
 */
final class InboundWebhooks {

    private static final Logger log = LoggerFactory.getLogger(InboundWebhooks.class);
    private static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, Supplier<PostedWebhook>> deliveries = new ConcurrentHashMap<>();
    private final List<PostedWebhook> posted = new CopyOnWriteArrayList<>();

    /**
     * Remembers how to deliver a message's webhook (so {@link #redeliver} can post it again) and delivers it now.
     * The supplier is called once per delivery, so it may sign afresh (a new timestamp) each time.
     */
    PostedWebhook deliver(String providerMessageId, Supplier<PostedWebhook> delivery) {
        deliveries.put(providerMessageId, delivery);
        return delivery.get();
    }

    /** Posts a message's webhook again (the provider delivering it twice); returns the receiver's status. */
    int redeliver(String providerMessageId) {
        Supplier<PostedWebhook> delivery = deliveries.get(providerMessageId);
        if (delivery == null) {
            throw new IllegalArgumentException("no customer message " + providerMessageId);
        }
        return delivery.get().status();
    }

    /**
     * Posts one webhook synchronously, once (no retry: the caller sees the status and may {@link #redeliver});
     * records it. A null or blank URL posts nothing (status 0).
     */
    PostedWebhook post(HttpClient http, String providerMessageId, String url, String contentType, byte[] body,
                       Map<String, String> signatureHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.putAll(signatureHeaders);
        int status = 0;
        if (url != null && !url.isBlank()) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(WEBHOOK_TIMEOUT)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                headers.forEach(request::header);
                status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException | IllegalArgumentException e) {
                log.info("Inbound webhook of {} to {} not answered: {}", providerMessageId, url, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            log.info("No inbound webhook URL set: message {} not posted", providerMessageId);
        }
        PostedWebhook webhook = new PostedWebhook(providerMessageId, url, headers, body, status, Instant.now());
        posted.add(webhook);
        return webhook;
    }

    List<PostedWebhook> posted() {
        return List.copyOf(posted);
    }

    void clear() {
        deliveries.clear();
        posted.clear();
    }
}
