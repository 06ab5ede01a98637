package io.mediaplatform.validation.config;

import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.kafka.KafkaEventsConfiguration;
import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.common.storage.StorageConfiguration;
import io.mediaplatform.validation.detection.ContentDetector;
import io.mediaplatform.validation.detection.StoredMediaInspector;
import io.mediaplatform.validation.inbox.core.InboxSettingsBook;
import io.mediaplatform.validation.kafka.InboxSettingsListener;
import io.mediaplatform.validation.kafka.MediaReceivedListener;
import io.mediaplatform.validation.policy.core.MediaPolicy;
import io.mediaplatform.validation.policy.core.Validator;
import io.mediaplatform.validation.policy.yaml.YamlMediaPolicyLoader;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ResourceLoader;

import java.time.Clock;

/** Wires the validation core, the type detection and the Kafka listeners. */
@Configuration(proxyBeanMethods = false)
@Import({KafkaEventsConfiguration.class, StorageConfiguration.class})
public class ValidationConfiguration {

    @Bean
    MediaPolicy mediaPolicy(ValidationProperties properties, ResourceLoader resources) {
        return YamlMediaPolicyLoader.load(resources.getResource(properties.policyFile()));
    }

    @Bean
    Validator validator(MediaPolicy policy) {
        return new Validator(policy);
    }

    @Bean
    InboxSettingsBook inboxSettingsBook() {
        return new InboxSettingsBook();
    }

    @Bean
    ContentDetector contentDetector() {
        return new ContentDetector();
    }

    @Bean
    StoredMediaInspector storedMediaInspector(ObjectStorage storage, ContentDetector detector, ValidationProperties properties) {
        return new StoredMediaInspector(storage, detector, properties.headBytes());
    }

    @Bean
    Clock validationClock() {
        return Clock.systemUTC();
    }

    @Bean
    MediaReceivedListener mediaReceivedListener(StoredMediaInspector inspector, Validator validator, InboxSettingsBook inboxes,
                                                EventPublisher publisher, Clock validationClock, MeterRegistry meters) {
        return new MediaReceivedListener(inspector, validator, inboxes, publisher, validationClock, meters);
    }

    @Bean
    InboxSettingsListener inboxSettingsListener(InboxSettingsBook inboxes) {
        return new InboxSettingsListener(inboxes);
    }
}
