package io.mediaplatform.simulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Twilio simulator's life of an accepted message: it fetches every {@code MediaUrl}, then posts the signed,
 * form-encoded status callbacks ({@code sent}, {@code delivered}, {@code read}; or {@code failed} /
 * {@code undelivered}) to the message's {@code StatusCallback}, and keeps what it posted.
 */
final class TwilioStatusCallbacks {

    private static final Logger log = LoggerFactory.getLogger(TwilioStatusCallbacks.class);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CALLBACK_TIMEOUT = Duration.ofSeconds(10);
    private static final int CALLBACK_ATTEMPTS = 3;

    private final TwilioSimulator simulator;
    /** Every status callback posted (its form parameters), in order of first posting. */
    final List<Map<String, String>> postedStatuses = new CopyOnWriteArrayList<>();

    TwilioStatusCallbacks(TwilioSimulator simulator) {
        this.simulator = simulator;
    }

    /** The {@code MessageStatus} words posted so far for one sid, in order. */
    List<String> statusesOf(String sid) {
        List<String> words = new ArrayList<>();
        for (Map<String, String> status : postedStatuses) {
            if (sid.equals(status.get("MessageSid"))) {
                words.add(status.get("MessageStatus"));
            }
        }
        return words;
    }

    record Accepted(String sid, String to, String from, List<String> mediaUrls, String statusCallback,
                            boolean failOnPurpose) {
        boolean whatsapp() {
            return to.startsWith("whatsapp:");
        }
    }

    /** Fetches every media URL of the message, then posts its chain of statuses. */
    void deliver(Accepted message) {
        CompletableFuture<String> fetched = CompletableFuture.completedFuture(null);
        for (String url : message.mediaUrls()) {
            fetched = fetched.thenCompose(problem -> problem != null ? CompletableFuture.completedFuture(problem) : fetch(url));
        }
        fetched.whenComplete((problem, error) -> {
            String failure = error != null ? error.getMessage() : problem;
            List<Step> steps = new ArrayList<>();
            if (failure != null) {
                log.info("Twilio simulator could not fetch the media of {}: {}", message.sid(), failure);
                steps.add(new Step("failed", "11200"));
            } else if (message.failOnPurpose()) {
                steps.add(new Step("sent", null));
                steps.add(new Step("undelivered", "30003"));
            } else {
                steps.add(new Step("sent", null));
                steps.add(new Step("delivered", null));
                if (message.whatsapp()) {
                    steps.add(new Step("read", null));
                }
            }
            postChain(message, steps);
        });
    }

    private record Step(String status, String errorCode) {
    }

    private CompletableFuture<String> fetch(String link) {
        return simulator.outbound.fetch(link, FETCH_TIMEOUT, "TwilioProxy/1.1", null);
    }

    private void postChain(Accepted message, List<Step> steps) {
        if (message.statusCallback() == null || message.statusCallback().isBlank()) {
            return;
        }
        simulator.outbound.postChain(steps, simulator.statusDelay, step -> {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("MessageSid", message.sid());
            params.put("SmsSid", message.sid());
            params.put("AccountSid", simulator.accountSid);
            params.put("MessageStatus", step.status());
            params.put("SmsStatus", step.status());
            params.put("To", message.to());
            params.put("From", message.from());
            params.put("ApiVersion", "2010-04-01");
            if (step.errorCode() != null) {
                params.put("ErrorCode", step.errorCode());
            }
            return post(message.statusCallback(), params);
        });
    }

    private CompletableFuture<Void> post(String url, Map<String, String> params) {
        postedStatuses.add(Map.copyOf(params));
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(CALLBACK_TIMEOUT)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("User-Agent", "TwilioProxy/1.1")
                    .header(TwilioSimulator.SIGNATURE_HEADER, TwilioSimulator.signature(simulator.authToken, url, params))
                    .POST(HttpRequest.BodyPublishers.ofString(SimulatorRequests.encodeForm(params), StandardCharsets.UTF_8)).build();
        } catch (IllegalArgumentException e) {
            log.warn("Invalid StatusCallback URL: status not posted");
            return CompletableFuture.completedFuture(null);
        }
        return simulator.outbound.postWithRetries(request, "Status callback", CALLBACK_ATTEMPTS,
                attempt -> simulator.statusDelay.toMillis() * attempt);
    }
}
