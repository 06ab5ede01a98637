package io.mediaplatform.dispatch;

import io.mediaplatform.embedded.SharedTestInfra;
import io.mediaplatform.embedded.TopicProvisioner;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.InboundMessage;
import io.mediaplatform.schemas.serde.AvroDeserializer;
import io.mediaplatform.schemas.serde.SerdeConfig;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.simulator.NotifySimulator;
import io.mediaplatform.simulator.TwilioSimulator;
import io.mediaplatform.simulator.WhatsAppSimulator;
import io.mediaplatform.common.signing.InboundMediaSigner;
import io.mediaplatform.common.signing.StandardWebhooks;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The running service with only its provider webhooks in play, for tests that post signed webhooks over real HTTP
 * and read what dispatch published from a real broker and registry. Nothing here is sent to a provider; a subclass
 * that sends starts its providers' simulators and adds their settings with a {@code @DynamicPropertySource} of its own.
 *
 * <p>One KRaft broker (one partition per topic) for the whole test JVM, stopped when the JVM exits; every topic of
 * the catalogue and its {@code .dlt} exists. Each test class gets its own context (closed after the class, before the
 * broker goes away), on a port fixed up front because Twilio signs the URL built from {@code DISPATCH_PUBLIC_URL}.
 * One reader follows {@code message.status.v1}, {@code message.inbound.v1} and {@code message.inbound.v1.dlt} from
 * the beginning for the whole JVM; tests pick their own records out by ids.
 *
 * <p>"Publishes nothing" is checked without waiting on a timer: every topic has one partition and every webhook
 * publishes before it is answered, so once a later webhook's record of the same topic is read, any record of the
 * earlier requests would have been read before it.
 *
 * <p>Settings: WhatsApp app secret, Twilio auth token and notification-API webhook secret below; inbound routes for
 * WhatsApp phone number id {@link #PHONE_NUMBER_ID}, Twilio number {@link #TWILIO_NUMBER} and notification-API
 * sender {@link #NOTIFY_SENDER}, all to {@link #TENANT} / {@link #INBOX}.
 */
@SpringBootTest(classes = DispatchApplication.class, properties = "spring.config.name=" + DispatchApplication.CONFIG_NAME,
        webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
abstract class ProviderWebhookTestBase {

    protected static final String APP_SECRET = "webhook-test-app-secret";
    /** {@code D360_WEBHOOK_TOKEN}: unsigned (360dialog) webhooks carrying it are taken. */
    protected static final String D360_WEBHOOK_TOKEN = "webhook-test-360dialog-token";
    protected static final String TWILIO_TOKEN = "webhook-test-twilio-token";
    protected static final String NOTIFY_SECRET = "whsec_" + Base64.getEncoder()
            .encodeToString("webhook-test-notify-secret-32-bytes".getBytes(StandardCharsets.UTF_8));
    /** The routed WhatsApp business phone number id. */
    protected static final String PHONE_NUMBER_ID = "106540352242922";
    /** The routed Twilio number. */
    protected static final String TWILIO_NUMBER = "+15550100002";
    /** The routed notification-API sender id ({@code NOTIFY_SENDER} too). */
    protected static final String NOTIFY_SENDER = "demo-sender";
    protected static final String TENANT = "tenant-in";
    protected static final String INBOX = "inbox-in";
    /** {@code LINK_SIGNING_KEY}: ingest signs its inbound-media requests with it. */
    protected static final String LINK_KEY = "webhook-test-link-signing-key-0123456789";

    protected static final int PORT = TestSupport.freePort();
    protected static final String BASE = "http://127.0.0.1:" + PORT;
    protected static final String WHATSAPP_URL = BASE + "/v1/providers/whatsapp/status";
    protected static final String TWILIO_URL = BASE + "/v1/providers/twilio/status";
    protected static final String NOTIFY_URL = BASE + "/v1/providers/notify/status";
    protected static final HttpClient HTTP = HttpClient.newHttpClient();

    protected static final EmbeddedKafkaKraftBroker BROKER;
    private static final List<ConsumerRecord<String, SpecificRecord>> RECORDS = new CopyOnWriteArrayList<>();

    static {
        BROKER = TestSupport.broker(1);
        TopicProvisioner.createAll(BROKER.getBrokersAsString(), 1, (short) 1);
        Runtime.getRuntime().addShutdownHook(new Thread(BROKER::destroy, "webhook-test-broker-shutdown"));
        Thread.ofPlatform().daemon().name("webhook-test-reader").start(ProviderWebhookTestBase::read);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", BROKER::getBrokersAsString);
        registry.add("platform.kafka.schema-registry-url",
                () -> SharedTestInfra.schemaRegistry(BROKER.getBrokersAsString()).url());
        registry.add("server.port", () -> PORT);
        registry.add("dispatch.public-url", () -> BASE);
        registry.add("dispatch.whatsapp.app-secret", () -> APP_SECRET);
        registry.add("dispatch.whatsapp.d360-webhook-token", () -> D360_WEBHOOK_TOKEN);
        registry.add("dispatch.twilio.auth-token", () -> TWILIO_TOKEN);
        registry.add("dispatch.notify.webhook-secret", () -> NOTIFY_SECRET);
        registry.add("dispatch.notify.sender", () -> NOTIFY_SENDER);
        registry.add("dispatch.links.signing-key", () -> LINK_KEY);
        registry.add("dispatch.inbound.routes", () -> "whatsapp:" + PHONE_NUMBER_ID + "=" + TENANT + "/" + INBOX
                + ";twilio:" + TWILIO_NUMBER + "=" + TENANT + "/" + INBOX
                + ";notify:" + NOTIFY_SENDER + "=" + TENANT + "/" + INBOX);
    }

    // ---------------------------------------------------------------- posting signed webhooks

    protected static HttpResponse<String> postWhatsApp(byte[] body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(WHATSAPP_URL))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header(WhatsAppSimulator.SIGNATURE_HEADER, signature);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts a WhatsApp webhook signed with the app secret, as Meta does. */
    protected static HttpResponse<String> postSignedWhatsApp(byte[] body) throws Exception {
        return postWhatsApp(body, WhatsAppSimulator.signature(APP_SECRET, body));
    }

    protected static HttpResponse<String> postTwilio(String url, Map<String, String> params, String signature)
            throws Exception {
        String form = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(TwilioSimulator.SIGNATURE_HEADER, signature)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts a Twilio form to the URL, signed with the auth token over that URL, as Twilio does. */
    protected static HttpResponse<String> postSignedTwilio(String url, Map<String, String> params) throws Exception {
        return postTwilio(url, params, TwilioSimulator.signature(TWILIO_TOKEN, url, params));
    }

    protected static HttpResponse<String> postNotify(String url, String id, long timestamp, String body,
                                                     String signature) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header(StandardWebhooks.ID_HEADER, id)
                .header(StandardWebhooks.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(StandardWebhooks.SIGNATURE_HEADER, signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts a notification-API callback to the URL, signed now with a new webhook id, the Standard Webhooks way. */
    protected static HttpResponse<String> postSignedNotify(String url, String body) throws Exception {
        String id = "msg_" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        return postNotify(url, id, now, body, NotifySimulator.signature(NOTIFY_SECRET, id, now, body));
    }

    // ---------------------------------------------------------------- customers' media, as ingest asks for it

    /** The URL of {@code GET /v1/providers/{provider}/inbound-media} for that media, signed as ingest signs it. */
    protected static URI inboundMediaUri(String provider, String mediaId, String ref, Instant expires) {
        return URI.create(BASE + "/v1/providers/" + provider + "/inbound-media?"
                + new InboundMediaSigner(LINK_KEY).query(provider, TENANT, mediaId, ref, expires));
    }

    /** Asks for that media with a request signed for the next minute, the body read whole. */
    protected static HttpResponse<byte[]> getInboundMedia(String provider, String mediaId, String ref) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(inboundMediaUri(provider, mediaId, ref, Instant.now().plusSeconds(60)))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    // ---------------------------------------------------------------- what was published

    /** Every status read from {@code message.status.v1} so far. */
    protected static List<ConsumerRecord<String, DeliveryStatus>> statusRecords() {
        return typed(Topics.MESSAGE_STATUS_NAME, DeliveryStatus.class);
    }

    /** Every record read from {@code message.inbound.v1} so far. */
    protected static List<ConsumerRecord<String, InboundMessage>> inboundRecords() {
        return typed(Topics.MESSAGE_INBOUND_NAME, InboundMessage.class);
    }

    /** Every record read from {@code message.inbound.v1.dlt} so far. */
    protected static List<ConsumerRecord<String, InboundMessage>> inboundDeadLetters() {
        return typed(Topics.MESSAGE_INBOUND.dlt(), InboundMessage.class);
    }

    /** The records of one provider message on {@code message.inbound.v1}. */
    protected static List<ConsumerRecord<String, InboundMessage>> inboundOf(String providerMessageId) {
        return inboundRecords().stream()
                .filter(r -> providerMessageId.equals(r.value().getProviderMessageId())).toList();
    }

    /** The records of one provider message on {@code message.inbound.v1.dlt}. */
    protected static List<ConsumerRecord<String, InboundMessage>> deadLettersOf(String providerMessageId) {
        return inboundDeadLetters().stream()
                .filter(r -> providerMessageId.equals(r.value().getProviderMessageId())).toList();
    }

    @SuppressWarnings("unchecked")
    private static <V extends SpecificRecord> List<ConsumerRecord<String, V>> typed(String topic, Class<V> type) {
        return RECORDS.stream().filter(r -> topic.equals(r.topic()) && type.isInstance(r.value()))
                .map(r -> (ConsumerRecord<String, V>) (ConsumerRecord<String, ?>) r).toList();
    }

    /** Reads the webhooks' topics from the beginning into {@link #RECORDS} for as long as the JVM runs. */
    private static void read() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.getBrokersAsString());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "webhook-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(SerdeConfig.SCHEMA_REGISTRY_URL, SharedTestInfra.schemaRegistry(BROKER.getBrokersAsString()).url());
        AvroDeserializer avro = new AvroDeserializer();
        avro.configure(config, false);
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(config, new StringDeserializer(), avro)) {
            consumer.subscribe(List.of(Topics.MESSAGE_STATUS_NAME, Topics.MESSAGE_INBOUND_NAME,
                    Topics.MESSAGE_INBOUND.dlt()));
            while (true) {
                for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(Duration.ofMillis(200))) {
                    RECORDS.add(record);
                }
            }
        }
    }
}
