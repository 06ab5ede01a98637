package io.mediaplatform.dispatch.config;

import io.mediaplatform.common.kafka.DeadLetterRouting;
import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.kafka.KafkaEventsConfiguration;
import io.mediaplatform.common.kafka.KafkaEventsProperties;
import io.mediaplatform.common.kafka.PoisonRecordException;
import org.springframework.kafka.listener.AfterRollbackProcessor;
import io.mediaplatform.common.security.ApiSecurityConfiguration;
import io.mediaplatform.dispatch.support.DeadLetters;
import io.mediaplatform.dispatch.status.kafka.KafkaStatusSink;
import io.mediaplatform.dispatch.ledger.kafka.LedgerRebuilder;
import io.mediaplatform.dispatch.ledger.core.SendLedger;
import io.mediaplatform.dispatch.status.core.StatusSink;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Clock;

/**
 * Wires what the dispatch service's capabilities share: the clock, the status sink, the send ledger and its rebuild,
 * the listener containers' dead-letter routing and dispatch's own dead-letter copies. The capabilities' beans are
 * wired by {@link SendConfiguration}, {@link RetryConfiguration}, {@link ProviderWebhookConfiguration},
 * {@link InboundMediaConfiguration} and {@link WebhookReplayConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
@Import({KafkaEventsConfiguration.class, ApiSecurityConfiguration.class})
public class DispatchConfiguration {

    @Bean
    Clock dispatchClock() {
        return Clock.systemUTC();
    }

    @Bean
    StatusSink statusSink(EventPublisher publisher) {
        return new KafkaStatusSink(publisher);
    }

    @Bean
    SendLedger sendLedger(DispatchProperties properties) {
        return new SendLedger(properties.ledgerRetention());
    }

    @Bean
    @SuppressWarnings("unchecked")
    LedgerRebuilder ledgerRebuilder(ConsumerFactory<?, ?> consumerFactory, SendLedger ledger, DispatchProperties properties,
                                    Clock dispatchClock) {
        return new LedgerRebuilder((ConsumerFactory<Object, Object>) consumerFactory, ledger, dispatchClock,
                properties.ledgerRebuildMaxTime());
    }

    /**
     * With Kafka transactions the listener containers hand failed records to an after-rollback processor instead of
     * the platform's error handler: this one keeps the platform's behaviour (undecodable records and
     * {@code PoisonRecordException} straight to {@code <topic>.dlt}, others after the configured retries), and
     * commits the dead-lettered record's offset in the same transaction as its copy.
     */
    @Bean
    AfterRollbackProcessor<Object, Object> deadLetterAfterRollbackProcessor(KafkaTemplate<Object, Object> template,
                                                                            KafkaEventsProperties properties) {
        return DeadLetterRouting.afterRollbackProcessor(template, properties);
    }

    @Bean
    DeadLetters deadLetters(KafkaTemplate<Object, Object> template) {
        return new DeadLetters(template);
    }
}
