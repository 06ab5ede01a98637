package io.mediaplatform.validation.inspection.kafka;

import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.common.storage.StoredObject;
import io.mediaplatform.embedded.EmbeddedS3;
import io.mediaplatform.embedded.SharedTestInfra;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.InboxMediaSettings;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.schemas.serde.AvroSerializer;
import io.mediaplatform.schemas.serde.SerdeConfig;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.validation.MediaFiles;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Before the service's context starts: an inbox's settings turning receive off, then a customer's PNG for that
 * inbox, are already on their topics. The service must judge the PNG with those settings (MEDIA_DISABLED),
 * which it only does if it reads the settings topic to its end before validating media.
 */
final class StartupRaceFixture {

    static final String INBOX = "inbox-startup-" + UUID.randomUUID();
    static MediaReceived media;

    private StartupRaceFixture() {
    }

    static void publishBeforeTheServiceStarts(String bootstrapServers) {
        EmbeddedS3 s3 = SharedTestInfra.s3();
        try (S3AsyncClient client = S3AsyncClient.builder().region(Region.of(SharedTestInfra.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .forcePathStyle(true).endpointOverride(URI.create(s3.endpoint())).build()) {
            byte[] png = MediaFiles.bytes("photo.png");
            StoredObject stored = new ObjectStorage(client, null, s3.bucket(), 5 << 20)
                    .put("tenant-a/" + UUID.randomUUID(), new ByteArrayInputStream(png), "image/png", Map.of(), 1 << 20);
            media = ValidationServiceTestSupport.received(stored, Direction.INBOUND, "photo.png", "image/png", null, null);
            media.getMedia().setInboxId(INBOX);
        }
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class,
                SerdeConfig.SCHEMA_REGISTRY_URL, SharedTestInfra.schemaRegistry(bootstrapServers).url(),
                SerdeConfig.AUTO_REGISTER, true))) {
            producer.send(new ProducerRecord<>(Topics.INBOX_MEDIA_SETTINGS_NAME, Topics.inboxKey("tenant-a", INBOX),
                    InboxMediaSettings.newBuilder().setTenantId("tenant-a").setInboxId(INBOX).setSendEnabled(true)
                            .setReceiveEnabled(false).setRejectionMessage("No attachments at startup either.")
                            .setUpdatedAt(Instant.now()).build()));
            producer.send(new ProducerRecord<>(Topics.MEDIA_RECEIVED_NAME, "conv-startup", media));
            producer.flush();
        }
    }
}
