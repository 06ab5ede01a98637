package io.mediaplatform.dispatch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.mediaplatform.dispatch");

    @Test
    void core_packages_depend_on_no_framework_broker_serde_or_json_library() {
        // Given the main classes of the service
        // Then nothing in a core package imports Spring, Kafka, Avro (events or schemas), AWS, Jackson or servlets
        noClasses().that().resideInAPackage("..core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "org.apache.kafka..", "org.apache.avro..", "io.mediaplatform.events..",
                        "io.mediaplatform.schemas..", "software.amazon..", "com.fasterxml..", "tools.jackson..",
                        "jakarta..", "java.net.http..", "io.github.resilience4j..")
                .check(classes);
    }

    @Test
    void core_packages_do_not_reach_into_adapters() {
        // Then a core never depends on the adapters around it
        noClasses().that().resideInAPackage("..core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.mediaplatform.dispatch.kafka..", "io.mediaplatform.dispatch.whatsapp..",
                        "io.mediaplatform.dispatch.twilio..", "io.mediaplatform.dispatch.notify..",
                        "io.mediaplatform.dispatch.email..", "io.mediaplatform.dispatch.resilience..",
                        "io.mediaplatform.dispatch.config..")
                .check(classes);
    }
}
