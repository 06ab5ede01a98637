package io.mediaplatform.dispatch.resilience.resilience4j;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.mediaplatform.dispatch.retry.core.ProviderHealth;
import io.mediaplatform.dispatch.retry.core.RetryProbes;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.ProviderConnector;
import io.mediaplatform.dispatch.send.core.SendKind;
import io.mediaplatform.dispatch.send.core.SendResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ResilientSenderTest {

    /** A provider stand-in answering from a script, then "sent". */
    static final class ScriptedProvider implements ProviderConnector {
        final Deque<SendResult> script = new ArrayDeque<>();
        final List<String> calls = new ArrayList<>();

        ScriptedProvider then(SendResult... results) {
            script.addAll(List.of(results));
            return this;
        }

        @Override
        public String provider() {
            return "scripted";
        }

        @Override
        public String channel() {
            return "MMS";
        }

        @Override
        public SendResult send(OutboundSend send) {
            synchronized (calls) {
                calls.add(send.messageId());
            }
            SendResult next = script.poll();
            return next != null ? next : new SendResult.Sent("p-" + send.messageId());
        }
    }

    private static ResilientSender sender(int attempts, int minimumCalls, Duration openWait) {
        return new ResilientSender(new ResilientSender.Settings(attempts, Duration.ofMillis(10), Duration.ofSeconds(2),
                2.0, 0.5, 50, minimumCalls, minimumCalls, openWait, 1, 5, Duration.ofSeconds(1)),
                Map.of("scripted", 1000), Duration.ofSeconds(1));
    }

    private static OutboundSend send(String id) {
        return OutboundSend.media("t", id, "MMS", "+1555", "+1666", SendKind.IMAGE, null, null, "http://x/m", "m", "c");
    }

    private static SendResult.Failed serverError() {
        return new SendResult.Failed("HTTP_500", "down", true);
    }

    @Test
    void a_5xx_is_retried_until_the_provider_takes_the_message() {
        // Given a provider failing twice with 500 and then taking the message
        ScriptedProvider provider = new ScriptedProvider().then(serverError(), serverError());

        // When one message is sent with three attempts
        SendResult result = sender(3, 100, Duration.ofSeconds(1)).send(provider, send("m1"));

        // Then it was called three times and the message is sent
        assertThat(result).isInstanceOf(SendResult.Sent.class);
        assertThat(provider.calls).containsExactly("m1", "m1", "m1");
    }

    @Test
    void a_refusal_for_the_message_itself_is_not_retried() {
        // Given a provider refusing the recipient (400)
        ScriptedProvider provider = new ScriptedProvider().then(new SendResult.Failed("21211", "bad number", false));

        // When sent
        SendResult result = sender(3, 100, Duration.ofSeconds(1)).send(provider, send("m1"));

        // Then it failed with the provider's code after one call
        assertThat(result).isEqualTo(new SendResult.Failed("21211", "bad number", false));
        assertThat(provider.calls).hasSize(1);
    }

    @Test
    void a_429_waits_for_retry_after_and_one_longer_than_the_longest_backoff_ends_the_retries() {
        // Given a provider throttling once with Retry-After 300 ms
        ScriptedProvider provider = new ScriptedProvider()
                .then(new SendResult.Failed("HTTP_429", "slow down", true, Duration.ofMillis(300)));

        // When sent
        long started = System.nanoTime();
        SendResult result = sender(3, 100, Duration.ofSeconds(1)).send(provider, send("m1"));

        // Then the retry came after the asked pause and succeeded
        assertThat(result).isInstanceOf(SendResult.Sent.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        // And when a provider asks for a minute, more than the longest backoff (2 s)
        ScriptedProvider patient = new ScriptedProvider()
                .then(new SendResult.Failed("HTTP_429", "come back later", true, Duration.ofMinutes(1)));
        SendResult failed = sender(3, 100, Duration.ofSeconds(1)).send(patient, send("m2"));

        // Then it is not retried: the failure is final (and retryable, for the dead-letter topic)
        assertThat(failed).isInstanceOf(SendResult.Failed.class);
        assertThat(patient.calls).hasSize(1);
    }

    @Test
    void the_provider_health_hears_of_the_outage_and_of_the_recovery_for_the_retry_worker() {
        // Given a circuit judging after 4 calls, open for 300 ms, and a provider failing 4 times in a row
        ResilientSender sender = sender(1, 4, Duration.ofMillis(300));
        ScriptedProvider provider = new ScriptedProvider().then(serverError(), serverError(), serverError(), serverError());
        for (int i = 0; i < 4; i++) {
            sender.send(provider, send("down-" + i));
        }

        // Then the health knows the circuit refuses calls for 300 ms, and no recovery yet
        ProviderHealth.Health down = sender.health().of("scripted");
        assertThat(sender.circuitBreaker("scripted").getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(down.refusingUntil()).isNotNull();
        assertThat(down.recoveredAt()).isNull();

        // When the provider is back and a probe goes through after the open wait
        await().atMost(Duration.ofSeconds(5)).until(() -> sender.send(provider, send("probe")) instanceof SendResult.Sent);

        // Then the health records the recovery: a message waiting since the outage is due at once
        ProviderHealth.Health back = sender.health().of("scripted");
        assertThat(back.recoveredAt()).isNotNull();
        assertThat(back.refusingUntil()).isNull();
        assertThat(new RetryProbes(Duration.ofSeconds(5)).nextAttempt(back.recoveredAt().plusSeconds(600),
                back.recoveredAt().minusMillis(1), back)).isEqualTo(back.recoveredAt());
    }

    @Test
    void the_circuit_opens_after_repeated_provider_failures_refuses_calls_and_closes_after_a_good_probe() {
        // Given a circuit judging after 4 calls, open for 300 ms, and a provider failing 4 times in a row
        ResilientSender sender = sender(1, 4, Duration.ofMillis(300));
        ScriptedProvider provider = new ScriptedProvider().then(serverError(), serverError(), serverError(), serverError());
        for (int i = 0; i < 4; i++) {
            sender.send(provider, send("down-" + i));
        }

        // When another message is sent right away
        SendResult refused = sender.send(provider, send("while-open"));

        // Then the circuit is open and the provider was not called
        assertThat(sender.circuitBreaker("scripted").getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(refused).isInstanceOf(SendResult.Failed.class);
        assertThat(((SendResult.Failed) refused).code()).isEqualTo(ResilientSender.CIRCUIT_OPEN);
        assertThat(((SendResult.Failed) refused).retryable()).isTrue();
        assertThat(provider.calls).doesNotContain("while-open");

        // And after the open wait a probe goes through, succeeds, and the circuit closes
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> sender.send(provider, send("probe")) instanceof SendResult.Sent);
        assertThat(sender.circuitBreaker("scripted").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void throttling_does_not_open_the_circuit() {
        // Given a provider answering 429 (with a short Retry-After) five times
        ResilientSender sender = sender(1, 4, Duration.ofSeconds(30));
        ScriptedProvider provider = new ScriptedProvider();
        for (int i = 0; i < 5; i++) {
            provider.then(new SendResult.Failed("HTTP_429", "slow down", true, Duration.ofMillis(1)));
        }

        // When five messages are sent
        for (int i = 0; i < 5; i++) {
            sender.send(provider, send("t-" + i));
        }

        // Then the circuit stays closed
        assertThat(sender.circuitBreaker("scripted").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void the_rate_limit_spaces_out_the_sends_of_one_sender() {
        // Given a limit of 2 messages per second per sender
        ResilientSender sender = new ResilientSender(new ResilientSender.Settings(3, Duration.ofMillis(10),
                Duration.ofSeconds(2), 2.0, 0.5, 50, 100, 100, Duration.ofSeconds(1), 1, 5, Duration.ofSeconds(1)),
                Map.of("scripted", 2), Duration.ofSeconds(5));
        ScriptedProvider provider = new ScriptedProvider();

        // When five messages are sent one after the other
        long started = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            assertThat(sender.send(provider, send("r-" + i))).isInstanceOf(SendResult.Sent.class);
        }

        // Then it took at least two refresh periods (2 + 2 + 1)
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void retries_happen_on_the_callers_thread_so_messages_keep_their_order() {
        // Given a provider failing the first message twice
        ScriptedProvider provider = new ScriptedProvider().then(serverError(), serverError());
        ResilientSender sender = sender(3, 100, Duration.ofSeconds(1));

        // When three messages are sent one after the other
        for (String id : List.of("first", "second", "third")) {
            sender.send(provider, send(id));
        }

        // Then the provider saw them in order, the retried one before the next
        assertThat(provider.calls).containsExactly("first", "first", "first", "second", "third");
    }
}
