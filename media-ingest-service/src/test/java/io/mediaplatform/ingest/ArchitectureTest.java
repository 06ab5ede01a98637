package io.mediaplatform.ingest;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The cores stay plain Java: no Spring, Kafka, Avro, AWS, Jackson or servlet types. */
@AnalyzeClasses(packages = "io.mediaplatform.ingest", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule cores_are_plain_java = noClasses().that().resideInAPackage("..core..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.apache.kafka..",
                    "org.apache.avro..", "software.amazon..", "io.mediaplatform.events..", "io.mediaplatform.common..",
                    "io.mediaplatform.schemas..", "tools.jackson..", "com.fasterxml..", "jakarta..",
                    "org.apache.commons.fileupload2..")
            .because("ARCHITECTURE §2: a core free of Spring, Kafka and Avro types");

    @ArchTest
    static final ArchRule cores_do_not_reach_adapters = noClasses().that().resideInAPackage("..core..")
            .should().dependOnClassesThat().resideInAnyPackage("..web..", "..kafka..", "..storage..", "..config..", "..fetch..");
}
