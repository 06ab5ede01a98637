package io.mediaplatform.ingest.inbound;

import io.mediaplatform.events.Channel;
import io.mediaplatform.events.InboundAttachment;
import io.mediaplatform.events.InboundFetchState;
import io.mediaplatform.events.InboundMessage;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.ingest.IngestServiceTestBase;
import io.mediaplatform.ingest.ProviderSimulators;
import io.mediaplatform.ingest.media.storage.MediaStore;
import io.mediaplatform.schemas.serde.AvroDeserializer;
import io.mediaplatform.schemas.serde.SerdeConfig;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.simulator.CustomerMedia;
import io.mediaplatform.simulator.CustomerSent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Shared steps of the inbound-media tests: a customer sends media through a provider simulator, the test plays
 * dispatch's webhook side and publishes the {@code InboundMessage} on {@code message.inbound.v1} (deterministic ids as
 * the contract defines them), ingest fetches the media through the real dispatch ({@code TestDispatch}, holding the
 * simulators' credentials), then the test reads {@code media.received.v1} and the stored object.
 */
abstract class InboundTestBase extends IngestServiceTestBase {

    protected static final String INBOX = "demo-inbox";

    @Autowired
    protected MediaStore store;

    /** A fresh customer number, so no two tests share a conversation. */
    protected static String customer() {
        return "+1555" + String.format("%07d", ThreadLocalRandom.current().nextInt(10_000_000));
    }

    protected static String messageId(String tenant, String provider, String providerMessageId, int index) {
        return UUID.nameUUIDFromBytes(("inbound-message|" + tenant + "|" + provider + "|" + providerMessageId + "|" + index)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    protected static String mediaId(String tenant, String provider, String providerMessageId, int index) {
        return UUID.nameUUIDFromBytes(("inbound-media|" + tenant + "|" + provider + "|" + providerMessageId + "|" + index)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Bytes that start like a file of that content type (the rest random). */
    protected static byte[] fileBytes(String contentType, int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        byte[] magic = switch (contentType.split(";")[0].trim()) {
            case "image/jpeg" -> new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0};
            case "image/webp" -> "RIFF\0\0\0\0WEBP".getBytes(StandardCharsets.ISO_8859_1);
            case "audio/ogg" -> "OggS".getBytes(StandardCharsets.ISO_8859_1);
            case "video/mp4" -> "\0\0\0\u0018ftypmp42".getBytes(StandardCharsets.ISO_8859_1);
            case "application/pdf" -> "%PDF-1.7\n".getBytes(StandardCharsets.ISO_8859_1);
            default -> new byte[0];
        };
        System.arraycopy(magic, 0, bytes, 0, Math.min(magic.length, size));
        return bytes;
    }

    // ---- playing dispatch

    /** The InboundMessage dispatch makes of a WhatsApp customer message (read from the webhook the simulator made). */
    protected InboundMessage whatsAppInbound(CustomerSent sent) {
        JsonNode message = json.readTree(sent.webhook().body()).at("/entry/0/changes/0/value/messages/0");
        String type = message.get("type").asString();
        JsonNode media = message.get(type);
        String from = "+" + message.get("from").asString();
        String wamid = sent.providerMessageId();
        InboundAttachment attachment = InboundAttachment.newBuilder()
                .setIndex(0)
                .setMessageId(messageId(TENANT_A, "whatsapp", wamid, 0))
                .setMediaId(mediaId(TENANT_A, "whatsapp", wamid, 0))
                .setKind(MediaKind.valueOf(type.toUpperCase()))
                .setVoice(media.path("voice").asBoolean(false))
                .setProviderMediaId(media.get("id").asString())
                .setContentType(media.get("mime_type").asString())
                .setSha256(media.get("sha256").asString())
                .setCaption(media.has("caption") ? media.get("caption").asString() : null)
                .setFileName(media.has("filename") ? media.get("filename").asString() : null)
                .build();
        Instant sentAt = Instant.ofEpochSecond(Long.parseLong(message.get("timestamp").asString()));
        return inbound("whatsapp", wamid, Channel.WHATSAPP, from, ProviderSimulators.whatsApp().phoneNumberId(),
                null, sentAt, List.of(attachment));
    }

    /** The InboundMessage dispatch makes of a Twilio MMS: Body kept as text and as the first attachment's caption. */
    protected InboundMessage twilioInbound(CustomerSent sent, String from, String body) {
        List<InboundAttachment> attachments = new ArrayList<>();
        for (int i = 0; i < sent.media().size(); i++) {
            CustomerSent.Media media = sent.media().get(i);
            attachments.add(InboundAttachment.newBuilder()
                    .setIndex(i)
                    .setMessageId(messageId(TENANT_A, "twilio", sent.providerMessageId(), i))
                    .setMediaId(mediaId(TENANT_A, "twilio", sent.providerMessageId(), i))
                    .setKind(kindOf(media.contentType()))
                    .setUrl(media.url())
                    .setContentType(media.contentType())
                    .setCaption(i == 0 ? body : null)
                    .build());
        }
        return inbound("twilio", sent.providerMessageId(), Channel.MMS, from, ProviderSimulators.twilio().phoneNumber(),
                body, Instant.now(), attachments);
    }

    /** The InboundMessage dispatch makes of a notification-API {@code message.received} callback. */
    protected InboundMessage notifyInbound(CustomerSent sent) {
        JsonNode callback = json.readTree(sent.webhook().body());
        List<InboundAttachment> attachments = new ArrayList<>();
        JsonNode list = callback.get("attachments");
        for (int i = 0; i < list.size(); i++) {
            JsonNode a = list.get(i);
            attachments.add(InboundAttachment.newBuilder()
                    .setIndex(i)
                    .setMessageId(messageId(TENANT_A, "notify", sent.providerMessageId(), i))
                    .setMediaId(mediaId(TENANT_A, "notify", sent.providerMessageId(), i))
                    .setKind(MediaKind.valueOf(a.get("type").asString().toUpperCase()))
                    .setVoice(a.path("voice").asBoolean(false))
                    .setUrl(a.get("url").asString())
                    .setContentType(a.get("contentType").asString())
                    .setSha256(a.get("sha256").asString())
                    .setCaption(a.path("caption").isString() ? a.get("caption").asString() : null)
                    .setFileName(a.path("fileName").isString() ? a.get("fileName").asString() : null)
                    .build());
        }
        return inbound("notify", sent.providerMessageId(), Channel.valueOf(callback.get("channel").asString()),
                callback.get("from").asString(), callback.get("to").asString(),
                callback.path("text").isString() ? callback.get("text").asString() : null,
                Instant.parse(callback.get("timestamp").asString()), attachments);
    }

    protected static InboundMessage inbound(String provider, String providerMessageId, Channel channel, String from,
                                            String to, String text, Instant sentAt, List<InboundAttachment> attachments) {
        return InboundMessage.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(sentAt)
                .setReceivedAt(Instant.now())
                .setTenantId(TENANT_A)
                .setInboxId(INBOX)
                .setChannel(channel)
                .setProvider(provider)
                .setProviderMessageId(providerMessageId)
                .setFrom(from)
                .setTo(to)
                .setConversationId(channel.name() + ":" + from)
                .setText(text)
                .setAttachments(attachments)
                .setFetch(null)
                .build();
    }

    protected static InboundMessage withFetch(InboundMessage message, InboundFetchState fetch) {
        return InboundMessage.newBuilder(message).setFetch(fetch).build();
    }

    protected static MediaKind kindOf(String contentType) {
        return MediaKind.valueOf(CustomerMedia.typeOf(contentType).toUpperCase());
    }

    /** Publishes the message as dispatch does: on message.inbound.v1, keyed by its conversation. */
    protected static void dispatch(InboundMessage message) {
        publish(Topics.MESSAGE_INBOUND_NAME, message.getConversationId(), message);
    }

    // ---- reading the outcome

    /** The first media.received.v1 event of that customer message id. */
    protected static MediaReceived awaitReceived(String messageId) {
        return awaitEvent(Topics.MEDIA_RECEIVED_NAME, MediaReceived.class,
                e -> e.getMessage() != null && messageId.equals(e.getMessage().getMessageId()));
    }

    /** Every record of {@code topic} matching, read from the beginning until {@code quiet} passed without a new one. */
    @SuppressWarnings("unchecked")
    protected static <V> List<ConsumerRecord<String, V>> records(String topic, Predicate<ConsumerRecord<String, V>> match,
                                                                Duration quiet) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class,
                SerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl());
        List<ConsumerRecord<String, V>> found = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            Instant until = Instant.now().plus(quiet).plusSeconds(2);      // first poll joins the group
            while (Instant.now().isBefore(until)) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    ConsumerRecord<String, V> typed = (ConsumerRecord<String, V>) (ConsumerRecord<?, ?>) record;
                    if (match.test(typed)) {
                        found.add(typed);
                        until = Instant.now().plus(quiet);
                    }
                }
            }
        }
        return found;
    }

    /** The media.received.v1 events of that customer message id, once no new one came for {@code quiet}. */
    protected static List<MediaReceived> allReceived(String messageId, Duration quiet) {
        List<ConsumerRecord<String, Object>> found = records(Topics.MEDIA_RECEIVED_NAME,
                r -> r.value() instanceof MediaReceived e && e.getMessage() != null
                        && messageId.equals(e.getMessage().getMessageId()), quiet);
        return found.stream().map(r -> (MediaReceived) r.value()).toList();
    }

    /** The stored bytes of the tenant's media. */
    protected byte[] storedBytes(String mediaId) {
        try (InputStream in = store.open(TENANT_A, mediaId, null)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
