package io.mediaplatform.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaplatform.common.kafka.EventLogFields;
import io.mediaplatform.embedded.Ports;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.schemas.serde.AvroDeserializer;
import io.mediaplatform.schemas.serde.SerdeConfig;
import io.mediaplatform.schemas.topics.Topics;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What an operator sees of one message on the real local stack: each service's own meters on its
 * {@code /actuator/prometheus}, with tenant-safe tags; JSON log lines a person can read; and a real Prometheus
 * (Debian's {@code prometheus} package) that scrapes the stack and answers every query of the Grafana dashboard and
 * every alert rule of {@code deploy/observability}; and one trace from the HTTP answer to the client webhook.
 */
class OperationsEndToEndTest extends LocalStackTestBase {

    private static final Path OBSERVABILITY = Path.of("..", "observability");
    private static final String RECIPIENT = "+15557650913";
    private static final String TRACED_RECIPIENT = "+15557650914";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static String messageId;

    @Test
    void after_one_message_each_service_shows_its_own_hop_meters_with_tenant_safe_tags() throws Exception {
        // Given one WhatsApp image sent end to end, READ at the end
        String message = oneMessageRead();

        // When each service's Prometheus endpoint is scraped
        String ingest = scrape(stack.ingestUrl());
        String validation = scrape(stack.validationUrl());
        String dispatch = scrape(stack.dispatchUrl());
        String callback = scrape(stack.callbackUrl());

        // Then ingest counted the upload and its bytes
        assertMeter(ingest, "ingest_uploads_total", Map.of("channel", "WHATSAPP", "direction", "outbound", "outcome", "stored"));
        assertMeter(ingest, "ingest_upload_bytes_count", Map.of("channel", "WHATSAPP"));
        // And validation its decision and the bytes it judged, and the hop from ingest
        assertMeter(validation, "media_validation_decisions_total",
                Map.of("channel", "WHATSAPP", "kind", "IMAGE", "outcome", "accepted", "reason", "none"));
        assertMeter(validation, "media_validation_bytes_count", Map.of("channel", "WHATSAPP", "outcome", "accepted"));
        assertMeter(validation, "platform_hop_latency_seconds_bucket", Map.of("topic", "media.received.v1"));
        // And dispatch the send, the provider's latency, its 429s (none), its circuit, the retry backlog and the hop
        assertMeter(dispatch, "dispatch_sends_total",
                Map.of("channel", "WHATSAPP", "kind", "IMAGE", "provider", "whatsapp", "outcome", "sent", "reason", "none"));
        assertMeter(dispatch, "dispatch_provider_latency_seconds_bucket",
                Map.of("provider", "whatsapp", "channel", "WHATSAPP", "outcome", "sent"));
        assertMeter(dispatch, "dispatch_provider_throttled_total", Map.of("provider", "whatsapp"));
        assertMeter(dispatch, "resilience4j_circuitbreaker_state", Map.of("name", "whatsapp", "state", "closed"));
        assertMeter(dispatch, "dispatch_retry_waiting", Map.of());
        assertMeter(dispatch, "dispatch_retry_oldest_age_seconds", Map.of());
        assertMeter(dispatch, "platform_hop_latency_seconds_bucket", Map.of("topic", "media.accepted.v1"));
        // And callback the statuses it recorded, the webhooks it delivered and their backlog, and the hop
        assertMeter(callback, "callback_status_events_total", Map.of("status", "READ"));
        assertMeter(callback, "callback_webhook_attempts_total", Map.of("outcome", "delivered"));
        assertMeter(callback, "callback_webhook_deliveries_total", Map.of("target", "callback"));
        assertMeter(callback, "callback_webhook_latency_seconds_bucket", Map.of("target", "callback"));
        assertMeter(callback, "callback_webhook_pending", Map.of());
        assertMeter(callback, "callback_webhook_oldest_pending_age_seconds", Map.of());
        assertMeter(callback, "platform_hop_latency_seconds_bucket", Map.of("topic", "message.status.v1"));

        // And each service's meters stay on its own endpoint (the four run in one JVM)
        assertThat(ingest).doesNotContain("dispatch_sends_total", "media_validation_decisions_total", "callback_webhook_attempts_total");
        assertThat(dispatch).doesNotContain("ingest_uploads_total", "media_validation_decisions_total", "callback_status_events_total");
        assertThat(callback).doesNotContain("ingest_uploads_total", "dispatch_sends_total");
        assertThat(validation).doesNotContain("ingest_uploads_total", "dispatch_sends_total");
        // And no tag names a tenant, a message or a phone number
        String tenant = stack.secrets().tenants().getFirst().id();
        for (String scraped : List.of(ingest, validation, dispatch, callback)) {
            assertThat(scraped).doesNotContain(message, RECIPIENT, "tenant=\"" + tenant + "\"");
        }
    }

    @Test
    void the_log_lines_are_json_with_the_rendered_message_and_the_message_ids_as_fields_and_no_full_phone_number()
            throws Exception {
        // Given one message sent end to end
        String message = oneMessageRead();
        Path log = Path.of(System.getProperty("LOCAL_STACK_LOG_DIR", "data/logs")).resolve("platform.log");

        // When the platform's log is read
        // Then the lines about the message are JSON objects with the rendered text, its level, logger and ids as fields
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<JsonNode> lines = new ArrayList<>();
            try (Stream<String> all = Files.lines(log)) {
                all.filter(line -> line.contains(message)).forEach(line -> lines.add(json(line)));
            }
            assertThat(lines).isNotEmpty();
            for (JsonNode line : lines) {
                assertThat(line.path("formattedMessage").asText()).as(line.toString()).doesNotContain("{}");
                assertThat(line.has("arguments")).as(line.toString()).isFalse();
                assertThat(line.path("level").asText()).isNotBlank();
                assertThat(line.path("loggerName").asText()).isNotBlank();
            }
            assertThat(lines).as("a line handled for the message carries its ids as fields")
                    .anySatisfy(line -> {
                        assertThat(line.at("/mdc/messageId").asText()).isEqualTo(message);
                        assertThat(line.at("/mdc/tenantId").asText()).isEqualTo(stack.secrets().tenants().getFirst().id());
                    });
        });
        // And no line carries the recipient's full phone number, nor the tenant's API key
        String whole = Files.readString(log);
        assertThat(whole).doesNotContain(RECIPIENT, RECIPIENT.substring(1), apiKey);
    }

    @Test
    void a_real_prometheus_scraping_the_stack_answers_every_dashboard_query_and_alert_rule_with_data() throws Exception {
        Optional<Path> binary = Stream.of("/usr/bin/prometheus", "/usr/local/bin/prometheus").map(Path::of)
                .filter(Files::isExecutable).findFirst();
        assumeTrue(binary.isPresent(), "prometheus is not installed (apt-get install prometheus): the dashboard and"
                + " alert rules are not evaluated");
        // Given a real Prometheus scraping the four services every two seconds, with the platform's alert rules
        oneMessageRead();
        Path dir = Files.createTempDirectory(dataDir, "prometheus");
        int port = Ports.freePort();
        Files.writeString(dir.resolve("prometheus.yml"), """
                global: { scrape_interval: 2s, scrape_timeout: 2s, evaluation_interval: 2s }
                rule_files: ["%s"]
                scrape_configs:
                  - job_name: media-platform
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - { targets: ["%s"], labels: { service: media-ingest-service } }
                      - { targets: ["%s"], labels: { service: media-validation-service } }
                      - { targets: ["%s"], labels: { service: channel-dispatch-service } }
                      - { targets: ["%s"], labels: { service: callback-service } }
                """.formatted(OBSERVABILITY.resolve("alerts.yml").toAbsolutePath().normalize(), hostPort(stack.ingestUrl()),
                hostPort(stack.validationUrl()), hostPort(stack.dispatchUrl()), hostPort(stack.callbackUrl())));
        Process prometheus = new ProcessBuilder(binary.get().toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            String api = "http://127.0.0.1:" + port;
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> get(api + "/-/ready").statusCode() == 200);

            // When a little load goes through the stack while it scrapes
            for (int i = 0; i < 3; i++) {
                send("conv-ops-load-" + i, "+1555765092" + i, null);
            }

            // Then it scrapes all four services
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode targets = Http.JSON.readTree(get(api + "/api/v1/targets").body()).at("/data/activeTargets");
                assertThat(targets).hasSize(4);
                targets.forEach(target -> assertThat(target.path("health").asText())
                        .as(target.path("scrapeUrl").asText() + ": " + target.path("lastError").asText()).isEqualTo("up"));
            });
            // And every query of the dashboard evaluates without error and returns data
            List<String> queries = dashboardQueries();
            assertThat(queries).hasSizeGreaterThan(20);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                for (String query : queries) {
                    assertThat(query(api, query)).as(query).isNotEmpty();
                }
            });
            // And every alert rule is evaluated without error, and what it measures has data
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode groups = Http.JSON.readTree(get(api + "/api/v1/rules").body()).at("/data/groups");
                List<JsonNode> rules = new ArrayList<>();
                groups.forEach(group -> group.path("rules").forEach(rules::add));
                assertThat(rules).extracting(rule -> rule.path("name").asText())
                        .contains("WebhookBacklogStuck", "ProviderCircuitOpen", "DeadLetterTopicGrowing");
                for (JsonNode rule : rules) {
                    assertThat(rule.path("health").asText()).as(rule.toString()).isEqualTo("ok");
                    String measured = rule.path("query").asText().replaceFirst("\\s*(>|<|>=|<=|==|!=)\\s*[0-9.]+\\s*$", "");
                    assertThat(query(api, measured)).as(measured).isNotEmpty();
                }
            });
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
    }

    @Test
    void one_trace_goes_from_the_http_answer_through_every_kafka_record_to_the_provider_and_the_client_webhook()
            throws Exception {
        // Given an image uploaded for a WhatsApp conversation
        byte[] png = Files.readAllBytes(DEMO.resolve("photo.png"));
        Http.Response upload = Http.upload(stack.ingestUrl() + "/v1/media", apiKey, "photo.png", "image/png", png,
                Map.of("conversationId", "conv-ops-trace", "channel", "WHATSAPP"));
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);

        // When it is sent with a callback URL
        HttpResponse<String> send = HTTP.send(HttpRequest.newBuilder(URI.create(stack.ingestUrl() + "/v1/messages"))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"channel":"WHATSAPP","from":"+15550100001","to":"%s","kind":"image","media":{"id":"%s"},
                         "conversationId":"conv-ops-trace","callbacks":["%s"]}""".formatted(TRACED_RECIPIENT,
                        upload.json().path("mediaId").asText(), receiver.url()))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(send.statusCode()).as(send.body()).isEqualTo(202);
        JsonNode accepted = Http.JSON.readTree(send.body());
        String message = accepted.path("messageId").asText();

        // Then the answer names its trace: meta.transactionId and the Transaction-Id header are the trace id
        String transactionId = accepted.at("/meta/transactionId").asText();
        assertThat(send.headers().firstValue("Transaction-Id")).contains(transactionId);
        String traceId = transactionId.replace("-", "");
        assertThat(traceId).matches("[0-9a-f]{32}");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertThat(
                Http.get(stack.callbackUrl() + "/v1/messages/" + message, apiKey).json().path("status").asText())
                .isEqualTo("READ"));

        // And every Kafka record the request led to carries it in its traceparent header: the command, the media
        // received and accepted, and the QUEUED and SENT statuses (DELIVERED and READ come from the provider's own
        // webhooks, each a trace of its own)
        Map<String, List<String>> traced = new LinkedHashMap<>();
        for (ConsumerRecord<String, Object> record : recordsOf(message)) {
            String what = record.topic() + (record.value() instanceof DeliveryStatus status ? " " + status.getStatus() : "");
            Header traceparent = record.headers().lastHeader("traceparent");
            assertThat(traceparent).as(what).isNotNull();
            traced.computeIfAbsent(new String(traceparent.value(), StandardCharsets.UTF_8).split("-")[1],
                    id -> new ArrayList<>()).add(what);
        }
        assertThat(traced.get(traceId)).as("records by trace: %s", traced).contains("message.send-requested.v1",
                "media.received.v1", "media.accepted.v1", "message.status.v1 QUEUED", "message.status.v1 SENT");
        // And the provider's request carries it
        assertThat(stack.whatsApp().sends()).filteredOn(request -> request.body().toString().contains(TRACED_RECIPIENT.substring(1)))
                .isNotEmpty().allSatisfy(request -> assertThat(request.header("traceparent")).contains(traceId));
        // And so does every webhook of the message
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(receiver.received())
                .filteredOn(hook -> hook.body().contains(message)).hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(hook -> assertThat(hook.headers().get("traceparent")).contains(traceId)));

        // And the spans of the trace form one tree: the HTTP server span at its root, the Kafka producer and
        // consumer spans, the provider call and the webhook attempts under it
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<SpanData> trace = spans.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(traceId))
                    .toList();
            Set<String> ids = trace.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
            assertThat(trace).filteredOn(span -> !span.getParentSpanContext().isValid()).singleElement()
                    .satisfies(root -> assertThat(root.getKind()).isEqualTo(SpanKind.SERVER));
            assertThat(trace).filteredOn(span -> span.getParentSpanContext().isValid())
                    .allSatisfy(span -> assertThat(ids).as("parent of " + span.getName()).contains(span.getParentSpanId()));
            assertThat(trace).extracting(SpanData::getKind)
                    .contains(SpanKind.SERVER, SpanKind.PRODUCER, SpanKind.CONSUMER, SpanKind.CLIENT);
            assertThat(trace).extracting(SpanData::getName).anyMatch(name -> name.contains("whatsapp send"))
                    .anyMatch(name -> name.startsWith("webhook"));
        });
    }

    /** The records of every topic of the message's way that name it. */
    private static List<ConsumerRecord<String, Object>> recordsOf(String message) {
        @SuppressWarnings("unchecked")
        Map<String, Object> kafka = (Map<String, Object>) stack.description().get("kafka");
        Map<String, Object> configs = new LinkedHashMap<>();
        configs.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.get("bootstrapServers"));
        configs.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        configs.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class);
        configs.put(SerdeConfig.SCHEMA_REGISTRY_URL, stack.description().get("schemaRegistry"));
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> topics = List.of(Topics.SEND_REQUESTED_NAME, Topics.MEDIA_RECEIVED_NAME, Topics.MEDIA_ACCEPTED_NAME,
                Topics.MESSAGE_STATUS_NAME);
        List<ConsumerRecord<String, Object>> found = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(configs)) {
            List<TopicPartition> partitions = topics.stream().flatMap(topic -> consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(500))) {
                    if (EventLogFields.messageIdOf(record.value()).filter(message::equals).isPresent()) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    /** The one message the tests look at: uploaded, sent to {@link #RECIPIENT} with a callback, READ at the end. */
    private static synchronized String oneMessageRead() throws Exception {
        if (messageId == null) {
            messageId = send("conv-ops-1", RECIPIENT, receiver.url());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                Http.Response status = Http.get(stack.callbackUrl() + "/v1/messages/" + messageId, apiKey);
                assertThat(status.json().path("status").asText()).as(status.body()).isEqualTo("READ");
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(receiver.received())
                    .filteredOn(hook -> hook.body().contains(messageId) && hook.body().contains("READ")).isNotEmpty());
        }
        return messageId;
    }

    private static String send(String conversation, String to, String callback) throws Exception {
        byte[] png = Files.readAllBytes(DEMO.resolve("photo.png"));
        Http.Response upload = Http.upload(stack.ingestUrl() + "/v1/media", apiKey, "photo.png", "image/png", png,
                Map.of("conversationId", conversation, "channel", "WHATSAPP"));
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        Http.Response send = Http.postJson(stack.ingestUrl() + "/v1/messages", apiKey, """
                {"channel":"WHATSAPP","from":"+15550100001","to":"%s","kind":"image","media":{"id":"%s"},
                 "conversationId":"%s"%s}""".formatted(to, upload.json().path("mediaId").asText(), conversation,
                callback == null ? "" : ",\"callbacks\":[\"" + callback + "\"]"));
        assertThat(send.status()).as(send.body()).isEqualTo(202);
        return send.json().path("messageId").asText();
    }

    /** Every target's expression of the dashboard, with its variables as Grafana would fill them for "All". */
    private static List<String> dashboardQueries() throws Exception {
        JsonNode dashboard = Http.JSON.readTree(OBSERVABILITY.resolve("grafana/dashboards/media-platform.json").toFile());
        List<String> queries = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target ->
                queries.add(target.path("expr").asText().replace("$service", ".*").replace("$__rate_interval", "20s"))));
        return queries;
    }

    private static List<JsonNode> query(String api, String query) throws Exception {
        HttpResponse<String> answer = get(api + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        JsonNode body = Http.JSON.readTree(answer.body());
        assertThat(body.path("status").asText()).as(query + " -> " + answer.body()).isEqualTo("success");
        List<JsonNode> result = new ArrayList<>();
        body.at("/data/result").forEach(result::add);
        return result;
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String scrape(String serviceUrl) throws Exception {
        HttpResponse<String> answer = get(serviceUrl + "/actuator/prometheus");
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    /** A sample line of that meter carrying every one of those tags. */
    private static void assertMeter(String scraped, String name, Map<String, String> tags) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{.*})? \\S+$", Pattern.MULTILINE);
        List<String> samples = line.matcher(scraped).results().map(m -> m.group()).toList();
        Map<String, String> wanted = new LinkedHashMap<>(tags);
        assertThat(samples).as("%s with %s", name, wanted).anySatisfy(sample -> wanted.forEach((key, value) ->
                assertThat(sample).contains(key + "=\"" + value + "\"")));
    }

    private static String hostPort(String url) {
        URI uri = URI.create(url);
        return uri.getHost() + ":" + uri.getPort();
    }

    private static JsonNode json(String line) {
        try {
            return Http.JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }
}
