package io.mediaplatform.validation.config;

import io.mediaplatform.common.kafka.DeadLetterRouting;
import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.kafka.KafkaEventsConfiguration;
import io.mediaplatform.common.kafka.KafkaEventsProperties;
import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.validation.conversion.imageio.Thumbnailer;
import io.mediaplatform.validation.conversion.kafka.ThumbnailListener;
import io.mediaplatform.common.storage.StorageConfiguration;
import io.mediaplatform.validation.antivirus.clamd.ClamdScanner;
import io.mediaplatform.validation.antivirus.clamd.MalwareGate;
import io.mediaplatform.validation.conversion.storage.AutoFitter;
import io.mediaplatform.validation.conversion.ffmpeg.FfmpegConverter;
import io.mediaplatform.validation.conversion.imageio.ImageConverter;
import io.mediaplatform.validation.conversion.core.FitDefaults;
import io.mediaplatform.validation.conversion.core.FitPlanner;
import io.mediaplatform.validation.policy.core.AutoFit;
import io.mediaplatform.validation.inspection.tika.ContentDetector;
import io.mediaplatform.validation.inspection.storage.RecentInspections;
import io.mediaplatform.validation.inspection.storage.UpstreamMedia;
import io.mediaplatform.validation.inspection.storage.StoredMediaInspector;
import io.mediaplatform.validation.inbox.core.InboxSettingsBook;
import io.mediaplatform.validation.inbox.core.SettingsReadiness;
import io.mediaplatform.validation.inbox.kafka.InboxSettingsListener;
import io.mediaplatform.validation.inspection.kafka.MediaReceivedListener;
import io.mediaplatform.validation.policy.core.MediaPolicy;
import io.mediaplatform.validation.policy.core.Validator;
import io.mediaplatform.validation.policy.yaml.YamlMediaPolicyLoader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ResourceLoader;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

import java.time.Clock;

/**
 * Wires the validation core, the type detection and probing, the antivirus gate and the Kafka listeners.
 * The listeners run in Kafka transactions ({@code spring.kafka.producer.transaction-id-prefix} in
 * {@code validation.yml}): the settings listener in the container's (Boot adds a KafkaTransactionManager), the
 * media.received listener in its own, one per poll ({@link #mediaReceivedContainerFactory}). A failing
 * record is handled by this service's error handler (see {@link #validationErrorHandling}): retried in place,
 * poison and exhausted records sent to {@code <topic>.dlt}, and retried forever while the antivirus is down.
 */
@Configuration(proxyBeanMethods = false)
@Import({KafkaEventsConfiguration.class, StorageConfiguration.class})
public class ValidationConfiguration {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ValidationConfiguration.class);

    @Bean
    MediaPolicy mediaPolicy(ValidationProperties properties, ResourceLoader resources) {
        return YamlMediaPolicyLoader.load(resources.getResource(properties.policyFile()),
                resources.getResource(properties.profilesFile()),
                YamlMediaPolicyLoader.tenantProfiles(properties.tenantProfiles()));
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
    SettingsReadiness settingsReadiness() {
        return new SettingsReadiness();
    }

    @Bean
    ContentDetector contentDetector() {
        return new ContentDetector();
    }

    @Bean
    StoredMediaInspector storedMediaInspector(ObjectStorage storage, ContentDetector detector, ValidationProperties properties) {
        return new StoredMediaInspector(storage, detector, properties.headBytes(),
                (int) Math.min(Integer.MAX_VALUE - 16, properties.maxMoovBytes().toBytes()));
    }

    @Bean
    RecentInspections recentInspections(ObjectStorage storage, ValidationProperties properties) {
        return new RecentInspections(storage, properties.inspectionCacheSize().toBytes(), properties.inspectionCacheTtl(),
                properties.headBytes());
    }

    @Bean
    UpstreamMedia upstreamMedia(ObjectStorage storage, ValidationProperties properties) {
        return new UpstreamMedia(storage, properties.upstreamBuckets().stream().map(String::trim)
                .filter(bucket -> !bucket.isEmpty()).collect(java.util.stream.Collectors.toSet()));
    }

    @Bean
    MalwareGate malwareGate(ObjectStorage storage, AntivirusProperties antivirus) {
        ClamdScanner scanner = antivirus.enabled()
                ? new ClamdScanner(antivirus.host(), antivirus.port(), antivirus.socket(), antivirus.timeout(), antivirus.chunkSize())
                : null;
        return new MalwareGate(storage, scanner, antivirus.failOpen());
    }

    @Bean
    FitPlanner fitPlanner(Validator validator, AutoFitProperties autoFit, FfmpegConverter ffmpeg) {
        FitDefaults defaults = autoFit.defaults(ffmpeg.available());
        boolean degraded = !autoFit.automatic() && autoFit.autoFit(true) == AutoFit.ALL && !ffmpeg.available();
        String why = autoFit.automatic()
                ? (ffmpeg.available() ? "VALIDATION_AUTO_FIT is auto and " + autoFit.ffmpeg() + " runs here"
                        : "VALIDATION_AUTO_FIT is auto and " + autoFit.ffmpeg() + " does not run here")
                : "VALIDATION_AUTO_FIT=" + autoFit.mode().trim().toLowerCase(java.util.Locale.ROOT)
                        + (degraded ? ", but " + autoFit.ffmpeg() + " does not run here" : "");
        String line = "auto-fit {} ({}): images converted: {}, audio and video: {}; per tenant: {}; strip location "
                + "from outbound JPEGs: {}; decode limit {} pixels";
        Object[] args = {defaults.mode() == AutoFit.ALL && !ffmpeg.available() ? "images" : defaults.mode().name().toLowerCase(java.util.Locale.ROOT),
                why, defaults.mode().images(), defaults.mode() == AutoFit.ALL && ffmpeg.available(),
                defaults.tenants().isEmpty() ? "none" : defaults.tenants(), autoFit.stripLocation(), autoFit.maxPixels()};
        if (degraded) {
            log.warn(line, args);
        } else {
            log.info(line, args);
        }
        return new FitPlanner(validator, defaults, autoFit.stripLocation(), ffmpeg.available());
    }

    @Bean(destroyMethod = "close")
    ImageConverter imageConverter(AutoFitProperties autoFit) {
        return new ImageConverter(autoFit.maxPixels(), autoFit.timeout());
    }

    /**
     * ffmpeg for audio and video (whether it runs here is found out once, at start-up, when auto-fit is auto or all
     * for the service or a tenant).
     */
    @Bean
    FfmpegConverter ffmpegConverter(AutoFitProperties autoFit) {
        return new FfmpegConverter(autoFit.ffmpeg(), autoFit.timeout(), autoFit.mayUseFfmpeg());
    }

    @Bean
    AutoFitter autoFitter(ObjectStorage storage, Validator validator, ImageConverter imageConverter,
                          FfmpegConverter ffmpegConverter, AutoFitProperties autoFit, Clock validationClock) {
        return new AutoFitter(storage, validator, imageConverter, ffmpegConverter.available() ? ffmpegConverter : null,
                autoFit.maxInput().toBytes(), validationClock);
    }

    /** Thumbnails of accepted media: auto-fit's decoder, and ffmpeg for video posters where it runs. */
    @Bean
    ThumbnailListener thumbnailListener(ObjectStorage storage, ImageConverter imageConverter, AutoFitProperties autoFit,
                                        ThumbnailProperties thumbnails) {
        FfmpegConverter ffmpeg = thumbnails.enabled() ? new FfmpegConverter(autoFit.ffmpeg(), autoFit.timeout(), true) : null;
        if (thumbnails.enabled() && !ffmpeg.available()) {
            log.warn("{} does not run here: video gets no thumbnail", autoFit.ffmpeg());
        }
        return new ThumbnailListener(storage, new Thumbnailer(imageConverter,
                ffmpeg != null && ffmpeg.available() ? ffmpeg : null), autoFit.maxInput().toBytes());
    }

    @Bean
    Clock validationClock() {
        return Clock.systemUTC();
    }

    @Bean
    MediaReceivedListener mediaReceivedListener(StoredMediaInspector inspector, RecentInspections recentInspections,
                                                UpstreamMedia upstreamMedia, Validator validator, InboxSettingsBook inboxes,
                                                EventPublisher publisher, KafkaTemplate<Object, Object> template,
                                                DeadLetterPublishingRecoverer validationDeadLetters, Clock validationClock,
                                                MeterRegistry meters, MalwareGate malwareGate, ObjectStorage storage,
                                                SettingsReadiness readiness, ValidationProperties properties,
                                                FitPlanner fitPlanner, AutoFitter autoFitter,
                                                ObjectProvider<ObservationRegistry> observations) {
        return new MediaReceivedListener(inspector, recentInspections, upstreamMedia, validator, inboxes, publisher, template, validationDeadLetters,
                validationClock, meters, malwareGate, storage, readiness, properties.settingsWait(),
                properties.transactionMaxTime(), properties.prefetch(), fitPlanner, autoFitter)
                .observations(observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    @Bean
    DeadLetterPublishingRecoverer validationDeadLetters(KafkaTemplate<Object, Object> template) {
        return DeadLetterRouting.recoverer(template);
    }

    /**
     * Containers of the media.received listener: Boot's settings and this service's error handler, as a batch
     * listener that runs its own Kafka transactions (one per poll, see {@link MediaReceivedListener}) instead of
     * the container's one per record, and commits offsets only in them (manual acknowledgement, never given).
     */
    @Bean
    ConcurrentKafkaListenerContainerFactory<Object, Object> mediaReceivedContainerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers,
            ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> validationErrorHandling) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        configurer.configure(factory, consumers);
        factory.setContainerCustomizer(validationErrorHandling);
        factory.setBatchListener(true);
        factory.getContainerProperties().setKafkaAwareTransactionManager(null);
        factory.getContainerProperties().setTransactionManager(null);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.MANUAL);
        return factory;
    }

    @Bean
    InboxSettingsListener inboxSettingsListener(InboxSettingsBook inboxes, SettingsReadiness readiness, KafkaAdmin kafkaAdmin) {
        return new InboxSettingsListener(inboxes, readiness, () -> Admin.create(kafkaAdmin.getConfigurationProperties()));
    }

    /**
     * This service's error handler, set on its listener containers in place of the shared one: the same
     * in-place retries and dead-letter route, plus unlimited retries while the antivirus is down (fail closed). The
     * media.received listener dead-letters poison records itself, in its transaction; a record it hands over
     * (retries exhausted) is dead-lettered in a transaction of its own and its offset committed after.
     */
    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> validationErrorHandling(
            DeadLetterPublishingRecoverer validationDeadLetters, KafkaEventsProperties kafka, AntivirusProperties antivirus) {
        DefaultErrorHandler handler = DeadLetterRouting.errorHandler(validationDeadLetters, kafka);
        handler.setBackOffFunction((record, exception) -> scannerDown(exception)
                ? new FixedBackOff(antivirus.retryBackoff().toMillis(), FixedBackOff.UNLIMITED_ATTEMPTS) : null);
        return container -> container.setCommonErrorHandler(handler);
    }

    private static boolean scannerDown(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof ClamdScanner.ScannerUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
