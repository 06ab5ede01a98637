package io.mediaplatform.benchmarks.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediaplatform.benchmarks.report.Table;
import io.mediaplatform.benchmarks.stack.BenchmarkStack;
import io.mediaplatform.localstack.LocalStack;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.events.SendMediaMessage;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

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
    private static final String[] HOP_NAMES = {"send → ACCEPTED", "ACCEPTED → QUEUED", "QUEUED → SENT", "SENT → SENT webhook"};
    /** Which baseline hops each pipeline hop spans (1-based, inclusive ranges; empty for none). */
    private static final int[][] BASELINE_HOPS = {{1, 1}, {2, 3}, {}, {4, 4}};
    private static final ObjectMapper JSON = new ObjectMapper();
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
    }

    /** As many webhooks in flight as the callback service sends at once by default ({@code WEBHOOK_MAX_IN_FLIGHT}). */
    private static final int WEBHOOKS_IN_FLIGHT = 200;

    /** One sent message as the load generator saw it. */
    private record Sent(int index, Instant start, Instant answered, int status, String messageId) {
    }

    /** A message's history in the callback API: status → at. */
    private record History(Map<String, Instant> at) {
    }

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
        Table kafkaMainTable;
        List<Sent> sentMain;
        Map<String, History> historiesMain;
        WebhookReceiver receiverMain;
        KafkaChainBaseline.Result baseMain;
        Rates oneInstance;
        try (stack; WebhookReceiver receiver = new WebhookReceiver()) {
            log.printf(Locale.ROOT, "pipeline: stack up in %.1f s%n", startSeconds);
            String apiKey = stack.secrets().tenants().getFirst().apiKey();
            List<HttpClient> http = clients();
            List<String> mediaIds = uploads(http, stack, apiKey);
            // Warm-up (not measured): a few messages through every service, so the first measured ones do not pay
            // for the JIT, the connection pools and the consumers' first fetches alone.
            int warmUp = Math.max(clients, Math.min(100, messages / 20));
            log.printf("pipeline: warm-up, %d messages ...%n", warmUp);
            List<Sent> warm = send(http, stack.ingestUrl(), apiKey, receiver.url(), mediaIds, warmUp);
            awaitWebhooks(receiver, warm, Duration.ofSeconds(30));

            log.printf("pipeline: %d messages from %d clients over %d conversations ...%n", messages, clients, conversations);
            @SuppressWarnings("unchecked")
            String bootstrap = ((Map<String, String>) stack.description().get("kafka")).get("bootstrapServers");
            String registryUrl = (String) stack.description().get("schemaRegistry");
            Measured overHttp = measure(bootstrap, receiver,
                    () -> send(http, stack.ingestUrl(), apiKey, receiver.url(), mediaIds, messages));
            Map<String, History> histories = histories(http, stack.callbackUrl(), apiKey, overHttp.sent(), receiver);
            List<Sent> sent = overHttp.sent();

            log.printf("pipeline: %d messages entered over %s ...%n", messages, Topics.SEND_REQUESTED_NAME);
            String tenant = stack.secrets().tenants().getFirst().id();
            Measured overKafka = measure(bootstrap, receiver,
                    () -> publish(bootstrap, registryUrl, tenant, receiver.url(), mediaIds, messages));
            Map<String, History> kafkaHistories = histories(http, stack.callbackUrl(), apiKey, overKafka.sent(), receiver);

            log.println("pipeline: webhooks alone, one status per message put on message.status.v1, vs raw signed POSTs ...");
            String tenantId = stack.secrets().tenants().getFirst().id();
            List<WebhookBurst.Target> targets = sent.stream().filter(s -> s.status() == 202)
                    .map(s -> new WebhookBurst.Target(tenantId, s.messageId(), conversation(s.index() % conversations),
                            mediaIds.get(s.index() % conversations), "+15557654321"))
                    .toList();
            WebhookBurst.Result burst = WebhookBurst.run(bootstrap, (String) stack.description().get("schemaRegistry"),
                    targets, receiver, WEBHOOKS_IN_FLIGHT, Duration.ofSeconds(Math.max(120, messages / 10)));
            Table hooks = webhookTable(burst);

            log.println("pipeline: baseline, the same records through " + KAFKA_HOPS + " bare Kafka hops ...");
            String registry = registryUrl;
            int partitions = partitions(bootstrap);
            KafkaChainBaseline chain = new KafkaChainBaseline(bootstrap, registry, KAFKA_HOPS, partitions);
            chain.run(warmUp, conversations, clients, Duration.ofSeconds(60)); // warm-up, own topics
            MachineCpu baseCpuStart = MachineCpu.read();
            KafkaChainBaseline.Result base = new KafkaChainBaseline(bootstrap, registry, KAFKA_HOPS, partitions)
                    .run(messages, conversations, clients, Duration.ofSeconds(Math.max(60, messages / 20)));
            MachineCpu baseCpuEnd = MachineCpu.read();

            mainTable = table("POST /v1/messages", overHttp, histories, receiver, base, partitions, baseCpuStart, baseCpuEnd);
            kafkaMainTable = table(Topics.SEND_REQUESTED_NAME, overKafka, kafkaHistories, receiver, base, partitions,
                    baseCpuStart, baseCpuEnd);
            hooksTable = hooks;
            sentMain = sent;
            historiesMain = histories;
            receiverMain = receiver;
            baseMain = base;
            oneInstance = Rates.of(sent, histories, receiver);
        } finally {
            deleteQuietly(data);
        }
        List<Table> tables = new ArrayList<>(List.of(mainTable, hooksTable, kafkaMainTable));
        if (replicas > 1) {
            tables.add(scaleOut(oneInstance));
        }
        double runSeconds = (System.nanoTime() - runStart) / 1e9;
        log.printf(Locale.ROOT, "pipeline: done in %.0f s (stack start %.0f s)%n", runSeconds, startSeconds);
        if (results != null) {
            write(tables, sentMain, historiesMain, receiverMain, baseMain, runSeconds, startSeconds);
        }
        return tables;
    }

    /** The messages/s of one measured run: POSTs answered, statuses reaching SENT, SENT webhooks; latency to SENT. */
    private record Rates(int accepted, double postsPerSecond, int sent, double sentPerSecond, int webhooks,
                         double webhooksPerSecond, Latencies acceptedToSent) {

        static Rates of(List<Sent> sent, Map<String, History> histories, WebhookReceiver receiver) {
            List<Sent> accepted = sent.stream().filter(s -> s.status() == 202).toList();
            Instant first = sent.stream().map(Sent::start).min(Comparator.naturalOrder()).orElseThrow();
            Instant lastAnswer = first;
            Instant lastSent = first;
            Instant lastWebhook = first;
            int reachedSent = 0;
            int webhooks = 0;
            List<Long> toSent = new ArrayList<>();
            for (Sent s : accepted) {
                lastAnswer = max(lastAnswer, s.answered());
                History h = histories.get(s.messageId());
                Instant acceptedAt = h == null ? null : h.at().get("ACCEPTED");
                Instant sentAt = h == null ? null : h.at().get("SENT");
                if (sentAt != null) {
                    reachedSent++;
                    lastSent = max(lastSent, sentAt);
                    if (acceptedAt != null) {
                        toSent.add(Latencies.micros(acceptedAt, sentAt));
                    }
                }
                Instant webhookAt = receiver.arrival(s.messageId(), "SENT");
                if (webhookAt != null) {
                    webhooks++;
                    lastWebhook = max(lastWebhook, webhookAt);
                }
            }
            return new Rates(accepted.size(), accepted.size() / seconds(first, lastAnswer), reachedSent,
                    reachedSent / seconds(first, lastSent), webhooks, webhooks / seconds(first, lastWebhook),
                    Latencies.of(toSent));
        }
    }

    /**
     * Scale out: the same messages over HTTP on a fresh local stack running {@code replicas} dispatch and callback
     * instances (one consumer group each, {@code LOCAL_STACK_REPLICAS}), against the single-instance run.
     */
    private Table scaleOut(Rates one) throws Exception {
        Path data = Files.createTempDirectory("pipeline-benchmark-replicas-");
        log.printf("pipeline: scale out, %d dispatch and %d callback instances ...%n", replicas, replicas);
        LocalStack stack = BenchmarkStack.start(data, Map.of("WHATSAPP_RATE_LIMIT", "1000000",
                "LOCAL_STACK_REPLICAS", String.valueOf(replicas)));
        try (stack; WebhookReceiver receiver = new WebhookReceiver()) {
            String apiKey = stack.secrets().tenants().getFirst().apiKey();
            List<HttpClient> http = clients();
            List<String> mediaIds = uploads(http, stack, apiKey);
            List<Sent> warm = send(http, stack.ingestUrl(), apiKey, receiver.url(), mediaIds,
                    Math.max(clients, Math.min(100, messages / 20)));
            awaitWebhooks(receiver, warm, Duration.ofSeconds(30));
            @SuppressWarnings("unchecked")
            String bootstrap = ((Map<String, String>) stack.description().get("kafka")).get("bootstrapServers");
            Measured measured = measure(bootstrap, receiver,
                    () -> send(http, stack.ingestUrl(), apiKey, receiver.url(), mediaIds, messages));
            Rates many = Rates.of(measured.sent(), histories(http, stack.callbackUrl(), apiKey, measured.sent(), receiver),
                    receiver);
            Table table = new Table(String.format(Locale.ROOT, "Scale out: the same %d messages over POST /v1/messages"
                    + " with %d dispatch and %d callback instances (one consumer group each, this JVM) vs one of each",
                    messages, replicas, replicas), replicas + " instances each", "one instance each");
            table.row("accepted (202)", many.accepted(), one.accepted());
            table.row("POST 202s/s", many.postsPerSecond(), one.postsPerSecond());
            table.row("reached SENT", many.sent(), one.sent());
            table.row("msgs/s reaching SENT", many.sentPerSecond(), one.sentPerSecond());
            table.row("SENT webhooks that arrived", many.webhooks(), one.webhooks());
            table.row("msgs/s SENT webhook", many.webhooksPerSecond(), one.webhooksPerSecond());
            table.row("ACCEPTED → SENT p50 (ms)", many.acceptedToSent().p50(), one.acceptedToSent().p50());
            table.row("ACCEPTED → SENT p99 (ms)", many.acceptedToSent().p99(), one.acceptedToSent().p99());
            return table;
        } finally {
            deleteQuietly(data);
        }
    }

    private List<HttpClient> clients() {
        List<HttpClient> http = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            http.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build());
        }
        return http;
    }

    private List<String> uploads(List<HttpClient> http, LocalStack stack, String apiKey) throws IOException, InterruptedException {
        byte[] png = png();
        List<String> mediaIds = new ArrayList<>();
        for (int c = 0; c < conversations; c++) {
            mediaIds.add(upload(http.get(c % clients), stack.ingestUrl(), apiKey, png, conversation(c)));
        }
        return mediaIds;
    }

    /** What one measured run of the pipeline saw: the sends, whether all SENT webhooks came, CPU, consumer lag. */
    private record Measured(List<Sent> sent, boolean allWebhooks, Duration waited, long webhookRequests,
                            MachineCpu cpuStart, MachineCpu cpuEnd, Map<LagSampler.Stage, Long> lags) {
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
            allWebhooks = awaitWebhooks(receiver, sent, Duration.ofSeconds(Math.max(300, messages / 10)));
            waited = Instant.now();
            lags = lag.maxLag();
        }
        return new Measured(sent, allWebhooks, Duration.between(sendsDone, waited), receiver.requests() - webhooksBefore,
                cpuStart, MachineCpu.read(), lags);
    }

    /**
     * The messages entered over Kafka as an upstream system would: {@link SendMediaMessage} commands on
     * {@code message.send-requested.v1}, from as many threads as there are HTTP clients, each waiting for the broker's
     * acknowledgement (acks=all) like a client waits for its 202.
     */
    private List<Sent> publish(String bootstrap, String registryUrl, String tenantId, String callback,
                               List<String> mediaIds, int count) throws InterruptedException {
        Map<String, Object> config = KafkaChainBaseline.avroProducerConfig(bootstrap, registryUrl);
        AtomicInteger next = new AtomicInteger();
        List<Sent> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config)) {
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < count) {
                        int conversation = i % conversations;
                        String messageId = UUID.randomUUID().toString();
                        SendMediaMessage command = SendMediaMessage.newBuilder()
                                .setEventId(UUID.randomUUID().toString())
                                .setOccurredAt(Instant.now())
                                .setTenantId(tenantId)
                                .setChannel(Channel.WHATSAPP)
                                .setConversationId(conversation(conversation))
                                .setMessage(OutboundMessage.newBuilder().setMessageId(messageId).setFrom("+15550100001")
                                        .setTo("+15557654321").setKind(MediaKind.IMAGE)
                                        .setCallbackUrls(List.of(callback)).build())
                                .setMediaId(mediaIds.get(conversation))
                                .build();
                        Instant start = Instant.now();
                        int status;
                        try {
                            producer.send(new ProducerRecord<>(Topics.SEND_REQUESTED_NAME,
                                    Topics.conversationKey(conversation(conversation), "WHATSAPP", "+15557654321"),
                                    command)).get(60, java.util.concurrent.TimeUnit.SECONDS);
                            status = 202;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                            status = -1;
                            log.println("pipeline: producing to " + Topics.SEND_REQUESTED_NAME + " failed: " + e);
                        }
                        sent.add(new Sent(i, start, Instant.now(), status, status == 202 ? messageId : null));
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        return new ArrayList<>(sent);
    }

    private Table table(String entry, Measured measured, Map<String, History> histories, WebhookReceiver receiver,
                        KafkaChainBaseline.Result base, int partitions, MachineCpu baseCpuStart, MachineCpu baseCpuEnd) {
        List<Sent> sent = measured.sent();
        boolean allWebhooks = measured.allWebhooks();
        Duration waited = measured.waited();
        long webhookRequests = measured.webhookRequests();
        MachineCpu cpuStart = measured.cpuStart();
        MachineCpu cpuEnd = measured.cpuEnd();
        Map<LagSampler.Stage, Long> lags = measured.lags();
        boolean http = entry.startsWith("POST");
        List<Sent> accepted = sent.stream().filter(s -> s.status() == 202).toList();
        Instant firstSend = sent.stream().map(Sent::start).min(Comparator.naturalOrder()).orElseThrow();
        Instant lastAnswer = accepted.stream().map(Sent::answered).max(Comparator.naturalOrder()).orElse(firstSend);
        List<Long> acceptedToSent = new ArrayList<>();
        List<Long> sendToWebhook = new ArrayList<>();
        List<List<Long>> hops = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<Long> postLatency = new ArrayList<>();
        Instant lastSent = firstSend;
        Instant lastWebhook = firstSend;
        Instant lastAccepted = firstSend;
        Instant lastQueued = firstSend;
        int reachedAccepted = 0;
        int reachedQueued = 0;
        int reachedSent = 0;
        int lateWebhooks = 0;
        int webhooks = 0;
        for (Sent s : accepted) {
            postLatency.add(Latencies.micros(s.start(), s.answered()));
            History h = histories.get(s.messageId());
            Instant acceptedAt = h == null ? null : h.at().get("ACCEPTED");
            Instant queuedAt = h == null ? null : h.at().get("QUEUED");
            Instant sentAt = h == null ? null : h.at().get("SENT");
            Instant webhookAt = receiver.arrival(s.messageId(), "SENT");
            if (acceptedAt != null) {
                reachedAccepted++;
                lastAccepted = max(lastAccepted, acceptedAt);
            }
            if (queuedAt != null) {
                reachedQueued++;
                lastQueued = max(lastQueued, queuedAt);
            }
            if (sentAt != null) {
                reachedSent++;
                lastSent = max(lastSent, sentAt);
                if (acceptedAt != null) {
                    acceptedToSent.add(Latencies.micros(acceptedAt, sentAt));
                }
            }
            if (webhookAt != null) {
                webhooks++;
                lastWebhook = max(lastWebhook, webhookAt);
                sendToWebhook.add(Latencies.micros(s.start(), webhookAt));
                if (sentAt != null && Duration.between(sentAt, webhookAt).compareTo(Duration.ofSeconds(100)) > 0) {
                    lateWebhooks++;
                }
            }
            addHop(hops.get(0), s.start(), acceptedAt);
            addHop(hops.get(1), acceptedAt, queuedAt);
            addHop(hops.get(2), queuedAt, sentAt);
            addHop(hops.get(3), sentAt, webhookAt);
        }
        Latencies post = Latencies.of(postLatency);
        Latencies toSent = Latencies.of(acceptedToSent);
        Latencies toWebhook = Latencies.of(sendToWebhook);
        List<Latencies> hopLatencies = hops.stream().map(Latencies::of).toList();
        double baseSeconds = seconds(base.firstSend(), base.lastArrival());

        Table table = new Table(String.format(Locale.ROOT, "Pipeline end to end, entered over %s: %d WhatsApp image"
                        + " messages, %d clients, %d conversations, vs the same records through %d bare Kafka hops"
                        + " (%d partitions, acks=all, Avro)", entry, messages, clients, conversations, KAFKA_HOPS, partitions),
                "pipeline (4 services)", "baseline (" + KAFKA_HOPS + " bare Kafka hops)");
        table.row("messages", messages, messages);
        table.row("accepted (202) / produced", accepted.size(), base.produced());
        table.row("errors (non-202, failed sends)", sent.size() - accepted.size(), base.errors());
        table.row((http ? "POST 202s/s" : "input acks/s") + " / produce acks/s", accepted.size() / seconds(firstSend, lastAnswer),
                base.produced() / seconds(base.firstSend(), base.lastAck()));
        table.row((http ? "POST" : "input") + " / produce latency p50 (ms)", post.p50(), base.produce().p50());
        table.row((http ? "POST" : "input") + " / produce latency p99 (ms)", post.p99(), base.produce().p99());
        table.row("msgs/s reaching ACCEPTED / hop 1", reachedAccepted / seconds(firstSend, lastAccepted),
                base.arrived() / seconds(base.firstSend(), base.lastAt(1)));
        table.row("msgs/s reaching QUEUED / hop 3", reachedQueued / seconds(firstSend, lastQueued),
                base.arrived() / seconds(base.firstSend(), base.lastAt(3)));
        table.row("reached SENT / end of chain", reachedSent, base.arrived());
        table.row("msgs/s reaching SENT / end of chain", reachedSent / seconds(firstSend, lastSent),
                base.arrived() / baseSeconds);
        table.row("SENT webhooks received", webhooks, base.arrived());
        table.row("msgs/s SENT webhook / end of chain", webhooks / seconds(firstSend, lastWebhook),
                base.arrived() / baseSeconds);
        Instant lastAnyWebhook = receiver.last() == null ? firstSend : receiver.last();
        table.text("webhooks received, every status (count, /s)", webhookRequests + " ("
                + number(webhookRequests / seconds(firstSend, lastAnyWebhook)) + "/s)", "");
        table.row("send → SENT webhook p50 (ms)", toWebhook.p50(), base.endToEnd().p50());
        table.row("send → SENT webhook p99 (ms)", toWebhook.p99(), base.endToEnd().p99());
        table.row("send → SENT webhook p999 (ms)", toWebhook.p999(), base.endToEnd().p999());
        table.row("ACCEPTED → SENT p50 (ms)", toSent.p50(), baseSpan(base, 2, 3, 50));
        table.row("ACCEPTED → SENT p99 (ms)", toSent.p99(), baseSpan(base, 2, 3, 99));
        table.row("ACCEPTED → SENT p999 (ms)", toSent.p999(), baseSpan(base, 2, 3, 99.9));
        int slowest = 0;
        for (int hop = 0; hop < HOP_NAMES.length; hop++) {
            Latencies l = hopLatencies.get(hop);
            int[] span = BASELINE_HOPS[hop];
            String baseline = span.length == 0 ? "(no Kafka hop)" : String.format(Locale.ROOT, "%s / %s (hop%s %d%s)",
                    number(baseSpan(base, span[0], span[1], 50)), number(baseSpan(base, span[0], span[1], 99)),
                    span[0] == span[1] ? "" : "s", span[0], span[0] == span[1] ? "" : "-" + span[1]);
            table.text("hop " + HOP_NAMES[hop] + " p50 / p99 (ms)", number(l.p50()) + " / " + number(l.p99()), baseline);
            if (l.p50() > hopLatencies.get(slowest).p50()) {
                slowest = hop;
            }
        }
        table.text("slowest hop (by p50)", HOP_NAMES[slowest], "");
        table.text("SENT → SENT webhook max (ms)", number(hopLatencies.get(3).maxMillis()), "");
        table.text("SENT webhooks > 100 s after SENT", Integer.toString(lateWebhooks), "");
        lags.forEach((stage, max) -> table.text("max consumer lag: " + stage.name(), Long.toString(max), ""));
        table.row("this JVM's CPU (cores busy, of " + cpuEnd.cpus() + ")", MachineCpu.processCores(cpuStart, cpuEnd),
                MachineCpu.processCores(baseCpuStart, baseCpuEnd));
        table.row("rest of the machine (Kafka, PostgreSQL, others)",
                MachineCpu.machineCores(cpuStart, cpuEnd) - MachineCpu.processCores(cpuStart, cpuEnd),
                MachineCpu.machineCores(baseCpuStart, baseCpuEnd) - MachineCpu.processCores(baseCpuStart, baseCpuEnd));
        table.text("all SENT webhooks arrived", allWebhooks ? "yes" : "NO (waited " + waited.toSeconds() + " s more)", "");
        this.slowestHop = HOP_NAMES[slowest];
        this.pipelineCurve = toWebhook;
        this.baselineCurve = base.endToEnd();
        return table;
    }

    private String slowestHop;
    private Latencies pipelineCurve;
    private Latencies baselineCurve;

    /** The baseline latency over its hops from..to (1-based), the p-th percentile of the per-message sums. */
    private static double baseSpan(KafkaChainBaseline.Result base, int from, int to, double p) {
        if (from == to) {
            return base.hops().get(from - 1).percentileMillis(p);
        }
        Latencies span = base.spans().get(from + "-" + to);
        return span == null ? Double.NaN : span.percentileMillis(p);
    }

    private static void addHop(List<Long> into, Instant from, Instant to) {
        if (from != null && to != null) {
            into.add(Latencies.micros(from, to));
        }
    }

    private List<Sent> send(List<HttpClient> http, String ingestUrl, String apiKey, String callback, List<String> mediaIds,
                            int count) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Sent> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong failures = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            HttpClient client = http.get(c);
            threads.add(Thread.ofVirtual().start(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count) {
                    int conversation = i % conversations;
                    Instant start = Instant.now();
                    int status;
                    String messageId = null;
                    try {
                        HttpResponse<String> response = postImageMessage(client, ingestUrl, apiKey, mediaIds.get(conversation),
                                conversation(conversation), callback, null);
                        status = response.statusCode();
                        if (status == 202) {
                            messageId = JSON.readTree(response.body()).path("messageId").asText();
                        } else if (failures.incrementAndGet() <= 3) {
                            log.println("pipeline: POST /v1/messages answered " + status + ": " + response.body());
                        }
                    } catch (IOException e) {
                        status = -1;
                        if (failures.incrementAndGet() <= 3) {
                            log.println("pipeline: POST /v1/messages failed: " + e);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    sent.add(new Sent(i, start, Instant.now(), status, messageId));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return new ArrayList<>(sent);
    }

    /**
     * How long the wait for the SENT webhooks goes on without one arriving: longer than callback's claim lease
     * ({@code WEBHOOK_CLAIM_LEASE}, 2 min), which a held delivery can wait out (see the README).
     */
    private static final Duration NO_PROGRESS = Duration.ofSeconds(150);

    /** Waits until every accepted message's SENT webhook arrived, or none arrived for {@link #NO_PROGRESS}, or the timeout. */
    private boolean awaitWebhooks(WebhookReceiver receiver, List<Sent> sent, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastCount = -1;
        long lastProgress = System.nanoTime();
        while (true) {
            long missing = sent.stream().filter(s -> s.status() == 202 && receiver.arrival(s.messageId(), "SENT") == null).count();
            if (missing == 0) {
                return true;
            }
            long now = System.nanoTime();
            if (missing != lastCount) {
                lastCount = missing;
                lastProgress = now;
            }
            if (now > deadline || now - lastProgress > NO_PROGRESS.toNanos()) {
                log.println("pipeline: " + missing + " SENT webhooks still missing, going on");
                return false;
            }
            Thread.sleep(50);
        }
    }

    /** Each accepted message's history from {@code GET {callback}/v1/messages/{id}}, read by the same clients. */
    private Map<String, History> histories(List<HttpClient> http, String callbackUrl, String apiKey, List<Sent> sent,
                                           WebhookReceiver receiver) throws InterruptedException {
        AtomicInteger described = new AtomicInteger();
        List<Sent> accepted = sent.stream().filter(s -> s.status() == 202).toList();
        Map<String, History> histories = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            HttpClient client = http.get(c);
            threads.add(Thread.ofVirtual().start(() -> {
                int i;
                while ((i = next.getAndIncrement()) < accepted.size()) {
                    String id = accepted.get(i).messageId();
                    try {
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                                        URI.create(callbackUrl + "/v1/messages/" + id)).timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + apiKey).GET().build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            continue;
                        }
                        Map<String, Instant> at = new LinkedHashMap<>();
                        JsonNode detail = JSON.readTree(response.body());
                        if (receiver.arrival(id, "SENT") == null && described.incrementAndGet() <= 3) {
                            // why a SENT webhook is missing: the message's statuses and webhook attempts as callback has them
                            log.println("pipeline: no SENT webhook for " + id + ": status " + detail.path("status").asText()
                                    + ", history " + detail.path("history") + ", webhookAttempts " + detail.path("webhookAttempts"));
                        }
                        for (JsonNode entry : detail.path("history")) {
                            at.putIfAbsent(entry.path("status").asText(), Instant.parse(entry.path("at").asText()));
                        }
                        histories.put(id, new History(at));
                    } catch (IOException | RuntimeException e) {
                        // counted as not reaching SENT
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return histories;
    }

    /**
     * {@code POST /v1/messages}: one WhatsApp image message of that uploaded media in that conversation, with that
     * callback and, when not null, that {@code Idempotency-Key}.
     */
    public static HttpResponse<String> postImageMessage(HttpClient client, String ingestUrl, String apiKey, String mediaId,
                                                        String conversation, String callback, String idempotencyKey)
            throws IOException, InterruptedException {
        String body = "{\"channel\":\"WHATSAPP\",\"from\":\"+15550100001\",\"to\":\"+15557654321\","
                + "\"kind\":\"image\",\"media\":{\"id\":\"" + mediaId + "\"},"
                + "\"conversationId\":\"" + conversation + "\",\"callbacks\":[\"" + callback + "\"]}";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ingestUrl + "/v1/messages"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json");
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return client.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Uploads {@code png} ({@code POST /v1/media}, WhatsApp, that conversation); returns its media id. */
    public static String upload(HttpClient client, String ingestUrl, String apiKey, byte[] png, String conversation)
            throws IOException, InterruptedException {
        String boundary = "----benchmark" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : Map.of("conversationId", conversation, "channel", "WHATSAPP").entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
                    + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(png);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(ingestUrl + "/v1/media"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("upload answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).path("mediaId").asText();
    }

    /** A small real PNG (64×64, a gradient), made with ImageIO. */
    public static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, new Color(x * 4, y * 4, 128).getRGB());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static int partitions(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.describeTopics(List.of(Topics.SEND_REQUESTED_NAME)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.SEND_REQUESTED_NAME).partitions().size();
        }
    }

    private static Table webhookTable(WebhookBurst.Result burst) {
        Table hooks = new Table(String.format(Locale.ROOT, "Webhooks alone: %d statuses put on message.status.v1 and told to"
                        + " their messages' callback URL, vs as many signed POSTs sent raw to the same receiver (same"
                        + " client, %d in flight)", burst.count(), WEBHOOKS_IN_FLIGHT),
                "platform (callback service)", "raw signed POSTs");
        hooks.row("webhooks that arrived", burst.arrived(), burst.count() - burst.rawFailures());
        hooks.row("webhooks/s", burst.platformPerSecond(), burst.rawPerSecond());
        hooks.row("time for all (ms)", burst.platform().toMillis(), burst.raw().toMillis());
        return hooks;
    }

    private void write(List<Table> tables, List<Sent> sent, Map<String, History> histories, WebhookReceiver receiver,
                       KafkaChainBaseline.Result base, double runSeconds, double startSeconds) throws IOException {
        Files.createDirectories(results);
        String markdown = "# pipeline benchmark\n\n"
                + String.format(Locale.ROOT, "%s; Java %s, %d processors; `benchmarks/run --benchmark=pipeline --messages=%d"
                        + " --conversations=%d --clients=%d`; run took %.0f s (stack start %.0f s).%n%n",
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), Runtime.version(),
                Runtime.getRuntime().availableProcessors(), messages, conversations, clients, runSeconds, startSeconds)
                + tables.getFirst().markdown()
                + "\nSlowest hop (by p50): **" + slowestHop + "**.\n\n"
                + tables.get(1).markdown()
                + "\n" + tables.get(2).markdown()
                + (tables.size() > 3 ? "\n" + tables.get(3).markdown() : "")
                + "\n![latency percentiles](pipeline-latency.png)\n";
        Files.writeString(results.resolve("pipeline.md"), markdown);
        try {
            LatencyPlot.write(results.resolve("pipeline-latency.png"),
                    "send → SENT webhook (pipeline) vs end of chain (baseline)",
                    Map.of("pipeline: send → SENT webhook", pipelineCurve, "baseline: " + KAFKA_HOPS + " bare Kafka hops",
                            baselineCurve));
        } catch (RuntimeException | IOException | Error e) {
            log.println("pipeline: no latency plot: " + e);
        }
    }

    private static String conversation(int c) {
        return "benchmark-conversation-" + c;
    }

    private static Instant max(Instant a, Instant b) {
        return b.isAfter(a) ? b : a;
    }

    private static double seconds(Instant from, Instant to) {
        return Math.max(1e-3, Duration.between(from, to).toNanos() / 1e9);
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temp dir
        }
    }
}
