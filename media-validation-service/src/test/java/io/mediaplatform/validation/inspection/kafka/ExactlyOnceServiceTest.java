package io.mediaplatform.validation.inspection.kafka;

import io.mediaplatform.common.storage.StoredObject;
import io.mediaplatform.embedded.SharedTestInfra;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consume-decide-produce loop runs in Kafka transactions: one answer per event across a graceful stop of the
 * listener, and across a SIGKILL of an instance in the middle of its work (a child JVM of the service).
 */
class ExactlyOnceServiceTest extends ValidationServiceTestSupport {

    @Autowired
    KafkaListenerEndpointRegistry listeners;
    @Autowired
    ProducerFactory<Object, Object> producerFactory;

    @Test
    void answers_every_event_exactly_once_when_the_listener_is_stopped_mid_batch_and_started_again() {
        // Given a transactional producer
        assertThat(producerFactory.transactionCapable()).isTrue();
        // And 30 media.received events published at once
        StoredObject stored = store("photo.jpg", "image/jpeg");
        List<MediaReceived> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            MediaReceived received = received(stored, Direction.OUTBOUND, "photo.jpg", "image/jpeg", null,
                    message(MediaKind.IMAGE, null, null));
            events.add(received);
        }
        template.executeInTransaction(operations -> {
            events.forEach(event -> publisher.send(Topics.MEDIA_RECEIVED, "conv-eos-" + event.getEventId().charAt(0), event));
            return null;
        });

        // When the listener is stopped once some, but not all, are answered
        MessageListenerContainer container = listeners.getListenerContainer("validation-media-received");
        await().atMost(Duration.ofSeconds(60)).pollInSameThread().until(() -> {
            drain();
            return events.stream().anyMatch(event -> !answersTo(event.getEventId()).isEmpty());
        });
        container.stop();
        await().atMost(Duration.ofSeconds(60)).until(() -> !container.isRunning());
        // And started again
        container.start();

        // Then every event has exactly one answer for a read_committed reader
        await().atMost(Duration.ofSeconds(60)).pollInSameThread().until(() -> {
            drain();
            return events.stream().allMatch(event -> !answersTo(event.getEventId()).isEmpty());
        });
        drain();
        events.forEach(event -> assertThat(answersTo(event.getEventId())).as("answers to %s", event.getEventId()).hasSize(1));
    }

    @Test
    void answers_every_event_exactly_once_when_an_instance_is_killed_mid_stream() throws Exception {
        // Given this JVM's listener stopped, and the service started as a separate process in the same group
        MessageListenerContainer container = listeners.getListenerContainer("validation-media-received");
        container.stop();
        await().atMost(Duration.ofSeconds(60)).until(() -> !container.isRunning());
        Path log = Files.createTempFile("validation-child-", ".log");
        Process child = startChildService(log);
        try {
            // And 300 media.received events
            StoredObject stored = store("photo.png", "image/png");
            List<MediaReceived> events = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                events.add(received(stored, Direction.OUTBOUND, "photo.png", "image/png", null, message(MediaKind.IMAGE, null, null)));
            }
            template.executeInTransaction(operations -> {
                events.forEach(event -> publisher.send(Topics.MEDIA_RECEIVED, "conv-kill-" + event.getEventId().substring(0, 2), event));
                return null;
            });

            // When the child process is killed (SIGKILL) once it has answered some of them
            await().atMost(Duration.ofSeconds(120)).pollInSameThread().until(() -> {
                drain();
                return events.stream().filter(event -> !answersTo(event.getEventId()).isEmpty()).count() >= 20;
            });
            child.destroyForcibly().waitFor();
            drain();
            long answeredBeforeKill = events.stream().filter(event -> !answersTo(event.getEventId()).isEmpty()).count();
            System.out.println("answered before the kill: " + answeredBeforeKill + " of " + events.size());

            // And this JVM's listener takes over the partitions
            container.start();

            // Then every event has exactly one answer for a read_committed reader: the killed instance's open
            // transaction was aborted, and what it had committed is not answered again
            await().atMost(Duration.ofSeconds(120)).pollInSameThread().until(() -> {
                drain();
                return events.stream().allMatch(event -> !answersTo(event.getEventId()).isEmpty());
            });
            drain();
            events.forEach(event -> assertThat(answersTo(event.getEventId())).as("answers to %s", event.getEventId()).hasSize(1));
        } finally {
            child.destroyForcibly();
            if (!container.isRunning()) {
                container.start();
            }
        }
    }

    /** The validation service in its own JVM (this test's class path), against the same broker, registry and S3. */
    private Process startChildService(Path log) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", classPath,
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.mediaplatform.events",
                "io.mediaplatform.validation.ValidationApplication",
                "--server.port=0",
                "--spring.kafka.consumer.properties.session.timeout.ms=6000",
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=1000",
                "--spring.kafka.producer.properties.transaction.timeout.ms=5000",
                "--validation.antivirus.host=",
                "--spring.kafka.producer.transaction-id-prefix=validation-child-" + UUID.randomUUID() + "-"));
        SharedTestInfra.springProperties(BROKER.getBrokersAsString()).forEach((key, value) -> command.add("--" + key + "=" + value));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // ready when its listener has partitions
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!child.isAlive()) {
                throw new IllegalStateException("the child service exited: " + Files.readString(log));
            }
            return Files.readString(log).contains("validation: partitions assigned");
        });
        return child;
    }
}
