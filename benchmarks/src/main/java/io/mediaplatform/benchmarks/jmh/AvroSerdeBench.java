package io.mediaplatform.benchmarks.jmh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.events.StorageLocation;
import io.mediaplatform.schemas.serde.AvroDeserializer;
import io.mediaplatform.schemas.serde.AvroSerializer;
import io.mediaplatform.schemas.serde.SerdeConfig;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Avro serde of the events: the schemas module's {@link AvroSerializer} and {@link AvroDeserializer} (Confluent
 * wire format: magic byte, schema id, Avro binary) of a realistic {@code MediaReceived} on {@code media.received.v1}
 * (an outbound WhatsApp image with its message), vs Jackson JSON of the same data (the same fields as plain records,
 * {@code occurredAt} as epoch millis like Avro's timestamp-millis), each way. The serde gets its schema id from a
 * registry once, in the set-up, and caches it (as in the services: an id never changes meaning); that registry is a
 * loopback HTTP server answering only the two calls the serde makes ({@link OneSchemaRegistry}), closed before
 * anything is measured, so no measured call reaches it.
 */
@State(Scope.Benchmark)
public class AvroSerdeBench {

    static final String TOPIC = Topics.MEDIA_RECEIVED_NAME;
    static final Instant AT = Instant.parse("2026-11-23T10:15:30.123Z");

    private AvroSerializer serializer;
    private AvroDeserializer deserializer;
    private MediaReceived event;
    private byte[] avro;
    private ObjectWriter jsonWriter;
    private ObjectReader jsonReader;
    private JsonMediaReceived jsonEvent;
    private byte[] json;

    /** The JSON baseline's shape: MediaReceived's fields. */
    public record JsonMediaReceived(String eventId, long occurredAt, String tenantId, JsonMediaRef media,
                                    JsonOutboundMessage message, String fetchFailure, Object inbound) {
    }

    /** MediaRef's fields. */
    public record JsonMediaRef(String mediaId, String conversationId, String inboxId, String channel, String direction,
                               String declaredFileName, String declaredContentType, long size, String sha256,
                               JsonStorageLocation storage) {
    }

    /** StorageLocation's fields. */
    public record JsonStorageLocation(String bucket, String key, String etag) {
    }

    /** OutboundMessage's fields. */
    public record JsonOutboundMessage(String messageId, String from, String to, String kind, String caption,
                                      String fileName, String externalId, String clientId, List<String> callbackUrls) {
    }

    /** A realistic event: the demo's photo.png sent on WhatsApp with a caption, as ingest publishes it. */
    static MediaReceived event() {
        String mediaId = "5e0c2b9a-7d43-4a1f-8c6e-2f9b0d4e1a37";
        return MediaReceived.newBuilder()
                .setEventId("c81f4e2a-3b5d-4f60-9a7e-1d2c3b4a5f60")
                .setOccurredAt(AT)
                .setTenantId("tenant-bench")
                .setMedia(MediaRef.newBuilder()
                        .setMediaId(mediaId)
                        .setConversationId("conversation-0042")
                        .setInboxId("inbox-whatsapp-support")
                        .setChannel(Channel.WHATSAPP)
                        .setDirection(Direction.OUTBOUND)
                        .setDeclaredFileName("photo.png")
                        .setDeclaredContentType("image/png")
                        .setSize(12_335L)
                        .setSha256("3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b")
                        .setStorage(StorageLocation.newBuilder()
                                .setBucket("media")
                                .setKey("tenant-bench/2026/11/23/" + mediaId)
                                .setEtag("\"8e296a067a37563370ded05f5a3bf3ec\"")
                                .build())
                        .build())
                .setMessage(OutboundMessage.newBuilder()
                        .setMessageId("f0a9e8d7-c6b5-4a39-8281-7e6f5d4c3b2a")
                        .setFrom("+441632960001")
                        .setTo("+447700900123")
                        .setKind(MediaKind.IMAGE)
                        .setCaption("Your order #18342 is packed and ready to ship")
                        .setFileName(null)
                        .setExternalId("order-18342-photo")
                        .setClientId("shop-backend")
                        .setCallbackUrls(List.of("https://hooks.shop.example/messaging/status"))
                        .build())
                .setFetchFailure(null)
                .setInbound(null)
                .build();
    }

    /** The same data for Jackson. */
    static JsonMediaReceived json(MediaReceived e) {
        MediaRef m = e.getMedia();
        StorageLocation s = m.getStorage();
        OutboundMessage o = e.getMessage();
        return new JsonMediaReceived(e.getEventId(), e.getOccurredAt().toEpochMilli(), e.getTenantId(),
                new JsonMediaRef(m.getMediaId(), m.getConversationId(), m.getInboxId(), m.getChannel().name(),
                        m.getDirection().name(), m.getDeclaredFileName(), m.getDeclaredContentType(), m.getSize(),
                        m.getSha256(), new JsonStorageLocation(s.getBucket(), s.getKey(), s.getEtag())),
                new JsonOutboundMessage(o.getMessageId(), o.getFrom(), o.getTo(), o.getKind().name(), o.getCaption(),
                        o.getFileName(), o.getExternalId(), o.getClientId(), List.copyOf(o.getCallbackUrls())),
                e.getFetchFailure(), null);
    }

    @Setup
    public void setUp() throws IOException {
        event = event();
        try (OneSchemaRegistry registry = new OneSchemaRegistry()) {
            Map<String, Object> config = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
            serializer = new AvroSerializer();
            serializer.configure(config, false);
            deserializer = new AvroDeserializer();
            deserializer.configure(config, false);
            avro = serializer.serialize(TOPIC, event);
            SpecificRecord back = deserializer.deserialize(TOPIC, avro);
            if (!event.equals(back)) {
                throw new IllegalStateException("the Avro round trip changed the event: " + back);
            }
        }
        ObjectMapper mapper = new ObjectMapper();
        jsonWriter = mapper.writerFor(JsonMediaReceived.class);
        jsonReader = mapper.readerFor(JsonMediaReceived.class);
        jsonEvent = json(event);
        json = jsonWriter.writeValueAsBytes(jsonEvent);
        if (!jsonEvent.equals(jsonReader.readValue(json))) {
            throw new IllegalStateException("the JSON round trip changed the event");
        }
    }

    @TearDown
    public void tearDown() {
        serializer.close();
        deserializer.close();
    }

    @Benchmark
    public byte[] serializeAvro() {
        return serializer.serialize(TOPIC, event);
    }

    @Benchmark
    public byte[] serializeJson() throws JsonProcessingException {
        return jsonWriter.writeValueAsBytes(jsonEvent);
    }

    @Benchmark
    public SpecificRecord deserializeAvro() {
        return deserializer.deserialize(TOPIC, avro);
    }

    @Benchmark
    public JsonMediaReceived deserializeJson() throws IOException {
        return jsonReader.readValue(json);
    }

    /** Sizes of the encoded event: {Avro wire format, JSON}. */
    static int[] encodedSizes() throws IOException {
        AvroSerdeBench bench = new AvroSerdeBench();
        bench.setUp();
        bench.tearDown();
        return new int[] {bench.avro.length, bench.json.length};
    }

    /**
     * A loopback HTTP server answering the two Schema Registry calls the serde makes, for one schema: register
     * ({@code POST /subjects/{subject}/versions}, id 1) and the schema by id ({@code GET /schemas/ids/1}).
     */
    static final class OneSchemaRegistry implements AutoCloseable {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final HttpServer server;
        private final AtomicReference<String> schema = new AtomicReference<>();

        OneSchemaRegistry() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            String answer;
            int status = 200;
            if (exchange.getRequestMethod().equals("POST") && path.startsWith("/subjects/") && path.endsWith("/versions")) {
                schema.set(JSON.readTree(exchange.getRequestBody()).get("schema").asText());
                answer = "{\"id\":1}";
            } else if (exchange.getRequestMethod().equals("GET") && path.equals("/schemas/ids/1") && schema.get() != null) {
                answer = JSON.createObjectNode().put("schema", schema.get()).toString();
            } else {
                status = 404;
                answer = "{\"error_code\":40403,\"message\":\"Schema not found\"}";
            }
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
