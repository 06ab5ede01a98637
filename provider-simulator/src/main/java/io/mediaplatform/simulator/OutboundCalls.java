package io.mediaplatform.simulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/**
 * The calls a simulator makes out to the platform like its provider does: fetching a media link, and posting status
 * callbacks one after the other in a scheduled chain, each again while the receiver is down.
 */
final class OutboundCalls {

    private static final Logger log = LoggerFactory.getLogger(OutboundCalls.class);

    private final SimulatorServer<?> simulator;

    OutboundCalls(SimulatorServer<?> simulator) {
        this.simulator = simulator;
    }

    /**
     * Fetches a media link like the provider does: null when it answered 2xx with bytes, otherwise why not.
     *
     * @param seen told every answer (e.g. to record it), may be null
     */
    CompletableFuture<String> fetch(String link, Duration timeout, String userAgent,
                                              Consumer<HttpResponse<byte[]>> seen) {
        HttpRequest request;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(link)).timeout(timeout);
            if (userAgent != null) {
                builder.header("User-Agent", userAgent);
            }
            request = builder.GET().build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture("invalid media URL");
        }
        return simulator.client().sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .orTimeout(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    if (error != null) {
                        return "no answer (" + error.getClass().getSimpleName() + ")";
                    }
                    if (seen != null) {
                        seen.accept(response);
                    }
                    if (response.statusCode() / 100 != 2) {
                        return "HTTP " + response.statusCode();
                    }
                    return response.body().length == 0 ? "empty body" : null;
                });
    }

    /**
     * The chain of status callbacks of one message: each step posted {@code delay} after the previous one's post
     * ended (taken, or given up), in order.
     */
    <T> void postChain(List<T> steps, Duration delay, Function<T, CompletableFuture<?>> post) {
        if (steps.isEmpty()) {
            return;
        }
        simulator.later(delay, () -> post.apply(steps.getFirst())
                .whenComplete((ok, e) -> postChain(steps.subList(1, steps.size()), delay, post)));
    }

    /**
     * Posts one callback, again when the receiver is down or answers non-2xx, up to {@code attempts} times, waiting
     * {@code waitMillis(attempt)} before the next; completes when taken or given up.
     */
    CompletableFuture<Void> postWithRetries(HttpRequest request, String what, int attempts,
                                                      LongUnaryOperator waitMillis) {
        return postWithRetries(() -> request, what, () -> attempts, waitMillis);
    }

    /**
     * The same with the request made anew for every attempt (e.g. to a webhook URL that may change meanwhile; null:
     * nothing more to post) and the attempts read anew.
     */
    CompletableFuture<Void> postWithRetries(Supplier<HttpRequest> request, String what, IntSupplier attempts,
                                                      LongUnaryOperator waitMillis) {
        return post(request, what, 1, attempts, waitMillis);
    }

    private CompletableFuture<Void> post(Supplier<HttpRequest> requests, String what, int attempt, IntSupplier attempts,
                                         LongUnaryOperator waitMillis) {
        HttpRequest request = requests.get();
        if (request == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        simulator.client().sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error == null && response.statusCode() / 100 == 2) {
                done.complete(null);
            } else if (attempt < attempts.getAsInt() && !simulator.closing()) {
                log.info("{} to {} not taken ({}), retrying", what, request.uri(),
                        error != null ? error.getClass().getSimpleName() : "HTTP " + response.statusCode());
                simulator.later(Duration.ofMillis(waitMillis.applyAsLong(attempt)), () -> post(requests, what, attempt + 1,
                        attempts, waitMillis).whenComplete((v, e) -> done.complete(null)));
            } else {
                log.warn("{} to {} given up after {} attempts", what, request.uri(), attempt);
                done.complete(null);
            }
        });
        return done;
    }
}
