package io.mediaplatform.common.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The package rules every service keeps (ARCHITECTURE §2), run by each service's {@code ArchitectureTest} with
 * {@code @ArchTest static final ArchTests shared = ArchTests.in(ServiceArchitecture.class);}.
 *
 * <p>A service's code lives under {@code io.mediaplatform.<service>.<capability>}: a plain-Java {@code core} and
 * adapters named by technology; {@code config} and the service's root package wire them and are no capability.
 */
public final class ServiceArchitecture {

    /** What a core may depend on. */
    private static final String[] PLAIN_JAVA = {"java..", "javax.crypto..", "io.mediaplatform..core.."};

    /** The service base packages the rules know. */
    static final Set<String> SERVICES = Set.of("ingest", "validation", "dispatch", "callback");

    /**
     * Adapter dependencies across capabilities that exist today and are frozen, each with why: the package moves
     * that would remove them are issue 14's one-layout work, not yet done. Key: {@code service.capability ->
     * service.capability}. Add nothing here; remove a line when its dependency goes.
     */
    static final Map<String, String> FROZEN_ADAPTER_DEPENDENCIES = Map.ofEntries(
            // ingest: MediaIngestor (media's kafka adapter) is the one path from bytes to media.received.v1
            Map.entry("ingest.inbound -> ingest.media", "inbound media are stored and announced by MediaIngestor"),
            Map.entry("ingest.messages -> ingest.media", "POST /v1/messages stores a from-URL media by MediaIngestor"),
            Map.entry("ingest.messages -> ingest.idempotency", "the send API answers replays by IdempotentAnswers"),
            Map.entry("ingest.media -> ingest.idempotency", "the upload APIs answer replays by IdempotentAnswers"),
            Map.entry("ingest.messages -> ingest.fallback", "the send command's listener records the fallback plan"),
            Map.entry("ingest.asset -> ingest.media", "an asset is stored media: staged, committed and announced by media's store"),
            // validation: inspection's media.received.v1 listener runs the other capabilities' adapters on what it read
            Map.entry("validation.inspection -> validation.antivirus", "the listener runs the malware gate"),
            Map.entry("validation.inspection -> validation.conversion", "the listener runs auto-fit"),
            // callback: JDBC stores and recorders at the capabilities' roots, calling each other in one transaction
            Map.entry("callback.status -> callback.webhook", "a recorded status enqueues its webhooks (outbox)"),
            Map.entry("callback.status -> callback.inbound", "the status listener records inbound messages too"),
            Map.entry("callback.inbound -> callback.webhook", "an inbound message enqueues its webhooks (outbox)"),
            Map.entry("callback.webhook -> callback.status", "webhook payloads and replays read the message store"),
            Map.entry("callback.webhook -> callback.inbound", "webhook payloads of inbound messages"),
            Map.entry("callback.status -> callback.audit", "the status listeners feed the audit trail from the records they take"),
            Map.entry("callback.inbound -> callback.audit", "the inbound listener feeds the audit trail from the records it takes"));

    /**
     * Core classes that log through SLF4J today (frozen, like the map above): the one exception to plain Java. The
     * fix is to return what happened and log it in the adapter.
     */
    static final Set<String> FROZEN_LOGGING_CORES = Set.of("io.mediaplatform.dispatch.inbound.core.InboundService");

    /** Packages every capability may use: the wiring and the service's shared helpers (callback's SQL ones). */
    static final Set<String> SHARED_PACKAGES = Set.of("config", "support");

    /**
     * Cores are plain Java: the JDK (its crypto included) and other cores, platform-common's
     * {@code io.mediaplatform.common.core} among them; no Spring, Kafka, Avro, AWS, Jackson, JDBC or servlet type, no
     * generated event, no adapter.
     */
    @com.tngtech.archunit.junit.ArchTest
    public static final ArchRule cores_depend_only_on_the_jdk_and_other_cores = classes()
            .that().resideInAPackage("..core..")
            .and().doNotHaveFullyQualifiedName(FROZEN_LOGGING_CORES.iterator().next())
            .should().onlyDependOnClassesThat().resideInAnyPackage(PLAIN_JAVA)
            .because("ARCHITECTURE §2: decisions live in plain-Java cores, unit-tested without a broker");

    /** The frozen logging cores: plain Java and SLF4J, nothing else. */
    @com.tngtech.archunit.junit.ArchTest
    public static final ArchRule frozen_logging_cores_add_only_slf4j = classes()
            .that().haveFullyQualifiedName(FROZEN_LOGGING_CORES.iterator().next())
            .should().onlyDependOnClassesThat().resideInAnyPackage(withSlf4j())
            .allowEmptyShould(true);

    /** The JDK's own clients are adapters' business too: a core neither calls out nor opens a database. */
    @com.tngtech.archunit.junit.ArchTest
    public static final ArchRule cores_open_no_connection = noClasses()
            .that().resideInAPackage("..core..")
            .should().dependOnClassesThat().resideInAnyPackage("java.net.http..", "java.sql..", "javax.sql..")
            .because("ARCHITECTURE §2: a core decides, its adapters talk to the world");

    /** An adapter talks to its own capability's core and adapters, any core, platform-common and the wiring. */
    @com.tngtech.archunit.junit.ArchTest
    public static final ArchRule adapters_never_depend_on_another_capabilitys_adapters = classes()
            .that().resideInAPackage("io.mediaplatform..")
            .should(new ArchCondition<>("depend on no adapter of another capability") {
                @Override
                public void check(JavaClass origin, ConditionEvents events) {
                    Optional<String> from = adapterCapability(origin.getPackageName());
                    if (from.isEmpty()) {
                        return;
                    }
                    for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                        Optional<String> to = adapterCapability(dependency.getTargetClass().getPackageName());
                        if (to.isPresent() && !to.equals(from)
                                && !FROZEN_ADAPTER_DEPENDENCIES.containsKey(from.get() + " -> " + to.get())) {
                            events.add(SimpleConditionEvent.violated(dependency,
                                    from.get() + " -> " + to.get() + ": " + dependency.getDescription()));
                        }
                    }
                }
            })
            .because("ARCHITECTURE §2: capabilities meet in their cores and in config, not adapter to adapter");

    private ServiceArchitecture() {
    }

    private static String[] withSlf4j() {
        String[] packages = java.util.Arrays.copyOf(PLAIN_JAVA, PLAIN_JAVA.length + 1);
        packages[PLAIN_JAVA.length] = "org.slf4j..";
        return packages;
    }

    /**
     * The capability ({@code service.capability}) of an adapter package, or empty for a core, the wiring
     * ({@code config}, the service's root), the shared helpers ({@code support}) and anything outside the services.
     */
    static Optional<String> adapterCapability(String packageName) {
        String[] parts = packageName.split("\\.");
        if (parts.length < 4 || !parts[0].equals("io") || !parts[1].equals("mediaplatform")
                || !SERVICES.contains(parts[2]) || SHARED_PACKAGES.contains(parts[3]) || parts[3].equals("core")) {
            return Optional.empty();
        }
        for (String part : parts) {
            if (part.equals("core")) {
                return Optional.empty();
            }
        }
        return Optional.of(parts[2] + "." + parts[3]);
    }
}
