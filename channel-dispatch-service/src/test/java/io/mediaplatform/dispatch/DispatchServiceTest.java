package io.mediaplatform.dispatch;

import io.mediaplatform.events.StorageLocation;
import java.io.IOException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediaplatform.dispatch.send.core.Correlation;
import io.mediaplatform.dispatch.connector.whatsapp.CallbackData;
import io.mediaplatform.embedded.SharedTestInfra;
import io.mediaplatform.embedded.TopicProvisioner;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.MediaRendition;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.events.RejectionReason;
import io.mediaplatform.schemas.serde.AvroDeserializer;
import io.mediaplatform.schemas.serde.SerdeConfig;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.simulator.FetchedMedia;
import io.mediaplatform.simulator.ReceivedSend;
import io.mediaplatform.simulator.WhatsAppSimulator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.mediaplatform.common.signing.StandardWebhooks;
import io.mediaplatform.dispatch.resilience.resilience4j.ResilientSender;
import io.mediaplatform.dispatch.retry.kafka.SendRetries;
import io.mediaplatform.simulator.Fault;
import io.mediaplatform.simulator.NotifySimulator;
import io.mediaplatform.simulator.TwilioSimulator;
import jakarta.mail.internet.MimeMessage;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service end to end on a real broker and registry, with the WhatsApp simulator as the provider: accepted
 * media goes out through the real connector, the simulator fetches the signed link from a stand-in of ingest,
 * and its signed status webhooks come back through the real endpoint onto {@code message.status.v1}. Likewise MMS
 * through the Twilio simulator, RCS through a stand-in of the generic notification API, and e-mail through a real
 * in-process SMTP server (GreenMail); and the resilience around them: retries that keep a conversation's order, a
 * provider outage that opens the circuit and leaves every message SENT or FAILED exactly once.
 *
 * <p>The port is fixed before start (a free one) because Twilio signs the callback URL built from
 * {@code DISPATCH_PUBLIC_URL}, which must therefore be known up front.
 */
@SpringBootTest(classes = DispatchApplication.class, properties = "spring.config.name=dispatch",
        webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DispatchServiceTest {

    private static final String TOKEN = "service-test-token";
    private static final String APP_SECRET = "service-test-app-secret";
    private static final String VERIFY_TOKEN = "service-test-verify-token";
    private static final String LINK_KEY = "dev-only-link-signing-key-CHANGE-ME-0123456789";
    private static final String TWILIO_SID = "AC00000000000000000000000000000001";
    private static final String TWILIO_TOKEN = "service-test-twilio-token";
    private static final String NOTIFY_KEY = "service-test-notify-key";
    private static final String NOTIFY_SECRET = "whsec_" + java.util.Base64.getEncoder()
            .encodeToString("service-test-notify-secret-32-bytes".getBytes(StandardCharsets.UTF_8));
    private static final int PORT = TestSupport.freePort();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** A real 16x12 JPEG: what the ingest stand-in serves for a rendition validation made. */
    private static final byte[] RENDITION_JPEG = realJpeg();

    private static final EmbeddedKafkaKraftBroker broker = TestSupport.broker(1);
    private static final WhatsAppSimulator simulator;
    private static final TwilioSimulator twilio;
    private static final GreenMail smtp;
    private static final NotifySimulator notifyApi;
    private static final List<ConsumerRecord<String, MediaAccepted>> deadLetters = new CopyOnWriteArrayList<>();
    private static final List<ConsumerRecord<String, MediaAccepted>> retried = new CopyOnWriteArrayList<>();
    private static final IngestStandIn ingest;
    private static final List<ConsumerRecord<String, DeliveryStatus>> statuses = new CopyOnWriteArrayList<>();
    private static volatile boolean consuming = true;
    private static final Thread statusReader;

    static {
        TopicProvisioner.createAll(broker.getBrokersAsString(), 1, (short) 1);
        simulator = WhatsAppSimulator.builder().accessToken(TOKEN).appSecret(APP_SECRET)
                .statusDelay(Duration.ofMillis(100)).build().start();
        twilio = TwilioSimulator.builder().accountSid(TWILIO_SID).authToken(TWILIO_TOKEN)
                .statusDelay(Duration.ofMillis(100)).build().start();
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        notifyApi = NotifySimulator.builder().apiKey(NOTIFY_KEY).webhookSecret(NOTIFY_SECRET)
                .statusDelay(Duration.ofMillis(100)).build().start();
        ingest = IngestStandIn.start(LINK_KEY);
        statusReader = Thread.ofPlatform().daemon().name("status-reader").start(DispatchServiceTest::readStatuses);
    }

    int port = PORT;

    @Autowired
    ResilientSender resilientSender;

    @Autowired
    KafkaTemplate<Object, Object> kafka;

    /** Stops the broker when the context stops, after everything in it that talks to Kafka. */
    @TestConfiguration(proxyBeanMethods = false)
    static class BrokerShutdown {
        @Bean
        SmartLifecycle embeddedBrokerShutdown() {
            return new SmartLifecycle() {
                private volatile boolean running;

                @Override
                public void start() {
                    running = true;
                }

                @Override
                public void stop() {
                    running = false;
                    broker.destroy();
                }

                @Override
                public boolean isRunning() {
                    return running;
                }

                @Override
                public int getPhase() {
                    return Integer.MIN_VALUE;
                }
            };
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        // Kafka and the registry only: dispatch stores nothing, so the shared S3 server is not needed
        registry.add("spring.kafka.bootstrap-servers", broker::getBrokersAsString);
        registry.add("platform.kafka.schema-registry-url",
                () -> SharedTestInfra.schemaRegistry(broker.getBrokersAsString()).url());
        registry.add("dispatch.whatsapp.base-url", simulator::url);
        registry.add("dispatch.whatsapp.phone-number-id", () -> "109876543210");
        registry.add("dispatch.whatsapp.access-token", () -> TOKEN);
        registry.add("dispatch.whatsapp.app-secret", () -> APP_SECRET);
        registry.add("dispatch.whatsapp.verify-token", () -> VERIFY_TOKEN);
        registry.add("dispatch.links.public-base-url", ingest::url);
        registry.add("dispatch.links.signing-key", () -> LINK_KEY);
        registry.add("dispatch.retry.initial-backoff", () -> "50ms");
        registry.add("dispatch.retry.max-backoff", () -> "2s");
        registry.add("dispatch.retry.delays", () -> "1500ms,3s");
        registry.add("server.port", () -> PORT);
        registry.add("dispatch.public-url", () -> "http://127.0.0.1:" + PORT);
        registry.add("dispatch.twilio.base-url", twilio::url);
        registry.add("dispatch.twilio.account-sid", () -> TWILIO_SID);
        registry.add("dispatch.twilio.auth-token", () -> TWILIO_TOKEN);
        registry.add("dispatch.twilio.from", () -> "+15550002222");
        registry.add("dispatch.notify.base-url", notifyApi::url);
        registry.add("dispatch.notify.api-key", () -> NOTIFY_KEY);
        registry.add("dispatch.notify.webhook-secret", () -> NOTIFY_SECRET);
        registry.add("dispatch.notify.channels", () -> "RCS"); // WEBCHAT stays without a connector
        registry.add("dispatch.email.smtp-host", () -> "127.0.0.1");
        registry.add("dispatch.email.smtp-port", () -> smtp.getSmtp().getPort());
        registry.add("dispatch.email.start-tls", () -> "false");
        registry.add("dispatch.email.from", () -> "agents@example.com");
        // a circuit that judges after 4 calls and stays open 1 s, so an outage and its recovery fit in a test
        registry.add("dispatch.resilience.circuit-minimum-calls", () -> "4");
        registry.add("dispatch.resilience.circuit-window", () -> "4");
        registry.add("dispatch.resilience.circuit-open-wait", () -> "1s");
        registry.add("dispatch.resilience.circuit-half-open-calls", () -> "1");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        consuming = false;
        statusReader.join(Duration.ofSeconds(5));
        simulator.close();
        twilio.close();
        smtp.stop();
        notifyApi.close();
        ingest.close();
    }

    @BeforeEach
    void pointWebhooksAtTheService() {
        simulator.webhookUrl(webhookUrl());
    }

    private String webhookUrl() {
        return "http://127.0.0.1:" + port + "/v1/providers/whatsapp/status";
    }

    // ---------------------------------------------------------------- sends

    @Test
    void an_accepted_outbound_image_goes_queued_sent_delivered_read() {
        // Given an accepted outbound image with a message for a WhatsApp recipient
        String messageId = UUID.randomUUID().toString();
        String conversation = "conv-" + UUID.randomUUID();
        MediaAccepted event = accepted(Channel.WHATSAPP, Direction.OUTBOUND, conversation,
                message(messageId, "+15551110001", MediaKind.IMAGE));
        int fetchesBefore = ingest.validFetches();

        // When it is published on media.accepted.v1
        kafka.send(Topics.MEDIA_ACCEPTED_NAME, conversation, event);

        // Then QUEUED, SENT (the provider took it), SENT (the provider's own webhook), DELIVERED and READ arrive on
        // message.status.v1, in that order, keyed by the conversation
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.READ));
        assertThat(statesOf(messageId)).containsExactly(MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.SENT,
                MessageStatus.DELIVERED, MessageStatus.READ);
        List<ConsumerRecord<String, DeliveryStatus>> records = recordsOf(messageId);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(conversation);
            assertThat(r.value().getTenantId()).isEqualTo("tenant-a");
            assertThat(r.value().getConversationId()).isEqualTo(conversation);
            assertThat(r.value().getChannel()).isEqualTo(Channel.WHATSAPP);
            assertThat(r.value().getTo()).isEqualTo("+15551110001");
        });
        assertThat(records.getFirst().value().getMediaId()).isEqualTo("media-" + messageId);
        String wamid = records.get(1).value().getProviderMessageId();
        assertThat(wamid).startsWith("wamid.");
        assertThat(records.get(1).value().getProvider()).isEqualTo("whatsapp");
        assertThat(records.get(1).value().getProviderStatus()).isNull();
        assertThat(records.subList(2, 5)).extracting(r -> r.value().getProviderStatus())
                .containsExactly("sent", "delivered", "read");
        assertThat(records.subList(2, 5)).allSatisfy(r -> {
            assertThat(r.value().getProviderMessageId()).isEqualTo(wamid);
            assertThat(r.value().getProvider()).isEqualTo("whatsapp");
        });

        // And the provider got the signed link, fetched it and ingest's signature check let it through
        ReceivedSend send = simulator.sends().stream().filter(s -> wamid.equals(s.messageId())).findFirst().orElseThrow();
        assertThat(send.body().at("/image/link").asText())
                .startsWith(ingest.url() + "/v1/media/media-" + messageId + "/content?tenant=tenant-a&expires=");
        assertThat(send.body().at("/image/caption").asText()).isEqualTo("Look at this");
        assertThat(ingest.validFetches()).isGreaterThan(fetchesBefore);
    }

    @Test
    void an_image_validation_converted_is_fetched_by_the_provider_as_its_jpeg_rendition() throws IOException {
        // Given an accepted WhatsApp image that validation converted (a WebP the client sent, a JPEG rendition)
        String messageId = UUID.randomUUID().toString();
        String conversation = "conv-" + UUID.randomUUID();
        MediaAccepted event = accepted(Channel.WHATSAPP, Direction.OUTBOUND, conversation,
                message(messageId, "+15551110021", MediaKind.IMAGE));
        event.getMedia().setMediaId("original-webp-" + messageId);
        event.setRendition(MediaRendition.newBuilder().setMediaId("rendition-" + messageId)
                .setStorage(StorageLocation.newBuilder().setBucket("media").setKey("tenants/tenant-a/media/rendition-" + messageId).build())
                .setContentType("image/jpeg").setSize(RENDITION_JPEG.length).setSha256("00".repeat(32))
                .setFromContentType("image/webp").setFromSize(12).setConversion("converted to image/jpeg").build());

        ingest.serve("rendition-" + messageId, RENDITION_JPEG);

        // When it is published on media.accepted.v1
        kafka.send(Topics.MEDIA_ACCEPTED_NAME, conversation, event);

        // Then the provider is sent a link to the rendition, fetches it and gets the JPEG; it delivers the message
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.DELIVERED));
        String wamid = recordsOf(messageId).get(1).value().getProviderMessageId();
        ReceivedSend send = simulator.sends().stream().filter(s -> wamid.equals(s.messageId())).findFirst().orElseThrow();
        String link = send.body().at("/image/link").asText();
        assertThat(link).contains("/v1/media/rendition-" + messageId + "/content?tenant=tenant-a&expires=");
        FetchedMedia fetched = simulator.fetches().stream().filter(f -> f.link().equals(link)).findFirst().orElseThrow();
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.contentType()).isEqualTo("image/jpeg");
        assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(fetched.body())).getWidth()).isEqualTo(16);
        // And the statuses still name the media the client sent, QUEUED saying what was converted
        DeliveryStatus queued = recordsOf(messageId).getFirst().value();
        assertThat(queued.getStatus()).isEqualTo(MessageStatus.QUEUED);
        assertThat(queued.getMediaId()).isEqualTo("original-webp-" + messageId);
        assertThat(queued.getDetail()).isEqualTo("converted to image/jpeg");
        // And QUEUED tells the conversion as facts too: rendition, types and sizes before and after
        assertThat(queued.getConverted().getRenditionMediaId()).isEqualTo("rendition-" + messageId);
        assertThat(queued.getConverted().getFromContentType()).isEqualTo("image/webp");
        assertThat(queued.getConverted().getToContentType()).isEqualTo("image/jpeg");
        assertThat(queued.getConverted().getFromSize()).isEqualTo(12);
        assertThat(queued.getConverted().getToSize()).isEqualTo(RENDITION_JPEG.length);
        assertThat(queued.getConverted().getDescription()).isEqualTo("converted to image/jpeg");
    }

    @Test
    void an_undeliverable_recipient_ends_failed_with_the_provider_code() {
        // Given an accepted outbound image for a recipient WhatsApp refuses as undeliverable
        String messageId = UUID.randomUUID().toString();
        MediaAccepted event = accepted(Channel.WHATSAPP, Direction.OUTBOUND, "conv-" + messageId,
                message(messageId, "+15550000400", MediaKind.IMAGE));

        // When it is published
        kafka.send(Topics.MEDIA_ACCEPTED_NAME, "conv-" + messageId, event);

        // Then QUEUED then FAILED with reason 131026 and the provider's detail
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).size() >= 2);
        assertThat(statesOf(messageId)).containsExactly(MessageStatus.QUEUED, MessageStatus.FAILED);
        DeliveryStatus failed = recordsOf(messageId).get(1).value();
        assertThat(failed.getReason()).isEqualTo("131026");
        assertThat(failed.getDetail()).contains("Undeliverable");
    }

    @Test
    void a_message_the_provider_reports_failed_ends_failed_after_sent() {
        // Given a recipient the provider accepts and then reports failed
        String messageId = UUID.randomUUID().toString();
        MediaAccepted event = accepted(Channel.WHATSAPP, Direction.OUTBOUND, "conv-" + messageId,
                message(messageId, "+15550000009", MediaKind.DOCUMENT));

        // When it is published
        kafka.send(Topics.MEDIA_ACCEPTED_NAME, "conv-" + messageId, event);

        // Then QUEUED, SENT, then FAILED from the webhook with the provider's error code
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).contains(MessageStatus.FAILED));
        assertThat(statesOf(messageId)).containsExactly(MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.FAILED);
        DeliveryStatus failed = recordsOf(messageId).get(2).value();
        assertThat(failed.getReason()).isEqualTo("131026");
        assertThat(failed.getProviderStatus()).isEqualTo("failed");
    }

    @Test
    void a_channel_without_a_connector_ends_failed_channel_not_configured() {
        // Given an accepted outbound image on WEBCHAT, for which no connector is configured
        String messageId = UUID.randomUUID().toString();
        MediaAccepted event = accepted(Channel.WEBCHAT, Direction.OUTBOUND, "conv-" + messageId,
                message(messageId, "+15551110002", MediaKind.IMAGE));

        // When it is published
        kafka.send(Topics.MEDIA_ACCEPTED_NAME, "conv-" + messageId, event);

        // Then QUEUED then FAILED with CHANNEL_NOT_CONFIGURED
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf(messageId).size() >= 2);
        assertThat(statesOf(messageId)).containsExactly(MessageStatus.QUEUED, MessageStatus.FAILED);
        assertThat(recordsOf(messageId).get(1).value().getReason()).isEqualTo("CHANNEL_NOT_CONFIGURED");
    }

    @Test
    void media_refused_because_the_inbox_takes_none_gets_the_inbox_message_back_as_a_text() {
        // Given inbound media refused with MEDIA_DISABLED, in a conversation keyed by the customer's address
        String customer = "+15551119" + (100 + (int) (Math.random() * 800));
        MediaRejected event = MediaRejected.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now()).setTenantId("tenant-a")
                .setReceivedEventId(UUID.randomUUID().toString())
                .setMedia(media(UUID.randomUUID().toString(), "WHATSAPP:" + customer, Channel.WHATSAPP, Direction.INBOUND))
                .setReason(RejectionReason.MEDIA_DISABLED).setReasonMessage("Receiving media is off for this inbox")
                .setCustomerMessage("Sorry, we cannot receive files here.")
                .build();

        // When it is published on media.rejected.v1
        kafka.send(Topics.MEDIA_REJECTED_NAME, "WHATSAPP:" + customer, event);

        // Then the customer gets the inbox's message as a WhatsApp text
        await().atMost(Duration.ofSeconds(30)).until(() -> simulator.sends().stream()
                .anyMatch(s -> customer.equals(s.body().path("to").asText())));
        JsonNode body = simulator.sends().stream().filter(s -> customer.equals(s.body().path("to").asText()))
                .findFirst().orElseThrow().body();
        assertThat(body.path("type").asText()).isEqualTo("text");
        assertThat(body.at("/text/body").asText()).isEqualTo("Sorry, we cannot receive files here.");
    }


    // ---------------------------------------------------------------- other providers

    @Test
    void an_mms_goes_out_through_twilio_and_its_signed_callbacks_come_back_as_statuses() {
        // Given an accepted outbound image on MMS
        String messageId = UUID.randomUUID().toString();
        String conversation = "conv-" + messageId;
        kafka.send(Topics.MEDIA_ACCEPTED_NAME, conversation, accepted(Channel.MMS, Direction.OUTBOUND, conversation,
                message(messageId, "+15552220001", MediaKind.IMAGE)));

        // Then QUEUED, SENT (Twilio took it), SENT and DELIVERED (Twilio's signed callbacks) arrive in order
        await().atMost(Duration.ofSeconds(60)).until(() -> statesOf(messageId).contains(MessageStatus.DELIVERED));
        assertThat(statesOf(messageId)).containsExactly(MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.SENT,
                MessageStatus.DELIVERED);
        List<ConsumerRecord<String, DeliveryStatus>> records = recordsOf(messageId);
        String sid = records.get(1).value().getProviderMessageId();
        assertThat(sid).startsWith("SM");
        assertThat(records.subList(1, 4)).allSatisfy(r -> {
            assertThat(r.value().getProvider()).isEqualTo("twilio");
            assertThat(r.value().getProviderMessageId()).isEqualTo(sid);
            assertThat(r.value().getChannel()).isEqualTo(Channel.MMS);
            assertThat(r.key()).isEqualTo(conversation);
        });
        assertThat(records.get(3).value().getProviderStatus()).isEqualTo("delivered");

        // And Twilio got the form with the signed media link and our sender
        ReceivedSend send = twilio.sends().stream().filter(s -> sid.equals(s.messageId())).findFirst().orElseThrow();
        assertThat(send.body().path("From").asText()).isEqualTo("+15550001111");
        assertThat(send.body().path("Body").asText()).isEqualTo("Look at this");
        assertThat(send.body().path("MediaUrl").get(0).asText()).contains("/v1/media/media-" + messageId + "/content?");
    }

    @Test
    void a_twilio_callback_with_a_bad_signature_is_refused() throws Exception {
        // Given a callback for one of our messages signed with another token
        String url = "http://127.0.0.1:" + port + "/v1/providers/twilio/status?t=tenant-a&m=forged&ch=MMS";
        Map<String, String> params = Map.of("MessageSid", "SMforged", "MessageStatus", "delivered");
        String form = "MessageSid=SMforged&MessageStatus=delivered";

        // When it is posted, and once more unsigned
        HttpResponse<String> forged = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(TwilioSimulator.SIGNATURE_HEADER, TwilioSimulator.signature("not-the-token", url, params))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> unsigned = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        // and correctly signed
        HttpResponse<String> signed = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(TwilioSimulator.SIGNATURE_HEADER, TwilioSimulator.signature(TWILIO_TOKEN, url, params))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());

        // Then the first two are 401 problems, the third is taken and published
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(signed.statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf("forged").contains(MessageStatus.DELIVERED));
    }

    @Test
    void an_rcs_message_goes_to_the_notification_api_and_its_signed_callbacks_become_statuses() throws Exception {
        // Given an accepted outbound document on RCS with the client's references
        String messageId = UUID.randomUUID().toString();
        String conversation = "conv-" + messageId;
        OutboundMessage message = OutboundMessage.newBuilder(message(messageId, "+15553330001", MediaKind.DOCUMENT))
                .setExternalId("ext-" + messageId).setClientId("client-7").build();
        kafka.send(Topics.MEDIA_ACCEPTED_NAME, conversation, accepted(Channel.RCS, Direction.OUTBOUND, conversation, message));

        // Then the API's signed callbacks come back: QUEUED, SENT (taken), SENT, DELIVERED, READ (callbacks)
        await().atMost(Duration.ofSeconds(60)).until(() -> statesOf(messageId).contains(MessageStatus.READ));
        assertThat(statesOf(messageId)).containsExactly(MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.SENT,
                MessageStatus.DELIVERED, MessageStatus.READ);
        String transactionId = recordsOf(messageId).get(1).value().getProviderMessageId();
        assertThat(recordsOf(messageId).subList(1, 5)).allSatisfy(r -> {
            assertThat(r.value().getProvider()).isEqualTo("notify");
            assertThat(r.value().getProviderMessageId()).isEqualTo(transactionId);
            assertThat(r.value().getChannel()).isEqualTo(Channel.RCS);
            assertThat(r.key()).isEqualTo(conversation);
        });

        // And the API got the seed's shape, the media as a signed link
        JsonNode body = notifyApi.sends().stream().filter(s -> transactionId.equals(s.messageId())).findFirst()
                .orElseThrow().body();
        assertThat(body.path("channel").asText()).isEqualTo("RCS");
        assertThat(body.at("/request/to").asText()).isEqualTo("+15553330001");
        assertThat(body.at("/request/from").asText()).isEqualTo("+15550001111");
        assertThat(body.at("/request/type").asText()).isEqualTo("document");
        assertThat(body.at("/request/fileName").asText()).isEqualTo("report.pdf");
        assertThat(body.at("/request/externalId").asText()).isEqualTo("ext-" + messageId);
        assertThat(body.at("/request/clientId").asText()).isEqualTo("client-7");
        assertThat(body.at("/request/message").asText()).contains("/v1/media/media-" + messageId + "/content?");
        String callback = body.path("callbacks").asText();
        assertThat(callback).startsWith("http://127.0.0.1:" + port + "/v1/providers/notify/status?t=tenant-a&m=" + messageId);

        // And when a callback signed with another secret is posted
        String payload = "{\"transactionId\":\"" + transactionId + "\",\"status\":\"FAILED\"}";
        HttpResponse<String> forged = postNotifyCallback(callback, payload, "whsec_" + java.util.Base64.getEncoder()
                .encodeToString("another-secret-of-enough-length!!".getBytes(StandardCharsets.UTF_8)));

        // Then it is refused
        assertThat(forged.statusCode()).isEqualTo(401);
    }

    @Test
    void an_email_goes_out_over_smtp_with_the_media_attached() throws Exception {
        // Given an accepted outbound document on EMAIL
        String messageId = UUID.randomUUID().toString();
        OutboundMessage message = OutboundMessage.newBuilder(message(messageId, "customer@example.org", MediaKind.DOCUMENT))
                .setFrom(null).build();
        kafka.send(Topics.MEDIA_ACCEPTED_NAME, "conv-" + messageId, accepted(Channel.EMAIL, Direction.OUTBOUND,
                "conv-" + messageId, message));

        // Then it ends SENT with the Message-ID as provider id
        await().atMost(Duration.ofSeconds(60)).until(() -> statesOf(messageId).contains(MessageStatus.SENT));
        assertThat(statesOf(messageId)).containsExactly(MessageStatus.QUEUED, MessageStatus.SENT);
        String messageIdHeader = recordsOf(messageId).get(1).value().getProviderMessageId();
        assertThat(messageIdHeader).isEqualTo("<" + messageId + "@mediaplatform.local>");

        // And the SMTP server holds the mail with the fetched bytes attached as report.pdf
        MimeMessage mail = java.util.Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> messageIdHeader.equals(firstHeader(m, "Message-ID"))).findFirst().orElseThrow();
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("customer@example.org");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("agents@example.com");
        jakarta.mail.Multipart parts = (jakarta.mail.Multipart) mail.getContent();
        jakarta.mail.BodyPart attachment = parts.getBodyPart(parts.getCount() - 1);
        assertThat(attachment.getFileName()).isEqualTo("report.pdf");
        assertThat(attachment.getInputStream().readAllBytes()).startsWith((byte) 0xFF, (byte) 0xD8);
    }

    // ---------------------------------------------------------------- resilience and order

    @Test
    void three_media_of_one_conversation_reach_the_provider_in_the_order_accepted_even_when_the_first_is_retried() {
        // Given a provider that fails the next send once with a 500
        simulator.failNext(Fault.serverError());
        String conversation = "conv-order-" + UUID.randomUUID();
        List<String> ids = List.of("order-1-" + UUID.randomUUID(), "order-2-" + UUID.randomUUID(),
                "order-3-" + UUID.randomUUID());

        // When three media of one conversation are accepted one after the other
        for (String id : ids) {
            kafka.send(Topics.MEDIA_ACCEPTED_NAME, conversation, accepted(Channel.WHATSAPP, Direction.OUTBOUND,
                    conversation, message(id, "+15551117001", MediaKind.IMAGE)));
        }

        // Then the provider took them in that order, the first after its retry
        await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> statesOf(id).contains(MessageStatus.SENT)));
        List<String> providerOrder = simulator.sends().stream().filter(ReceivedSend::accepted)
                .map(s -> CallbackData.decode(s.body().path("biz_opaque_callback_data").asText()).orElseThrow().messageId())
                .filter(ids::contains).toList();
        assertThat(providerOrder).containsExactlyElementsOf(ids);
        assertThat(simulator.sends().stream().filter(s -> !s.accepted() && s.responseStatus() == 500)
                .map(s -> CallbackData.decode(s.body().path("biz_opaque_callback_data").asText()).orElseThrow().messageId()))
                .contains(ids.getFirst());
    }

    @Test
    void a_provider_down_for_a_while_opens_the_circuit_and_every_message_is_sent_once_in_order_when_it_is_back() {
        // Given Twilio answering the next 4 sends with 500 (the circuit judges after 4 calls), and a record of the
        // circuit's transitions
        CircuitBreaker circuit = resilientSender.circuitBreaker("twilio");
        List<CircuitBreaker.StateTransition> transitions = new CopyOnWriteArrayList<>();
        circuit.getEventPublisher().onStateTransition(e -> transitions.add(e.getStateTransition()));
        twilio.failNext(Fault.serverError(), Fault.serverError(), Fault.serverError(), Fault.serverError());
        Map<String, List<String>> conversations = new java.util.LinkedHashMap<>();
        for (String conversation : List.of("conv-outage-a-" + UUID.randomUUID(), "conv-outage-b-" + UUID.randomUUID())) {
            conversations.put(conversation, List.of(conversation + "-1", conversation + "-2", conversation + "-3"));
        }

        // When two conversations' three MMS each are accepted during the outage
        conversations.forEach((conversation, ids) -> ids.forEach(id -> kafka.send(Topics.MEDIA_ACCEPTED_NAME,
                conversation, accepted(Channel.MMS, Direction.OUTBOUND, conversation,
                        message(id, "+15552228001", MediaKind.IMAGE)))));
        List<String> ids = conversations.values().stream().flatMap(List::stream).toList();

        // Then every one of them ends SENT, exactly once, none FAILED, none stuck
        await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> finalOutcomes(id).size() == 1));
        assertThat(ids).allSatisfy(id -> assertThat(finalOutcomes(id)).singleElement()
                .satisfies(s -> assertThat(s.getStatus()).isEqualTo(MessageStatus.SENT)));
        // And the circuit opened during the outage and closed again
        assertThat(transitions).contains(CircuitBreaker.StateTransition.CLOSED_TO_OPEN);
        assertThat(circuit.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        // And the failed ones waited on the retry topic, their conversations' later messages queued behind them
        assertThat(retried).anySatisfy(r -> assertThat(r.headers().lastHeader(SendRetries.REASON_HEADER)).isNotNull());
        assertThat(retried.stream().map(r -> r.value().getMessage().getMessageId())).contains(ids.getFirst(), ids.get(1));
        // And Twilio took each message once, each conversation in the order accepted
        assertThat(ids).allSatisfy(id -> assertThat(twilioAccepted(id)).isEqualTo(1));
        conversations.forEach((conversation, sent) -> assertThat(twilio.sends().stream().filter(ReceivedSend::accepted)
                .map(s -> s.body().path("StatusCallback").asText())
                .map(callback -> sent.stream().filter(id -> callback.contains("m=" + id + "&")).findFirst())
                .flatMap(java.util.Optional::stream).toList()).containsExactlyElementsOf(sent));
        // And nothing went to the dead-letter topic
        assertThat(ids).allSatisfy(id -> assertThat(deadLettered(id)).isZero());
    }

    @Test
    void a_provider_down_longer_than_every_retry_round_ends_failed_once_and_the_record_is_dead_lettered() {
        // Given Twilio failing every send for longer than the three rounds (in place, +1.5 s, +3 s) take
        twilio.failNext(java.util.stream.Stream.generate(Fault::serverError).limit(60).toArray(Fault[]::new));
        String id = "exhausted-" + UUID.randomUUID();

        // When an MMS is accepted
        kafka.send(Topics.MEDIA_ACCEPTED_NAME, "conv-" + id, accepted(Channel.MMS, Direction.OUTBOUND, "conv-" + id,
                message(id, "+15552228003", MediaKind.IMAGE)));

        // Then it ends FAILED once, after its last round, and its record is on media.accepted.v1.dlt once
        await().atMost(Duration.ofSeconds(60)).until(() -> finalOutcomes(id).size() == 1);
        assertThat(finalOutcomes(id).getFirst().getStatus()).isEqualTo(MessageStatus.FAILED);
        assertThat(finalOutcomes(id).getFirst().getReason()).isNotBlank();
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLettered(id) == 1);
        assertThat(retried.stream().filter(r -> id.equals(r.value().getMessage().getMessageId()))).hasSize(1);
        assertThat(twilioAccepted(id)).isZero();

        // When the provider is back
        twilio.clearFaults();
        String recovery = "recovery-" + UUID.randomUUID();
        kafka.send(Topics.MEDIA_ACCEPTED_NAME, "conv-" + recovery, accepted(Channel.MMS, Direction.OUTBOUND,
                "conv-" + recovery, message(recovery, "+15552228002", MediaKind.IMAGE)));

        // Then the next message is SENT (in a later round if the circuit was still open) and the circuit closes
        await().atMost(Duration.ofSeconds(60)).until(() -> finalOutcomes(recovery).size() == 1);
        assertThat(finalOutcomes(recovery).getFirst().getStatus()).isEqualTo(MessageStatus.SENT);
        assertThat(resilientSender.circuitBreaker("twilio").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void an_undecodable_record_goes_to_the_dead_letter_topic_and_the_partition_moves_on() {
        // Given a record on media.accepted.v1 that is not Avro at all
        String key = "poison-" + UUID.randomUUID();
        kafka.send(Topics.MEDIA_ACCEPTED_NAME, key, "not avro".getBytes(StandardCharsets.UTF_8));

        // When a good record follows it on the same (single) partition
        String messageId = UUID.randomUUID().toString();
        kafka.send(Topics.MEDIA_ACCEPTED_NAME, "conv-" + messageId, accepted(Channel.WHATSAPP, Direction.OUTBOUND,
                "conv-" + messageId, message(messageId, "+15551119901", MediaKind.IMAGE)));

        // Then the poison is copied to media.accepted.v1.dlt and the good one is sent
        await().atMost(Duration.ofSeconds(60)).until(() -> statesOf(messageId).contains(MessageStatus.SENT));
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "dlt-check-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.MEDIA_ACCEPTED.dlt()));
            List<String> keys = new java.util.ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> keys.add(r.key()));
                return keys.contains(key);
            });
        }
    }

    /** SENT/FAILED statuses published by dispatch itself for a message (not the provider's echoes). */
    private static List<DeliveryStatus> finalOutcomes(String messageId) {
        return recordsOf(messageId).stream().map(ConsumerRecord::value)
                .filter(s -> s.getProviderStatus() == null)
                .filter(s -> s.getStatus() == MessageStatus.SENT || s.getStatus() == MessageStatus.FAILED)
                .toList();
    }

    private static long deadLettered(String messageId) {
        return deadLetters.stream().filter(r -> messageId.equals(r.value().getMessage().getMessageId())).count();
    }

    private static long twilioAccepted(String messageId) {
        return twilio.sends().stream().filter(ReceivedSend::accepted)
                .filter(s -> s.body().path("StatusCallback").asText().contains("m=" + messageId + "&")).count();
    }

    private static String firstHeader(MimeMessage message, String name) {
        try {
            String[] values = message.getHeader(name);
            return values == null ? null : values[0];
        } catch (jakarta.mail.MessagingException e) {
            return null;
        }
    }

    private static HttpResponse<String> postNotifyCallback(String url, String payload, String secret) throws Exception {
        String id = "msg_" + UUID.randomUUID();
        long timestamp = Instant.now().getEpochSecond();
        return HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header(StandardWebhooks.ID_HEADER, id)
                .header(StandardWebhooks.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(StandardWebhooks.SIGNATURE_HEADER, StandardWebhooks.sign(secret, id, timestamp, payload))
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---------------------------------------------------------------- webhooks

    @Test
    void a_webhook_with_a_bad_or_missing_signature_is_refused_and_publishes_nothing() throws Exception {
        // Given status webhooks for a message, one signed with another secret and one not signed at all
        String refused = UUID.randomUUID().toString();
        byte[] refusedBody = statusWebhook(refused, "delivered");

        // When they are posted
        HttpResponse<String> badlySigned = postWebhook(refusedBody, WhatsAppSimulator.signature("not-the-secret", refusedBody));
        HttpResponse<String> unsigned = postWebhook(refusedBody, null);

        // Then both are 401 problems
        for (HttpResponse<String> response : List.of(badlySigned, unsigned)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        }

        // And when a correctly signed webhook for another message follows on the same (single) partition
        String accepted = UUID.randomUUID().toString();
        byte[] acceptedBody = statusWebhook(accepted, "delivered");
        assertThat(postWebhook(acceptedBody, WhatsAppSimulator.signature(APP_SECRET, acceptedBody)).statusCode())
                .isEqualTo(200);

        // Then that one is published, and the refused one never was
        await().atMost(Duration.ofSeconds(30)).until(() -> !statesOf(accepted).isEmpty());
        assertThat(statesOf(accepted)).containsExactly(MessageStatus.DELIVERED);
        assertThat(statesOf(refused)).isEmpty();
        DeliveryStatus delivered = recordsOf(accepted).getFirst().value();
        assertThat(delivered.getOccurredAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
        assertThat(delivered.getProviderMessageId()).isEqualTo("wamid.test-" + accepted);
    }

    @Test
    void a_signed_webhook_without_our_correlation_is_answered_200_and_skipped() throws Exception {
        // Given a signed status whose callback data is not ours
        byte[] body = """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                 "messaging_product":"whatsapp","statuses":[{"id":"wamid.x","status":"read","timestamp":"1700000000",
                 "recipient_id":"1555","biz_opaque_callback_data":"something-else"}]}}]}]}""".getBytes(StandardCharsets.UTF_8);

        // When it is posted
        HttpResponse<String> response = postWebhook(body, WhatsAppSimulator.signature(APP_SECRET, body));

        // Then the provider is told it arrived
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void the_subscription_handshake_echoes_the_challenge_only_for_the_right_verify_token() throws Exception {
        // When Meta verifies the webhook with the right token, and someone with a wrong one
        HttpResponse<String> right = get("/v1/providers/whatsapp/status?hub.mode=subscribe&hub.verify_token="
                + VERIFY_TOKEN + "&hub.challenge=1158201444");
        HttpResponse<String> wrong = get("/v1/providers/whatsapp/status?hub.mode=subscribe&hub.verify_token=guess"
                + "&hub.challenge=1158201444");

        // Then the challenge is echoed to the first and the second is forbidden
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(right.body()).isEqualTo("1158201444");
        assertThat(wrong.statusCode()).isEqualTo(403);
    }

    @Test
    void the_openapi_document_of_the_provider_webhooks_is_served() throws Exception {
        // When the document is fetched without a key
        HttpResponse<String> response = get("/openapi.yaml");

        // Then it lists the three provider endpoints
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("/v1/providers/whatsapp/status", "/v1/providers/twilio/status",
                "/v1/providers/notify/status");
    }

    @Test
    void other_v1_paths_need_an_api_key() throws Exception {
        // When a /v1 path that is not a provider webhook is called without a key
        HttpResponse<String> response = get("/v1/messages");

        // Then it is a 401 problem
        assertThat(response.statusCode()).isEqualTo(401);
    }

    // ---------------------------------------------------------------- helpers

    private static OutboundMessage message(String messageId, String to, MediaKind kind) {
        return AcceptedMedia.message(messageId, to, kind);
    }

    private static MediaRef media(String mediaId, String conversation, Channel channel, Direction direction) {
        return AcceptedMedia.media("tenant-a", mediaId, conversation, channel, direction);
    }

    private static MediaAccepted accepted(Channel channel, Direction direction, String conversation, OutboundMessage message) {
        return AcceptedMedia.accepted("tenant-a", channel, direction, conversation, message);
    }

    private static byte[] statusWebhook(String messageId, String status) {
        String opaque = CallbackData.encode(new Correlation("tenant-a", messageId, "conv-" + messageId, "+15551110003"));
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",
                 "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881",
                 "phone_number_id":"109876543210"},"statuses":[{"id":"wamid.test-%s","status":"%s",
                 "timestamp":"1700000000","recipient_id":"15551110003","biz_opaque_callback_data":"%s"}]}}]}]}"""
                .formatted(messageId, status, opaque).getBytes(StandardCharsets.UTF_8);
    }

    private HttpResponse<String> postWebhook(byte[] body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(webhookUrl()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header(WhatsAppSimulator.SIGNATURE_HEADER, signature);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<ConsumerRecord<String, DeliveryStatus>> recordsOf(String messageId) {
        return statuses.stream().filter(r -> messageId.equals(r.value().getMessageId())).toList();
    }

    private static List<MessageStatus> statesOf(String messageId) {
        return recordsOf(messageId).stream().map(r -> r.value().getStatus()).toList();
    }

    /** Reads message.status.v1 from the beginning into {@link #statuses} until the class is done. */
    private static void readStatuses() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "dispatch-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(SerdeConfig.SCHEMA_REGISTRY_URL, SharedTestInfra.schemaRegistry(broker.getBrokersAsString()).url());
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                deserializer(config))) {
            consumer.subscribe(List.of(Topics.MESSAGE_STATUS_NAME, Topics.MEDIA_ACCEPTED.dlt(), Topics.SEND_RETRY_NAME));
            while (consuming) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() instanceof DeliveryStatus status) {
                        statuses.add(new ConsumerRecord<>(record.topic(), record.partition(), record.offset(),
                                record.key(), status));
                    } else if (record.value() instanceof MediaAccepted accepted
                            && Topics.SEND_RETRY_NAME.equals(record.topic())) {
                        retried.add(new ConsumerRecord<>(record.topic(), record.partition(), record.offset(),
                                record.timestamp(), org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                                ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE, record.key(), accepted,
                                record.headers(), java.util.Optional.empty()));
                    } else if (record.value() instanceof MediaAccepted accepted) {
                        deadLetters.add(new ConsumerRecord<>(record.topic(), record.partition(), record.offset(),
                                record.key(), accepted));
                    }
                }
            }
        }
    }

    /** Avro values; anything else (a poison record copied to a .dlt) is kept as raw bytes instead of failing. */
    private static org.apache.kafka.common.serialization.Deserializer<Object> deserializer(Map<String, Object> config) {
        AvroDeserializer avro = new AvroDeserializer();
        avro.configure(config, false);
        return (topic, data) -> {
            try {
                return avro.deserialize(topic, data);
            } catch (RuntimeException e) {
                return data;
            }
        };
    }

    /** A real 16x12 JPEG, the rendition's bytes. */
    private static byte[] realJpeg() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(16, 12, java.awt.image.BufferedImage.TYPE_INT_RGB),
                    "jpeg", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
