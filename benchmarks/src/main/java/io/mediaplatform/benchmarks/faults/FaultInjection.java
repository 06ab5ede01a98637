package io.mediaplatform.benchmarks.faults;

import io.mediaplatform.benchmarks.faults.core.Fault;
import io.mediaplatform.benchmarks.pipeline.WebhookReceiver;
import io.mediaplatform.localstack.LocalStack;
import io.mediaplatform.simulator.FaultMix;
import io.mediaplatform.simulator.ReceivedSend;
import io.mediaplatform.simulator.WhatsAppSimulator;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Does one fault to the running stack while a phase's traffic flows: kills and restarts a service, restarts the
 * broker or PostgreSQL, stops the webhook receiver a while, has the provider fail, or injects poison records; notes
 * what it did.
 */
final class FaultInjection {

    /** What the fault left: its notes, the poison injected (or null), the traffic's outcomes when it awaited them (or null). */
    record Injected(List<String> notes, PoisonRecords poison, List<Traffic.Outcome> outcomes) {
    }

    private final LocalStack stack;
    private final WebhookReceiver receiver;
    private final int providerHoldSeconds;
    private final PrintStream log;

    FaultInjection(LocalStack stack, WebhookReceiver receiver, int providerHoldSeconds, PrintStream log) {
        this.stack = stack;
        this.receiver = receiver;
        this.providerHoldSeconds = providerHoldSeconds;
        this.log = log;
    }

    /** Does the fault; {@code sendsBefore} and {@code lateBefore} are the provider's counts when the phase began. */
    Injected inject(Fault fault, Traffic traffic, int sendsBefore, int lateBefore) throws Exception {
        WhatsAppSimulator provider = stack.whatsApp();
        List<String> notes = new ArrayList<>();
        PoisonRecords poison = null;
        List<Traffic.Outcome> outcomes = null;
        Instant faultStart = Instant.now();
    switch (fault) {
        case Fault.ServiceKill kill -> {
            var service = stack.service(kill.service());
            long pid = service.pid();
            service.kill();
            log.printf("faults: %s: killed %s (pid %d) with SIGKILL%n", fault.name(), kill.service(), pid);
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(5));
            service.start();
            notes.add(String.format(Locale.ROOT, "down %.0f s", seconds(faultStart, Instant.now())));
        }
        case Fault.BrokerRestart ignored -> {
            stack.kafka().orElseThrow().restart();
            notes.add(String.format(Locale.ROOT, "broker down %.0f s", seconds(faultStart, Instant.now())));
        }
        case Fault.PostgresRestart ignored -> {
            stack.postgres().orElseThrow().restart();
            notes.add(String.format(Locale.ROOT, "down %.0f s", seconds(faultStart, Instant.now())));
        }
        case Fault.WebhookReceiverDown down -> {
            receiver.stop();
            LockSupport.parkNanos(down.down().toNanos());
            receiver.start();
        }
        case Fault.ProviderFaults mix -> {
            provider.failRandomly(new FaultMix(mix.serverErrors(), mix.rateLimited(), mix.timeouts(),
                    FaultHarness.PROVIDER_TIMEOUT_DELAY));
            outcomes = traffic.awaitDone();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(providerHoldSeconds));
            provider.failRandomly(null);
            List<ReceivedSend> sends = provider.sends();
            Map<Integer, Long> answers = sends.subList(sendsBefore, sends.size()).stream()
                    .collect(Collectors.groupingBy(ReceivedSend::responseStatus, Collectors.counting()));
            notes.add(String.format(Locale.ROOT, "provider failing for %.0f s: answered %s; %d late (timed out)",
                    seconds(faultStart, Instant.now()), answers, provider.lateAnswers() - lateBefore));
        }
        case Fault.PoisonRecords ignored -> {
            @SuppressWarnings("unchecked")
            String bootstrap = ((Map<String, String>) stack.description().get("kafka")).get("bootstrapServers");
            poison = new PoisonRecords(bootstrap, "poison-" + System.currentTimeMillis());
            poison.inject();
        }
    }
        return new Injected(notes, poison, outcomes);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
