package io.mediaplatform.validation.inspection.kafka;

import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.common.storage.StoredObject;
import io.mediaplatform.embedded.SharedTestInfra;
import io.mediaplatform.embedded.TopicProvisioner;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.InboxMediaSettings;
import io.mediaplatform.events.MediaAccepted;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.events.RejectionReason;
import io.mediaplatform.events.StorageLocation;
import io.mediaplatform.schemas.serde.AvroDeserializer;
import io.mediaplatform.schemas.serde.SerdeConfig;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.validation.MediaFiles;
import io.mediaplatform.validation.ValidationApplication;
import io.mediaplatform.validation.inbox.core.InboxSettingsBook;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service against a real KRaft broker, the embedded Schema Registry and the embedded S3 server: media
 * objects are stored in S3, MediaReceived events are published, and the answers on media.accepted.v1,
 * media.rejected.v1 and media.received.v1.dlt are read back (see {@link ValidationServiceTestSupport}).
 */
class ValidationServiceTest extends ValidationServiceTestSupport {

    @Autowired
    InboxSettingsBook inboxes;
    @LocalServerPort
    int port;

    @Test
    void accepts_a_png_as_a_whatsapp_image_keeping_its_caption() {
        // Given a real PNG stored in S3 and an outbound image message with a caption and a file name
        StoredObject stored = store("photo.png", "image/png");
        MediaReceived received = received(stored, Direction.OUTBOUND, "photo.png", "image/png", null,
                message(MediaKind.IMAGE, "Look at this", "photo.png"));

        // When the media.received event is published
        publish(Topics.MEDIA_RECEIVED, "conv-png", received);

        // Then a MediaAccepted answers it under the same key, as an image of type image/png
        ConsumerRecord<String, byte[]> record = awaitAnswer(Topics.MEDIA_ACCEPTED_NAME, received);
        MediaAccepted accepted = (MediaAccepted) decode(record);
        assertThat(record.key()).isEqualTo("conv-png");
        assertThat(accepted.getKind()).isEqualTo(MediaKind.IMAGE);
        assertThat(accepted.getDetectedContentType()).isEqualTo("image/png");
        assertThat(accepted.getMedia()).isEqualTo(received.getMedia());
        assertThat(accepted.getTenantId()).isEqualTo("tenant-a");
        // And the message keeps its caption but not its file name (images carry no file name)
        assertThat(accepted.getMessage().getCaption()).isEqualTo("Look at this");
        assertThat(accepted.getMessage().getFileName()).isNull();
    }

    @Test
    void accepts_a_pdf_document_dropping_its_caption_and_keeping_its_file_name() {
        // Given a PDF sent as a document with a caption
        StoredObject stored = store("invoice.pdf", "application/pdf");
        MediaReceived received = received(stored, Direction.OUTBOUND, "invoice-2026.pdf", "application/pdf", null,
                message(MediaKind.DOCUMENT, "Your invoice", null));

        // When
        publish(Topics.MEDIA_RECEIVED, "conv-pdf", received);

        // Then the caption is dropped and the original file name is kept
        MediaAccepted accepted = (MediaAccepted) decode(awaitAnswer(Topics.MEDIA_ACCEPTED_NAME, received));
        assertThat(accepted.getKind()).isEqualTo(MediaKind.DOCUMENT);
        assertThat(accepted.getMessage().getCaption()).isNull();
        assertThat(accepted.getMessage().getFileName()).isEqualTo("invoice-2026.pdf");
    }

    @Test
    void rejects_an_executable_named_photo_jpg_as_TYPE_MISMATCH() {
        // Given a Windows executable stored as photo.jpg, declared image/jpeg
        StoredObject stored = store("disguised/photo.jpg", "image/jpeg");
        MediaReceived received = received(stored, Direction.OUTBOUND, "photo.jpg", "image/jpeg", null,
                message(MediaKind.IMAGE, "hi", null));

        // When
        publish(Topics.MEDIA_RECEIVED, "conv-exe", received);

        // Then it is rejected with TYPE_MISMATCH and the detected type
        MediaRejected rejected = (MediaRejected) decode(awaitAnswer(Topics.MEDIA_REJECTED_NAME, received));
        assertThat(rejected.getReason()).isEqualTo(RejectionReason.TYPE_MISMATCH);
        assertThat(rejected.getDetectedContentType()).isEqualTo("application/x-msdownload");
        assertThat(rejected.getReasonMessage()).contains("image/jpeg");
        assertThat(rejected.getMessage()).isEqualTo(received.getMessage());
    }

    @Test
    void turns_a_fetch_failure_into_FETCH_FAILED() {
        // Given a media that could not be fetched from its URL (nothing stored)
        MediaReceived received = received(null, Direction.OUTBOUND, "remote.png", "image/png",
                "source answered 404", message(MediaKind.IMAGE, null, null));

        // When
        publish(Topics.MEDIA_RECEIVED, "conv-fetch", received);

        // Then
        MediaRejected rejected = (MediaRejected) decode(awaitAnswer(Topics.MEDIA_REJECTED_NAME, received));
        assertThat(rejected.getReason()).isEqualTo(RejectionReason.FETCH_FAILED);
        assertThat(rejected.getReasonMessage()).contains("source answered 404");
        assertThat(rejected.getDetectedContentType()).isNull();
    }

    @Test
    void rejects_inbound_media_as_MEDIA_DISABLED_with_the_inbox_message_when_receive_is_off() {
        // Given an inbox whose media settings turn receive off
        String inboxId = inboxWith(InboxMediaSettings.newBuilder().setSendEnabled(true).setReceiveEnabled(false)
                .setRejectionMessage("We cannot receive attachments here, please describe your issue in text."));
        StoredObject stored = store("photo.png", "image/png");
        MediaReceived received = received(stored, Direction.INBOUND, "photo.png", "image/png", null, null);
        received.getMedia().setInboxId(inboxId);

        // When a customer's PNG arrives for that inbox
        publish(Topics.MEDIA_RECEIVED, "conv-inbound", received);

        // Then it is rejected with MEDIA_DISABLED carrying the inbox's message for the customer
        MediaRejected rejected = (MediaRejected) decode(awaitAnswer(Topics.MEDIA_REJECTED_NAME, received));
        assertThat(rejected.getReason()).isEqualTo(RejectionReason.MEDIA_DISABLED);
        assertThat(rejected.getCustomerMessage()).isEqualTo("We cannot receive attachments here, please describe your issue in text.");
    }

    @Test
    void judges_an_inboxs_media_by_the_profile_its_settings_name_as_well_as_by_the_channel() {
        // Given an inbox whose media settings name the notification-api profile (documents: PDF only)
        String inboxId = inboxWith(InboxMediaSettings.newBuilder().setProfile("notification-api"));
        StoredObject stored = store("report.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        MediaReceived received = received(stored, Direction.OUTBOUND, "report.docx", null, null,
                message(MediaKind.DOCUMENT, null, "report.docx"));
        received.getMedia().setInboxId(inboxId);

        // When an agent sends a Word document from it on WhatsApp (which itself takes Word documents)
        publish(Topics.MEDIA_RECEIVED, "conv-profile", received);

        // Then it is refused by the profile, which the reason names
        MediaRejected rejected = (MediaRejected) decode(awaitAnswer(Topics.MEDIA_REJECTED_NAME, received));
        assertThat(rejected.getReason()).isEqualTo(RejectionReason.UNSUPPORTED_TYPE);
        assertThat(rejected.getReasonMessage()).contains("under the notification-api profile");
    }

    /** Publishes these media settings for a new inbox of tenant-a and waits until validation has read them. */
    private String inboxWith(InboxMediaSettings.Builder settings) {
        String inboxId = "inbox-" + UUID.randomUUID();
        publish(Topics.INBOX_MEDIA_SETTINGS, Topics.inboxKey("tenant-a", inboxId),
                settings.setTenantId("tenant-a").setInboxId(inboxId).setUpdatedAt(Instant.now()).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> inboxes.find("tenant-a", inboxId).isPresent());
        return inboxId;
    }

    @Test
    void sends_an_undecodable_record_to_the_dead_letter_topic_and_goes_on_with_the_next() {
        // Given a record that is not Avro, followed by a good one under the same key (same partition)
        byte[] garbage = ("not an event " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.getBrokersAsString(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            raw.send(new ProducerRecord<>(Topics.MEDIA_RECEIVED_NAME, "conv-poison", garbage));
        }
        StoredObject stored = store("photo.jpg", "image/jpeg");
        MediaReceived good = received(stored, Direction.INBOUND, "photo.jpg", "image/jpeg", null, null);
        publish(Topics.MEDIA_RECEIVED, "conv-poison", good);

        // Then the bad record lands on media.received.v1.dlt unchanged
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> {
            drain();
            return OUTPUT.stream().anyMatch(r -> r.topic().equals(Topics.MEDIA_RECEIVED.dlt())
                    && java.util.Arrays.equals(r.value(), garbage));
        });
        // And the good record is still validated
        MediaAccepted accepted = (MediaAccepted) decode(awaitAnswer(Topics.MEDIA_ACCEPTED_NAME, good));
        assertThat(accepted.getKind()).isEqualTo(MediaKind.IMAGE);
        assertThat(accepted.getDetectedContentType()).isEqualTo("image/jpeg");
    }

    @Test
    void answers_a_burst_of_one_conversation_once_each_in_order_with_a_poison_record_in_the_middle_dead_lettered() {
        // Given 40 events of one conversation (one partition) published back to back, a record that is not Avro
        // after the first 20
        StoredObject stored = store("photo.png", "image/png");
        List<MediaReceived> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(received(stored, Direction.OUTBOUND, "photo.png", "image/png", null, message(MediaKind.IMAGE, null, null)));
        }
        String key = "conv-burst-" + UUID.randomUUID();
        byte[] garbage = ("not an event " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        template.executeInTransaction(operations -> {
            events.subList(0, 20).forEach(event -> publisher.send(Topics.MEDIA_RECEIVED, key, event));
            return null;
        });
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.getBrokersAsString(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            raw.send(new ProducerRecord<>(Topics.MEDIA_RECEIVED_NAME, key, garbage));
        }
        template.executeInTransaction(operations -> {
            events.subList(20, 40).forEach(event -> publisher.send(Topics.MEDIA_RECEIVED, key, event));
            return null;
        });

        // Then every event is accepted exactly once, under its key, in the order received
        await().atMost(Duration.ofSeconds(60)).pollInSameThread().until(() -> {
            drain();
            return events.stream().allMatch(event -> !answersTo(event.getEventId()).isEmpty());
        });
        drain();
        events.forEach(event -> assertThat(answersTo(event.getEventId())).as("answers to %s", event.getEventId()).hasSize(1));
        List<String> answered = OUTPUT.stream().filter(r -> key.equals(r.key()) && r.topic().equals(Topics.MEDIA_ACCEPTED_NAME))
                .map(r -> receivedEventId(decode(r))).toList();
        assertThat(answered).containsExactlyElementsOf(events.stream().map(MediaReceived::getEventId).toList());
        // And the poison record is on the .dlt, once, unchanged
        assertThat(OUTPUT.stream().filter(r -> r.topic().equals(Topics.MEDIA_RECEIVED.dlt())
                && java.util.Arrays.equals(r.value(), garbage))).hasSize(1);
    }

    @Test
    void serves_actuator_health() throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"UP\"");
    }
}
