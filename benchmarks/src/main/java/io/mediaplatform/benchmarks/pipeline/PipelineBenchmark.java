package io.mediaplatform.benchmarks.pipeline;

import io.mediaplatform.benchmarks.report.Table;
import io.mediaplatform.benchmarks.stack.BenchmarkStack;
import io.mediaplatform.localstack.LocalStack;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole outbound path, end to end, against its Kafka hops with no work. A {@link LocalStack} (Kafka, registry,
 * S3, PostgreSQL, simulators, the four services, in this JVM) in a temporary data directory on random ports, with the
 * WhatsApp rate limit lifted; a loopback {@link WebhookReceiver} as every message's callback. One small real PNG is
 * uploaded per conversation, then {@code messages} image messages are sent with {@code POST /v1/messages} from
 * {@code clients} HTTP clients, round-robin over the conversations. Measured: 202s per second, messages per second
 * reaching SENT (from each message's history in the callback API, read at the end) and whose SENT webhook reached the
 * receiver, latencies send→SENT webhook and ACCEPTED→SENT, and per hop (the history's {@code at} timestamps:
 * send→ACCEPTED, ACCEPTED→QUEUED, QUEUED→SENT, then SENT→webhook). The baseline, on the same broker in the same run:
 * the same number of records through the same number of Kafka hops ({@link KafkaChainBaseline}).
 */
public final class PipelineBenchmark {

    /** Kafka hops from the POST to callback's SENT: send-requested, media.received, media.accepted, message.status. */
    static final int KAFKA_HOPS = 4;
    /** The consumer groups on the outbound path (ingest, validation, callback: one listener thread; dispatch: 3). */
    private static final List<LagSampler.Stage> STAGES = List.of(
            new LagSampler.Stage("ingest on send-requested", "ingest", Topics.SEND_REQUESTED_NAME),
            new LagSampler.Stage("validation on media.received", "validation", Topics.MEDIA_RECEIVED_NAME),
            new LagSampler.Stage("dispatch on media.accepted", "dispatch", Topics.MEDIA_ACCEPTED_NAME),
            new LagSampler.Stage("callback on media.received", "callback", Topics.MEDIA_RECEIVED_NAME),
            new LagSampler.Stage("callback on message.status", "callback", Topics.MESSAGE_STATUS_NAME));

    private final int messages;
    private final int conversations;
    private final int clients;
    private final int replicas;
    private final Path results;
    private final PrintStream log;
    private final PipelineLoad load;
    private final CallbackReadback readback;
    private final PipelineTable tables;

    /**
     * @param results where pipeline.md and the latency plot are written (created), or null for nowhere
     * @param log     progress lines
     */
    public PipelineBenchmark(int messages, int conversations, int clients, Path results, PrintStream log) {
        this(messages, conversations, clients, 2, results, log);
    }

    /** @param replicas dispatch and callback instances of the scale-out run (1: no scale-out run) */
    public PipelineBenchmark(int messages, int conversations, int clients, int replicas, Path results, PrintStream log) {
        this.replicas = replicas;
        this.messages = messages;
        this.conversations = Math.min(conversations, messages);
        this.clients = clients;
        this.results = results;
        this.log = log;
        this.load = new PipelineLoad(this.conversations, clients, log);
        this.readback = new CallbackReadback(clients, log);
        this.tables = new PipelineTable(messages, clients, this.conversations);
    }

    /** As many webhooks in flight as the callback service sends at once by default ({@code WEBHOOK_MAX_IN_FLIGHT}). */
    static final int WEBHOOKS_IN_FLIGHT = 200;

    /** Runs the pipeline, then the webhooks alone on the same stack; answers both tables. */
    public List<Table> run() throws Exception {
        long runStart = System.nanoTime();
        System.setProperty("java.awt.headless", "true");
        Path data = Files.createTempDirectory("pipeline-benchmark-");
        long startNanos = System.nanoTime();
        log.println("pipeline: starting the local stack in " + data + " ...");
        LocalStack stack = BenchmarkStack.start(data, Map.of("WHATSAPP_RATE_LIMIT", "1000000"));
        double startSeconds = (System.nanoTime() - startNanos) / 1e9;
        Table mainTable;
        Table hooksTable;
        PipelineTable.Result last;
        RunTally oneInstance;
        try (stack; WebhookReceiver receiver = new WebhookReceiver()) {
            log.printf(Locale.ROOT, "pipeline: stack up in %.1f s%n", startSeconds);
            String apiKey = stack.secrets().tenants().getFirst().apiKey();
            List<HttpClient> http = load.clients();
            List<String> mediaIds = load.uploads(http, stack, apiKey);
            // Warm-up (not measured): a few messages through every service, so the first measured ones do not pay
            // for the JIT, the connection pools and the consumers' first fetches alone.
            int warmUp = Math.max(clients, Math.min(100, messages / 20));
            log.printf("pipeline: warm-up, %d messages ...%n", warmUp);
            List<Sent> warm = load.send(http, stack.ingestUrl(), apiKey, receiver.url(), mediaIds, warmUp);
            readback.awaitWebhooks(receiver, warm, Duration.ofSeconds(30));

            log.printf("pipeline: %d messages from %d clients over %d conversations ...%n", messages, clients, conversations);
            @SuppressWarnings("unchecked")
            String bootstrap = ((Map<String, String>) stack.description().get("kafka")).get("bootstrapServers");
            String registryUrl = (String) stack.description().get("schemaRegistry");
            Measured overHttp = measure(bootstrap, receiver,
                    () -> load.send(http, stack.ingestUrl(), apiKey, receiver.url(), mediaIds, messages));
            Map<String, History> histories = readback.histories(http, stack.callbackUrl(), apiKey, overHttp.sent(), receiver);
            List<Sent> sent = overHttp.sent();

            log.printf("pipeline: %d messages entered over %s ...%n", messages, Topics.SEND_REQUESTED_NAME);
            String tenant = stack.secrets().tenants().getFirst().id();
            Measured overKafka = measure(bootstrap, receiver,
                    () -> load.publish(bootstrap, registryUrl, tenant, receiver.url(), mediaIds, messages));
            Map<String, History> kafkaHistories = readback.histories(http, stack.callbackUrl(), apiKey, overKafka.sent(), receiver);

            log.println("pipeline: webhooks alone, one status per message put on message.status.v1, vs raw signed POSTs ...");
            String tenantId = stack.secrets().tenants().getFirst().id();
            List<WebhookBurst.Target> targets = sent.stream().filter(s -> s.status() == 202)
                    .map(s -> new WebhookBurst.Target(tenantId, s.messageId(), PipelineLoad.conversation(s.index() % conversations),
                            mediaIds.get(s.index() % conversations), "+15557654321"))
                    .toList();
            WebhookBurst.Result burst = WebhookBurst.run(bootstrap, (String) stack.description().get("schemaRegistry"),
                    targets, receiver, WEBHOOKS_IN_FLIGHT, Duration.ofSeconds(Math.max(120, messages / 10)));
            Table hooks = PipelineTable.webhookTable(burst);

            log.println("pipeline: baseline, the same records through " + KAFKA_HOPS + " bare Kafka hops ...");
            String registry = registryUrl;
            int partitions = partitions(bootstrap);
            KafkaChainBaseline chain = new KafkaChainBaseline(bootstrap, registry, KAFKA_HOPS, partitions);
            chain.run(warmUp, conversations, clients, Duration.ofSeconds(60)); // warm-up, own topics
            MachineCpu baseCpuStart = MachineCpu.read();
            KafkaChainBaseline.Result base = new KafkaChainBaseline(bootstrap, registry, KAFKA_HOPS, partitions)
                    .run(messages, conversations, clients, Duration.ofSeconds(Math.max(60, messages / 20)));
            MachineCpu baseCpuEnd = MachineCpu.read();

            RunTally tally = RunTally.of(sent, histories, receiver);
            mainTable = tables.table("POST /v1/messages", overHttp, tally, receiver, base, partitions, baseCpuStart,
                    baseCpuEnd).table();
            last = tables.table(Topics.SEND_REQUESTED_NAME, overKafka, RunTally.of(overKafka.sent(), kafkaHistories,
                    receiver), receiver, base, partitions, baseCpuStart, baseCpuEnd);
            hooksTable = hooks;
            oneInstance = tally;
        } finally {
            BenchmarkStack.deleteQuietly(data);
        }
        List<Table> all = new ArrayList<>(List.of(mainTable, hooksTable, last.table()));
        if (replicas > 1) {
            all.add(scaleOut(oneInstance));
        }
        double runSeconds = (System.nanoTime() - runStart) / 1e9;
        log.printf(Locale.ROOT, "pipeline: done in %.0f s (stack start %.0f s)%n", runSeconds, startSeconds);
        if (results != null) {
            new PipelineReport(results, messages, conversations, clients, log).write(all, last, runSeconds, startSeconds);
        }
        return all;
    }

    /**
     * Scale out: the same messages over HTTP on a fresh local stack running {@code replicas} dispatch and callback
     * instances (one consumer group each, {@code LOCAL_STACK_REPLICAS}), against the single-instance run.
     */
    private Table scaleOut(RunTally one) throws Exception {
        Path data = Files.createTempDirectory("pipeline-benchmark-replicas-");
        log.printf("pipeline: scale out, %d dispatch and %d callback instances ...%n", replicas, replicas);
        LocalStack stack = BenchmarkStack.start(data, Map.of("WHATSAPP_RATE_LIMIT", "1000000",
                "LOCAL_STACK_REPLICAS", String.valueOf(replicas)));
        try (stack; WebhookReceiver receiver = new WebhookReceiver()) {
            String apiKey = stack.secrets().tenants().getFirst().apiKey();
            List<HttpClient> http = load.clients();
            List<String> mediaIds = load.uploads(http, stack, apiKey);
            List<Sent> warm = load.send(http, stack.ingestUrl(), apiKey, receiver.url(), mediaIds,
                    Math.max(clients, Math.min(100, messages / 20)));
            readback.awaitWebhooks(receiver, warm, Duration.ofSeconds(30));
            @SuppressWarnings("unchecked")
            String bootstrap = ((Map<String, String>) stack.description().get("kafka")).get("bootstrapServers");
            Measured measured = measure(bootstrap, receiver,
                    () -> load.send(http, stack.ingestUrl(), apiKey, receiver.url(), mediaIds, messages));
            RunTally many = RunTally.of(measured.sent(), readback.histories(http, stack.callbackUrl(), apiKey,
                    measured.sent(), receiver), receiver);
            return tables.scaleOut(replicas, many, one);
        } finally {
            BenchmarkStack.deleteQuietly(data);
        }
    }

    /** A sender of the measured messages (over HTTP or Kafka). */
    private interface Sender {
        List<Sent> send() throws Exception;
    }

    private Measured measure(String bootstrap, WebhookReceiver receiver, Sender sender) throws Exception {
        long webhooksBefore = receiver.requests();
        MachineCpu cpuStart = MachineCpu.read();
        List<Sent> sent;
        Instant sendsDone;
        boolean allWebhooks;
        Instant waited;
        Map<LagSampler.Stage, Long> lags;
        try (LagSampler lag = new LagSampler(bootstrap, STAGES)) {
            sent = sender.send();
            sendsDone = Instant.now();
            allWebhooks = readback.awaitWebhooks(receiver, sent, Duration.ofSeconds(Math.max(300, messages / 10)));
            waited = Instant.now();
            lags = lag.maxLag();
        }
        return new Measured(sent, allWebhooks, Duration.between(sendsDone, waited), receiver.requests() - webhooksBefore,
                cpuStart, MachineCpu.read(), lags);
    }

    private static int partitions(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.describeTopics(List.of(Topics.SEND_REQUESTED_NAME)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.SEND_REQUESTED_NAME).partitions().size();
        }
    }
}
