package io.mediaplatform.benchmarks.faults;

import io.mediaplatform.benchmarks.faults.core.Fault;
import io.mediaplatform.benchmarks.faults.core.PhaseResult;
import io.mediaplatform.benchmarks.faults.core.ResultsTable;
import io.mediaplatform.benchmarks.pipeline.PipelineBenchmark;
import io.mediaplatform.benchmarks.pipeline.WebhookReceiver;
import io.mediaplatform.dispatch.send.core.Correlation;
import io.mediaplatform.dispatch.connector.whatsapp.CallbackData;
import io.mediaplatform.localstack.LocalStack;
import io.mediaplatform.localstack.LocalStackOptions;
import io.mediaplatform.simulator.FaultMix;
import io.mediaplatform.simulator.ReceivedSend;
import io.mediaplatform.simulator.WhatsAppSimulator;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The fault harness ({@code deploy/local-stack/faults}): a local stack whose four services run as their own child JVMs,
 * and one phase per fault. In each phase a steady stream of WhatsApp image messages goes to {@code POST /v1/messages}
 * (retried with its Idempotency-Key while not answered 202); a third of the way in, the fault strikes and is then
 * undone; once every message was answered, the harness waits until callback's {@code GET /v1/messages/{id}} shows a
 * final status for each accepted one (or nothing moves for {@code --stuck-after}). Per fault it reports messages sent,
 * final statuses, lost (accepted but unknown to callback), stuck (no final status), sends the WhatsApp simulator took
 * twice for one message against the README's bound, and the time to drain after the fault; it prints and writes the
 * table and exits 1 when a phase lost, stuck or doubled beyond the bound.
 */
public final class FaultHarness {

    /** What the services run with besides the local stack's settings: a short provider timeout and webhook retry schedule. */
    static final Map<String, String> SETTINGS = Map.of(
            "WHATSAPP_REQUEST_TIMEOUT", "3s",
            "WEBHOOK_RETRY_SCHEDULE", "0s,2s,5s,10s,20s,30s,60s,120s,300s");
    /** A provider "timeout": the send is taken but answered after the client gave up (WHATSAPP_REQUEST_TIMEOUT 3 s). */
    static final Duration PROVIDER_TIMEOUT_DELAY = Duration.ofSeconds(5);
    static final int DEFAULT_MESSAGES = 5000;
    /**
     * How long a client goes on sending a message again: past ingest's IDEMPOTENCY_LEASE (2 min), for which a request
     * in flight when ingest was killed keeps its key claimed (retries are answered 409 meanwhile).
     */
    static final Duration GIVE_UP = Duration.ofMinutes(5);
    /** How often the simulator posts a status webhook before giving up: about 10 minutes of 5-second retries. */
    static final int WEBHOOK_ATTEMPTS = 120;
    static final String USAGE = "usage: deploy/local-stack/faults [--messages=" + DEFAULT_MESSAGES + "] [--faults=all|"
            + String.join(",", Fault.ALL.stream().map(Fault::name).toList()) + "] [--rate=10] [--conversations=50]"
            + " [--stuck-after=180] [--provider-hold=60] [--results=benchmarks/results]";

    /**
     * @param messages      messages over all phases (split evenly)
     * @param faults        the faults, in order
     * @param rate          messages per second each phase sends
     * @param conversations conversations the messages go round-robin over
     * @param stuckAfter    seconds without any message reaching a final status after which the rest count as stuck
     * @param providerHold  seconds the provider keeps failing after the phase's last message was accepted
     * @param results       where faults.md is written
     */
    record Options(int messages, List<Fault> faults, double rate, int conversations, int stuckAfter, int providerHold,
                   Path results) {

        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            for (String arg : args) {
                if (!arg.startsWith("--") || !arg.contains("=")) {
                    throw new IllegalArgumentException("unknown argument " + arg);
                }
                String name = arg.substring(2, arg.indexOf('='));
                if (!Set.of("messages", "faults", "rate", "conversations", "stuck-after", "provider-hold", "results").contains(name)) {
                    throw new IllegalArgumentException("unknown option --" + name);
                }
                values.put(name, arg.substring(arg.indexOf('=') + 1));
            }
            Options options = new Options(Integer.parseInt(values.getOrDefault("messages", String.valueOf(DEFAULT_MESSAGES))),
                    Fault.parse(values.getOrDefault("faults", "all")),
                    Double.parseDouble(values.getOrDefault("rate", "10")),
                    Integer.parseInt(values.getOrDefault("conversations", "50")),
                    Integer.parseInt(values.getOrDefault("stuck-after", "180")),
                    Integer.parseInt(values.getOrDefault("provider-hold", "60")),
                    Path.of(values.getOrDefault("results", "benchmarks/results")));
            if (options.messages() < options.faults().size() || options.rate() <= 0 || options.conversations() < 1) {
                throw new IllegalArgumentException("need at least one message per fault, a positive rate and a conversation");
            }
            return options;
        }
    }

    private final Options options;
    private final PrintStream log;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private LocalStack stack;
    private WebhookReceiver receiver;
    private String apiKey;
    private List<String> mediaIds;
    private List<String> conversations;
    private MessageStatuses statuses;

    FaultHarness(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out);
        System.exit(status);
    }

    /** Runs the harness as {@code args} say; returns the exit status (0: every phase passed). */
    public static int run(String[] args, PrintStream out) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            out.println(USAGE);
            return 2;
        }
        return new FaultHarness(options, out).run();
    }

    int run() throws Exception {
        long runStart = System.nanoTime();
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.mediaplatform.events");
        System.setProperty("java.awt.headless", "true");
        int perPhase = options.messages() / options.faults().size();
        log.printf(Locale.ROOT, "faults: %d messages (%d per fault) at %.0f/s over %d conversations; faults: %s%n",
                perPhase * options.faults().size(), perPhase, options.rate(), options.conversations(),
                options.faults().stream().map(Fault::name).collect(Collectors.joining(", ")));
        Path data = Files.createTempDirectory("faults-");
        log.println("faults: starting the local stack (services as child JVMs) in " + data + " ...");
        long startNanos = System.nanoTime();
        boolean finished = false;
        List<PhaseResult> results = new ArrayList<>();
        try {
            stack = LocalStack.startWithServiceProcesses(new LocalStackOptions(data, true, true, Map.of()), SETTINGS);
            runPhases(startNanos, results);
            finished = true;
        } finally {
            if (finished) {
                deleteQuietly(data);
            } else {
                log.println("faults: the run broke off; the services' logs are kept in " + data.resolve("logs"));
            }
        }
        double minutes = (System.nanoTime() - runStart) / 60e9;
        String table = ResultsTable.markdown(results);
        boolean passed = ResultsTable.allPassed(results);
        String header = String.format(Locale.ROOT, "%s; Java %s, %d processors; `deploy/local-stack/faults --messages=%d"
                        + " --rate=%s --faults=%s`; %d messages per fault; the run took %.1f min. %s%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.version(), Runtime.getRuntime().availableProcessors(),
                options.messages(), number(options.rate()), options.faults().stream().map(Fault::name).collect(Collectors.joining(",")),
                perPhase, minutes, passed ? "Every fault passed: 0 lost, 0 stuck, doubles within the bound."
                        : "**Some fault did not pass** (lost, stuck, doubles beyond the bound, or a note marked !).");
        log.println();
        log.println(header);
        log.println(table);
        Files.createDirectories(options.results());
        Path file = options.results().resolve("faults.md");
        Files.writeString(file, "# fault harness\n\n" + header + "\n" + table);
        log.println("faults: table written to " + file);
        return passed ? 0 : 1;
    }

    /** Uploads the media, warms up, runs each fault's phase into {@code results}, then counts the doubled sends. */
    private void runPhases(long startNanos, List<PhaseResult> results) throws Exception {
        int perPhase = options.messages() / options.faults().size();
        List<Set<String>> phaseMessages = new ArrayList<>();
        List<Integer> lateAnswers = new ArrayList<>();
        try (LocalStack running = stack; WebhookReceiver hooks = new WebhookReceiver()) {
            receiver = hooks;
            log.printf(Locale.ROOT, "faults: stack up in %.0f s%n", (System.nanoTime() - startNanos) / 1e9);
            // Like the real Cloud API, which retries a webhook for days: statuses posted while dispatch is down are not lost.
            stack.whatsApp().webhookAttempts(WEBHOOK_ATTEMPTS);
            apiKey = stack.secrets().tenants().getFirst().apiKey();
            statuses = new MessageStatuses(http, stack.callbackUrl(), apiKey);
            byte[] png = PipelineBenchmark.png();
            conversations = new ArrayList<>();
            mediaIds = new ArrayList<>();
            for (int c = 0; c < options.conversations(); c++) {
                conversations.add("faults-conversation-" + c);
                mediaIds.add(PipelineBenchmark.upload(http, stack.ingestUrl(), apiKey, png, conversations.get(c)));
            }
            log.println("faults: warm-up ...");
            Traffic warmUp = Traffic.start(http, stack.ingestUrl(), apiKey, receiver.url(), mediaIds, conversations,
                    "warm-up", Math.min(40, Math.max(5, options.messages() / 10)), options.rate(), Duration.ofMinutes(3));
            drain(accepted(warmUp.awaitDone()), Instant.now());

            for (Fault fault : options.faults()) {
                Phase phase = phase(fault, perPhase);
                results.add(phase.result());
                phaseMessages.add(phase.messages());
                lateAnswers.add(phase.lateAnswers());
                log.println("faults: " + fault.name() + ": " + summary(phase.result()));
            }
            // Doubled sends, counted at the provider once everything is over (a late resend still counts).
            List<String> sendsByMessage = stack.whatsApp().sends().stream().filter(ReceivedSend::accepted)
                    .map(s -> CallbackData.decode(s.body().path("biz_opaque_callback_data").asText(null)))
                    .flatMap(Optional::stream).map(Correlation::messageId).toList();
            for (int i = 0; i < results.size(); i++) {
                PhaseResult r = results.get(i);
                results.set(i, new PhaseResult(r.fault(), r.sent(), r.accepted(), r.finalStatuses(), r.lost(), r.stuck(),
                        PhaseResult.doubles(sendsByMessage, phaseMessages.get(i)), r.fault().doubleBound(lateAnswers.get(i)),
                        r.drain(), r.notes()));
            }
        }
    }

    private record Phase(PhaseResult result, Set<String> messages, int lateAnswers) {
    }

    private Phase phase(Fault fault, int count) throws Exception {
        log.printf("faults: %s: %d messages ...%n", fault.name(), count);
        WhatsAppSimulator provider = stack.whatsApp();
        int sendsBefore = provider.sends().size();
        int lateBefore = provider.lateAnswers();
        Traffic traffic = Traffic.start(http, stack.ingestUrl(), apiKey, receiver.url(), mediaIds, conversations,
                fault.name(), count, options.rate(), GIVE_UP);
        while (traffic.launched() < Math.max(1, count / 3)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
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
                provider.failRandomly(new FaultMix(mix.serverErrors(), mix.rateLimited(), mix.timeouts(), PROVIDER_TIMEOUT_DELAY));
                outcomes = traffic.awaitDone();
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(options.providerHold()));
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
        Instant faultEnd = Instant.now();
        if (outcomes == null) {
            outcomes = traffic.awaitDone();
        }
        List<Traffic.Outcome> accepted = outcomes.stream().filter(o -> o.messageId() != null).toList();
        if (accepted.size() < outcomes.size()) {
            notes.add("! " + (outcomes.size() - accepted.size()) + " never answered 202 within " + GIVE_UP.toMinutes() + " min");
        }
        if (traffic.retried() > 0) {
            notes.add(traffic.retried() + " POSTs retried");
        }
        Instant lastAccepted = accepted.stream().map(Traffic.Outcome::acceptedAt).max(Comparator.naturalOrder()).orElse(faultEnd);
        Instant drainFrom = lastAccepted.isAfter(faultEnd) ? lastAccepted : faultEnd;
        Drained drained = drain(accepted, drainFrom);
        if (poison != null) {
            Map<String, String> landed = poison.landed(Duration.ofSeconds(60));
            int written = PoisonRecords.KINDS.size() * 3 * landed.size();
            boolean all = landed.values().stream().allMatch(v -> v.split("/")[0].equals(v.split("/")[1]));
            notes.add(all ? "all poison records (" + written + " on " + landed.size() + " topics) on their .dlt"
                    : "! poison on .dlt per topic: " + landed);
        }
        if (fault instanceof Fault.WebhookReceiverDown) {
            notes.add(missingWebhooks(drained.statuses()) + " final-status webhooks missing after the drain");
        }
        int lost = (int) drained.statuses().values().stream().filter(MessageStatuses.UNKNOWN::equals).count();
        int stuck = (int) drained.statuses().values().stream().filter(s -> !PhaseResult.isFinal(s)).count() - lost;
        PhaseResult result = new PhaseResult(fault, outcomes.size(), accepted.size(), PhaseResult.countFinal(drained.statuses()),
                lost, stuck, 0, 0, drained.drain(), notes);
        return new Phase(result, accepted.stream().map(Traffic.Outcome::messageId).collect(Collectors.toSet()),
                provider.lateAnswers() - lateBefore);
    }

    private record Drained(Map<String, String> statuses, Duration drain) {
    }

    private Drained drain(List<Traffic.Outcome> accepted, Instant from) throws InterruptedException {
        Map<String, String> latest = new LinkedHashMap<>();
        Set<String> pending = new HashSet<>();
        accepted.forEach(o -> {
            latest.put(o.messageId(), MessageStatuses.UNKNOWN);
            pending.add(o.messageId());
        });
        Instant lastFinal = from;
        long lastProgress = System.nanoTime();
        while (!pending.isEmpty()) {
            Map<String, String> read = statuses.read(pending);
            int before = pending.size();
            Instant now = Instant.now();
            read.forEach((id, status) -> {
                latest.put(id, status);
                if (PhaseResult.isFinal(status)) {
                    pending.remove(id);
                }
            });
            if (pending.size() < before) {
                lastFinal = now;
                lastProgress = System.nanoTime();
            }
            if (pending.isEmpty() || System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(options.stuckAfter())) {
                break;
            }
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        }
        if (!pending.isEmpty()) {
            log.println("faults: " + pending.size() + " messages without a final status, e.g. "
                    + pending.stream().limit(3).map(id -> id + " " + latest.get(id)).toList());
        }
        Duration drain = pending.isEmpty() ? Duration.between(from, lastFinal.isBefore(from) ? from : lastFinal) : null;
        return new Drained(latest, drain);
    }

    /** Accepted messages whose final-status webhook has not reached the receiver, after waiting up to a minute. */
    private long missingWebhooks(Map<String, String> finals) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long missing;
        do {
            missing = finals.entrySet().stream().filter(e -> receiver.arrival(e.getKey(), e.getValue()) == null).count();
            if (missing > 0) {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
        } while (missing > 0 && System.nanoTime() < deadline);
        return missing;
    }

    private static List<Traffic.Outcome> accepted(List<Traffic.Outcome> outcomes) {
        return outcomes.stream().filter(o -> o.messageId() != null).toList();
    }

    private static String summary(PhaseResult r) {
        return String.format(Locale.ROOT, "%d sent, %d accepted, %s, lost %d, stuck %d, drain %s, %s", r.sent(),
                r.accepted(), r.finalStatuses(), r.lost(), r.stuck(), r.drain() == null ? "not drained"
                        : r.drain().toMillis() / 1000.0 + " s", r.notes());
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temp dir
        }
    }
}
