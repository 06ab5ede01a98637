package io.mediaplatform.validation.kafka;

import io.mediaplatform.common.storage.StoredObject;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The consume-decide-produce loop runs in Kafka transactions: one answer per event even across a stop. */
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
}
