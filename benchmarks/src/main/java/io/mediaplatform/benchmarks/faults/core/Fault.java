package io.mediaplatform.benchmarks.faults.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One fault of the harness, applied while traffic flows. Each has a name ({@code --faults=}) and the bound on doubled
 * sends the README promises for it.
 */
public sealed interface Fault {

    /** Every fault, in the order the harness runs them. */
    List<Fault> ALL = List.of(new ServiceKill("ingest"), new ServiceKill("validation"), new ServiceKill("dispatch"),
            new ServiceKill("callback"), new BrokerRestart(), new PostgresRestart(), new WebhookReceiverDown(Duration.ofSeconds(30)),
            new ProviderFaults(0.30, 0.10, 0.03), new PoisonRecords());

    /**
     * Partitions dispatch works on at once (3 of {@code media.accepted.v1}, 3 of {@code dispatch.send-retry.v1}): the
     * README's bound on sends doubled by a crash or a lost Kafka commit, one per partition being processed.
     */
    int DISPATCH_PARTITIONS = 6;

    /** Its name for {@code --faults=}. */
    default String name() {
        return switch (this) {
            case ServiceKill kill -> "kill-" + kill.service();
            case BrokerRestart ignored -> "broker-restart";
            case PostgresRestart ignored -> "postgres-restart";
            case WebhookReceiverDown ignored -> "webhook-down";
            case ProviderFaults ignored -> "provider-faults";
            case PoisonRecords ignored -> "poison";
        };
    }

    /** What the fault does, for the table. */
    default String description() {
        return switch (this) {
            case ServiceKill kill -> "kill -9 " + kill.service() + ", restart";
            case BrokerRestart ignored -> "Kafka broker restart";
            case PostgresRestart ignored -> "PostgreSQL restart";
            case WebhookReceiverDown down -> "webhook receiver down " + down.down().toSeconds() + " s";
            case ProviderFaults mix -> String.format(Locale.ROOT, "provider %.0f %% 5xx, %.0f %% 429, %.0f %% timeouts",
                    mix.serverErrors() * 100, mix.rateLimited() * 100, mix.timeouts() * 100);
            case PoisonRecords ignored -> "poison records on every topic";
        };
    }

    /**
     * The most sends the provider may see twice (README, "Delivery guarantees"): a crash of dispatch or a lost Kafka
     * commit may double one in-flight send per partition being processed; a send the provider took but answered after
     * the client's timeout ({@code lateAnswers} of them) may be sent again; nothing else doubles.
     */
    default int doubleBound(int lateAnswers) {
        return switch (this) {
            case ServiceKill kill -> kill.service().equals("dispatch") ? DISPATCH_PARTITIONS : 0;
            case BrokerRestart ignored -> DISPATCH_PARTITIONS;
            case ProviderFaults ignored -> lateAnswers;
            case PostgresRestart ignored -> 0;
            case WebhookReceiverDown ignored -> 0;
            case PoisonRecords ignored -> 0;
        };
    }

    /** kill -9 of one service mid-run, then a start of it. */
    record ServiceKill(String service) implements Fault {
    }

    /** Kafka's broker stopped and started again on its ports and data. */
    record BrokerRestart() implements Fault {
    }

    /** PostgreSQL stopped and started again on its port and data. */
    record PostgresRestart() implements Fault {
    }

    /** The messages' webhook receiver refuses connections for {@code down}, then comes back. */
    record WebhookReceiverDown(Duration down) implements Fault {
    }

    /** The WhatsApp provider fails that share of sends with 5xx, with 429 and with timeouts, for the phase's traffic. */
    record ProviderFaults(double serverErrors, double rateLimited, double timeouts) implements Fault {
    }

    /** Non-Avro bytes, a wrong magic byte and an unknown schema id on every partition of every topic. */
    record PoisonRecords() implements Fault {
    }

    /** The faults named in {@code list} (comma-separated names, or {@code all}), in the harness's order. */
    static List<Fault> parse(String list) {
        if (list.isBlank() || list.equals("all")) {
            return ALL;
        }
        List<String> names = List.of(list.split(","));
        List<Fault> chosen = new ArrayList<>();
        for (String name : names) {
            if (ALL.stream().noneMatch(f -> f.name().equals(name.trim()))) {
                throw new IllegalArgumentException("unknown fault " + name.trim() + "; known: "
                        + String.join(",", ALL.stream().map(Fault::name).toList()));
            }
        }
        for (Fault fault : ALL) {
            if (names.stream().anyMatch(n -> n.trim().equals(fault.name()))) {
                chosen.add(fault);
            }
        }
        return chosen;
    }
}
