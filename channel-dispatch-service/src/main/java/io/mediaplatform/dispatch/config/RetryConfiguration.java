package io.mediaplatform.dispatch.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.mediaplatform.dispatch.support.AcceptedSends;
import io.mediaplatform.dispatch.support.DeadLetters;
import io.mediaplatform.dispatch.retry.kafka.SendRetries;
import io.mediaplatform.dispatch.retry.core.RetryParking;
import io.mediaplatform.dispatch.retry.core.RetryProbes;
import io.mediaplatform.dispatch.retry.core.RetryRounds;
import org.springframework.kafka.transaction.KafkaTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import io.mediaplatform.dispatch.ledger.core.SendLedger;
import io.mediaplatform.dispatch.resilience.resilience4j.ResilientSender;
import io.mediaplatform.dispatch.send.core.SendService;
import io.mediaplatform.dispatch.status.core.StatusSink;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Clock;
import java.time.Instant;

/**
 * Wires the long retries on {@code dispatch.send-retry.v1}: the conversations' parking (with its gauges) and the
 * forwarding and worker of the retry topic.
 */
@Configuration(proxyBeanMethods = false)
public class RetryConfiguration {

    /**
     * The conversations waiting on the retry topic; {@code dispatch.retry.waiting} (messages) and
     * {@code dispatch.retry.oldest.age} (seconds the longest-parked conversation has waited) gauge them.
     */
    @Bean
    RetryParking retryParking(ObjectProvider<MeterRegistry> meters) {
        RetryParking parking = new RetryParking();
        meters.ifAvailable(registry -> {
            Gauge.builder("dispatch.retry.waiting", parking, RetryParking::waiting)
                    .description("Messages waiting on the retry topic").register(registry);
            Gauge.builder("dispatch.retry.oldest.age", parking, p -> p.oldestWait(Instant.now()).toMillis() / 1000.0)
                    .description("How long the longest-waiting conversation has waited on the retry topic")
                    .baseUnit("seconds").register(registry);
        });
        return parking;
    }

    @Bean
    @SuppressWarnings("unchecked")
    SendRetries sendRetries(ConsumerFactory<?, ?> consumerFactory, KafkaTemplate<Object, Object> template,
                            KafkaTransactionManager<?, ?> kafkaTransactionManager, AcceptedSends acceptedSends,
                            SendService sendService, StatusSink statusSink, SendLedger ledger, RetryProperties retry,
                            ResilientSender resilientSender, DispatchProperties properties, Clock dispatchClock,
                            RetryParking retryParking, ObjectProvider<ObservationRegistry> observations) {
        SendRetries retries = new SendRetries((ConsumerFactory<Object, Object>) consumerFactory, template,
                new TransactionTemplate(kafkaTransactionManager), acceptedSends, sendService, statusSink, ledger,
                retryParking,
                new RetryRounds(retry.delays()), new RetryProbes(retry.probeInterval()), resilientSender.health(),
                new DeadLetters(template), dispatchClock,
                properties.ledgerRebuildMaxTime());
        observations.ifAvailable(retries::observations);
        return retries;
    }
}
