package io.mediaplatform.callback;

import io.mediaplatform.callback.status.StatusRecorder;
import io.mediaplatform.callback.status.kafka.StatusEventsListener;
import io.mediaplatform.callback.webhook.WebhookSender;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.mediaplatform.callback.status.core.Status;
import io.mediaplatform.callback.status.core.StatusEvent;
import io.mediaplatform.embedded.EmbeddedPostgresServer;
import io.mediaplatform.embedded.SharedTestInfra;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What survives a restart: webhook retries (all their state is in PostgreSQL), the trace of a webhook's message
 * (stored with its delivery), and status events (Kafka offsets are committed only after the listener's database
 * transaction).
 */
class WebhookRestartTest extends CallbackServiceTestBase {

    @Autowired
    ConsumerFactory<?, ?> consumerFactory;

    @Test
    void a_retry_due_while_the_service_is_down_is_made_by_the_next_instance_on_the_same_database() {
        // Given a service instance on its own database whose webhook got 503 on the first attempt, retry due in 3 s
        String database = newDatabase("callback_restart_");
        String messageId = UUID.randomUUID().toString();
        String path = "/restart/" + messageId;
        RECEIVER.script(path, WebhookReceiver.Answer.of(503), WebhookReceiver.Answer.of(200));
        Instant stoppedAt;
        try (ConfigurableApplicationContext first = startInstance(database)) {
            first.getBean(StatusRecorder.class).record(new StatusEvent(UUID.randomUUID().toString(), TENANT, messageId,
                    Status.ACCEPTED, Instant.now(), "WHATSAPP", "+15551234567", "conv-" + messageId, null, null, null,
                    List.of(RECEIVER.url(path)), null, null, null));
            JdbcClient firstDb = first.getBean(JdbcClient.class);
            await().atMost(AWAIT).until(() -> attempts(firstDb, messageId).size() == 1);

            // When that instance stops before the retry is due
            first.close();
            stoppedAt = Instant.now();
        }
        assertThat(RECEIVER.received(path)).hasSize(1);

        // Then a new instance on the same database makes the second attempt, with the same webhook id, and delivers
        try (ConfigurableApplicationContext second = startInstance(database)) {
            JdbcClient secondDb = second.getBean(JdbcClient.class);
            await().atMost(AWAIT).until(() -> attempts(secondDb, messageId).size() == 2);
            List<Object[]> attempts = attempts(secondDb, messageId);
            assertThat(attempts.get(0)[1]).isEqualTo(503);
            assertThat(attempts.get(1)[1]).isEqualTo(200);
            assertThat(((OffsetDateTime) attempts.get(1)[2]).toInstant()).isAfterOrEqualTo(stoppedAt.minusMillis(1));
            assertThat(secondDb.sql("SELECT status FROM webhook_deliveries WHERE message_id = ?").params(messageId)
                    .query(String.class).single()).isEqualTo("DELIVERED");
        }
        assertThat(RECEIVER.received(path)).hasSize(2)
                .extracting(hook -> hook.headers().get("webhook-id")).containsOnly(RECEIVER.received(path).getFirst().headers().get("webhook-id"));
    }

    @Test
    void a_webhook_first_sent_by_the_next_instance_continues_the_trace_of_its_message() {
        // Given an instance on its own database that records a message's ACCEPTED from a record of the client's trace,
        // its sender stopped (as if the instance died before sending the webhook)
        String database = newDatabase("callback_trace_");
        String messageId = UUID.randomUUID().toString();
        String path = "/restart-trace/" + messageId;
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String parentSpanId = "00f067aa0ba902b7";
        try (ConfigurableApplicationContext first = startInstance(database)) {
            first.getBean(WebhookSender.class).stop();
            MediaReceived event = MediaReceived.newBuilder().setEventId(UUID.randomUUID().toString())
                    .setOccurredAt(Instant.now()).setTenantId(TENANT).setMedia(TestEvents.media(messageId))
                    .setMessage(TestEvents.outbound(messageId, null, null, List.of(RECEIVER.url(path)))).build();
            ConsumerRecord<String, MediaReceived> record = new ConsumerRecord<>(Topics.MEDIA_RECEIVED_NAME, 0, 0L,
                    "conv-" + messageId, event);
            record.headers().add("traceparent", ("00-" + traceId + "-" + parentSpanId + "-01").getBytes(StandardCharsets.UTF_8));
            first.getBean(StatusEventsListener.class).onReceived(List.of(record));
            assertThat(first.getBean(JdbcClient.class).sql("SELECT count(*) FROM webhook_deliveries WHERE message_id = ?")
                    .params(messageId).query(Integer.class).single()).isEqualTo(1);

            // When that instance stops before the webhook was sent
        }
        assertThat(RECEIVER.received(path)).isEmpty();

        // Then a new instance on the same database (which never saw the record) sends it as a child span of that trace
        try (ConfigurableApplicationContext second = startInstance(database)) {
            await().atMost(AWAIT).until(() -> RECEIVER.received(path).size() == 1);
        }
        String traceparent = RECEIVER.received(path).getFirst().headers().get("traceparent");
        assertThat(traceparent).matches("00-" + traceId + "-[0-9a-f]{16}-01");
        assertThat(traceparent.split("-")[2]).isNotEqualTo(parentSpanId);
    }

    @Test
    void commits_consumer_offsets_only_after_the_listener_returned_so_no_status_is_lost_across_a_broker_restart() {
        // Given / When the service runs
        // Then no listener auto-commits: offsets are committed by the container after the listener (and its database
        // transaction) returned, per batch or per record; an unprocessed record is polled again after any restart
        KafkaListenerEndpointRegistry registry = listeners;
        assertThat(registry.getListenerContainers()).isNotEmpty().allSatisfy(container -> assertThat(
                container.getContainerProperties().getAckMode()).isIn(ContainerProperties.AckMode.BATCH, ContainerProperties.AckMode.RECORD));
        assertThat(String.valueOf(consumerFactory.getConfigurationProperties().get("enable.auto.commit"))).isNotEqualTo("true");
    }

    /** A fresh database on the shared PostgreSQL, for instances of one test alone. */
    private String newDatabase(String prefix) {
        String database = prefix + UUID.randomUUID().toString().replace("-", "");
        jdbc.sql("CREATE DATABASE " + database).update();
        return database;
    }

    private ConfigurableApplicationContext startInstance(String database) {
        EmbeddedPostgresServer postgres = SharedTestInfra.postgres();
        List<String> args = new ArrayList<>();
        SharedTestInfra.springProperties(BROKER.getBrokersAsString()).forEach((k, v) -> args.add("--" + k + "=" + v));
        args.add("--spring.datasource.url=jdbc:postgresql://localhost:" + postgres.port() + "/" + database);
        args.add("--spring.datasource.username=" + postgres.username());
        args.add("--spring.datasource.password=" + postgres.password());
        args.add("--server.port=0");
        args.add("--spring.kafka.listener.auto-startup=false"); // the main test context owns the consumer group
        args.add("--platform.outbound.allow-hosts=127.0.0.1");
        args.add("--callback.webhooks.secrets=" + TENANT + ":" + SECRET);
        args.add("--callback.webhooks.retry-schedule=0s,3s");
        args.add("--callback.webhooks.poll-interval=50ms");
        return CallbackApplication.builder().run(args.toArray(String[]::new));
    }

    private static List<Object[]> attempts(JdbcClient db, String messageId) {
        return db.sql("""
                        SELECT a.attempt_no, a.status_code, a.at FROM webhook_attempts a
                        JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.message_id = ? ORDER BY a.attempt_no
                        """)
                .params(messageId)
                .query((rs, n) -> new Object[]{rs.getInt(1), rs.getInt(2), rs.getObject(3, OffsetDateTime.class)})
                .list();
    }
}
