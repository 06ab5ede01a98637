package io.mediaplatform.common.kafka;

import io.mediaplatform.events.Channel;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.MessageStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HopLatencyTest {

    private static final Schema EVENT = SchemaBuilder.record("Event").fields()
            .requiredLong("occurredAt").requiredString("tenantId")
            .name("message").type(SchemaBuilder.record("Message").fields().requiredString("messageId").endRecord()).noDefault()
            .endRecord();

    @Test
    void each_polled_event_records_the_time_since_it_occurred_under_its_topic() {
        // Given the interceptor configured with a service's registry
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HopLatency hops = new HopLatency();
        hops.configure(Map.of(HopLatency.REGISTRY_CONFIG, registry));

        // When it sees a polled event that occurred two seconds ago, and a record that is no event
        hops.onConsume(records(new ConsumerRecord<>("media.received.v1", 0, 0, "k",
                event(Instant.now().minusSeconds(2))), new ConsumerRecord<>("media.received.v1", 0, 1, "k", "not an event")));

        // Then one latency of about two seconds is recorded for that topic
        var timer = registry.get(HopLatency.METER).tag("topic", "media.received.v1").timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isBetween(1_900.0, 10_000.0);
    }

    @Test
    void without_a_registry_nothing_is_measured_and_the_records_pass_unchanged() {
        HopLatency hops = new HopLatency();
        hops.configure(Map.of());
        ConsumerRecords<Object, Object> records = records(new ConsumerRecord<>("t", 0, 0, "k", event(Instant.now())));
        assertThat(hops.onConsume(records)).isSameAs(records);
    }

    @Test
    void the_ids_of_the_event_in_hand_are_log_fields_until_it_is_handled() {
        // Given a status event of a tenant's message
        DeliveryStatus status = DeliveryStatus.newBuilder().setEventId("e-1").setOccurredAt(Instant.now())
                .setTenantId("tenant-a").setMessageId("message-1").setMediaId("media-1").setChannel(Channel.WHATSAPP)
                .setStatus(MessageStatus.SENT).build();
        EventLogFields fields = new EventLogFields();

        // When a listener handles it, Then its ids are in the log context, and gone afterwards
        ConsumerRecord<Object, Object> record = new ConsumerRecord<>("message.status.v1", 0, 0, "k", status);
        fields.intercept(record, null);
        assertThat(MDC.get(EventLogFields.TENANT)).isEqualTo(status.getTenantId().toString());
        assertThat(MDC.get(EventLogFields.MESSAGE)).isEqualTo(status.getMessageId().toString());
        assertThat(MDC.get(EventLogFields.MEDIA)).isEqualTo("media-1");
        fields.afterRecord(record, null);
        assertThat(MDC.get(EventLogFields.TENANT)).isNull();
        assertThat(MDC.get(EventLogFields.MESSAGE)).isNull();

        // And a nested message id is found too
        GenericRecord nested = event(Instant.now());
        fields.intercept(new ConsumerRecord<>("t", 0, 0, "k", nested), null);
        assertThat(MDC.get(EventLogFields.MESSAGE)).isEqualTo("m-1");
        fields.clearThreadState(null);
        assertThat(MDC.get(EventLogFields.MESSAGE)).isNull();
        assertThat(EventLogFields.occurredAt(nested)).isPresent();
        assertThat(Duration.between(EventLogFields.occurredAt(nested).orElseThrow(), Instant.now()).isNegative()).isFalse();
    }

    private static GenericRecord event(Instant occurredAt) {
        GenericRecord message = new GenericData.Record(EVENT.getField("message").schema());
        message.put("messageId", "m-1");
        GenericRecord event = new GenericData.Record(EVENT);
        event.put("occurredAt", occurredAt.toEpochMilli());
        event.put("tenantId", "tenant-a");
        event.put("message", message);
        return event;
    }

    @SafeVarargs
    private static ConsumerRecords<Object, Object> records(ConsumerRecord<Object, Object>... records) {
        return new ConsumerRecords<>(Map.of(new TopicPartition("t", 0), List.of(records)), Map.of());
    }
}
