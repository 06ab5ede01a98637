package io.mediaplatform.benchmarks.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediaplatform.events.Channel;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.events.SendMediaMessage;
import io.mediaplatform.localstack.LocalStack;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load of a pipeline run: its HTTP clients, one upload per conversation, and the image messages sent over
 * {@code POST /v1/messages} or published on {@code message.send-requested.v1}, from as many threads as clients.
 */
final class PipelineLoad {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int conversations;
    private final int clients;
    private final PrintStream log;

    PipelineLoad(int conversations, int clients, PrintStream log) {
        this.conversations = conversations;
        this.clients = clients;
        this.log = log;
    }

    /** One HTTP/1.1 client per load client. */
    List<HttpClient> clients() {
        List<HttpClient> http = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            http.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build());
        }
        return http;
    }

    /** One upload of the PNG per conversation; their media ids. */
    List<String> uploads(List<HttpClient> http, LocalStack stack, String apiKey) throws IOException, InterruptedException {
        byte[] png = IngestRequests.png();
        List<String> mediaIds = new ArrayList<>();
        for (int c = 0; c < conversations; c++) {
            mediaIds.add(IngestRequests.upload(http.get(c % clients), stack.ingestUrl(), apiKey, png, conversation(c)));
        }
        return mediaIds;
    }

    /**
     * The messages entered over Kafka as an upstream system would: {@link SendMediaMessage} commands on
     * {@code message.send-requested.v1}, from as many threads as there are HTTP clients, each waiting for the broker's
     * acknowledgement (acks=all) like a client waits for its 202.
     */
    List<Sent> publish(String bootstrap, String registryUrl, String tenantId, String callback,
                               List<String> mediaIds, int count) throws InterruptedException {
        Map<String, Object> config = KafkaChainBaseline.avroProducerConfig(bootstrap, registryUrl);
        AtomicInteger next = new AtomicInteger();
        List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
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
                                    command)).get(60, TimeUnit.SECONDS);
                            status = 202;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        } catch (ExecutionException | TimeoutException e) {
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

    /** {@code count} image messages over {@code POST /v1/messages}, round-robin over the conversations. */
    List<Sent> send(List<HttpClient> http, String ingestUrl, String apiKey, String callback, List<String> mediaIds,
                            int count) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
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
                        HttpResponse<String> response = IngestRequests.postImageMessage(client, ingestUrl, apiKey, mediaIds.get(conversation),
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

    /** The name of conversation {@code c}. */
    static String conversation(int c) {
        return "benchmark-conversation-" + c;
    }
}
