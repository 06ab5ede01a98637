package io.mediaplatform.benchmarks.faults;

import io.mediaplatform.benchmarks.faults.core.Fault;
import io.mediaplatform.benchmarks.faults.core.PhaseResult;
import io.mediaplatform.benchmarks.faults.core.ResultsTable;
import io.mediaplatform.benchmarks.pipeline.IngestRequests;
import io.mediaplatform.benchmarks.pipeline.WebhookReceiver;
import io.mediaplatform.benchmarks.stack.BenchmarkStack;
import io.mediaplatform.dispatch.send.core.Correlation;
import io.mediaplatform.dispatch.connector.whatsapp.CallbackData;
import io.mediaplatform.localstack.LocalStack;
import io.mediaplatform.localstack.LocalStackOptions;
import io.mediaplatform.simulator.ReceivedSend;
import io.mediaplatform.simulator.WhatsAppSimulator;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

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

    private final HarnessOptions options;
    private final PrintStream log;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private LocalStack stack;
    private WebhookReceiver receiver;
    private String apiKey;
    private List<String> mediaIds;
    private List<String> conversations;
    private MessageStatuses statuses;

    FaultHarness(HarnessOptions options, PrintStream log) {
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
        HarnessOptions options;
        try {
            options = HarnessOptions.parse(args);
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
                BenchmarkStack.deleteQuietly(data);
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
            byte[] png = IngestRequests.png();
            conversations = new ArrayList<>();
            mediaIds = new ArrayList<>();
            for (int c = 0; c < options.conversations(); c++) {
                conversations.add("faults-conversation-" + c);
                mediaIds.add(IngestRequests.upload(http, stack.ingestUrl(), apiKey, png, conversations.get(c)));
            }
            log.println("faults: warm-up ...");
            Traffic warmUp = Traffic.start(http, stack.ingestUrl(), apiKey, receiver.url(), mediaIds, conversations,
                    "warm-up", Math.min(40, Math.max(5, options.messages() / 10)), options.rate(), Duration.ofMinutes(3));
            drainer().drain(accepted(warmUp.awaitDone()), Instant.now());

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
        FaultInjection.Injected injected = new FaultInjection(stack, receiver, options.providerHold(), log)
                .inject(fault, traffic, sendsBefore, lateBefore);
        notes.addAll(injected.notes());
        PoisonRecords poison = injected.poison();
        List<Traffic.Outcome> outcomes = injected.outcomes();
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
        StatusDrain.Drained drained = drainer().drain(accepted, drainFrom);
        if (poison != null) {
            Map<String, String> landed = poison.landed(Duration.ofSeconds(60));
            int written = PoisonRecords.KINDS.size() * 3 * landed.size();
            boolean all = landed.values().stream().allMatch(v -> v.split("/")[0].equals(v.split("/")[1]));
            notes.add(all ? "all poison records (" + written + " on " + landed.size() + " topics) on their .dlt"
                    : "! poison on .dlt per topic: " + landed);
        }
        if (fault instanceof Fault.WebhookReceiverDown) {
            notes.add(drainer().missingWebhooks(drained.statuses()) + " final-status webhooks missing after the drain");
        }
        int lost = (int) drained.statuses().values().stream().filter(MessageStatuses.UNKNOWN::equals).count();
        int stuck = (int) drained.statuses().values().stream().filter(s -> !PhaseResult.isFinal(s)).count() - lost;
        PhaseResult result = new PhaseResult(fault, outcomes.size(), accepted.size(), PhaseResult.countFinal(drained.statuses()),
                lost, stuck, 0, 0, drained.drain(), notes);
        return new Phase(result, accepted.stream().map(Traffic.Outcome::messageId).collect(Collectors.toSet()),
                provider.lateAnswers() - lateBefore);
    }

    private StatusDrain drainer() {
        return new StatusDrain(statuses, () -> receiver, options.stuckAfter(), log);
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
}
