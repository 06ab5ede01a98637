package io.mediaplatform.validation;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The cores stay plain Java: no Spring, Kafka, Avro, AWS or Tika types. */
@AnalyzeClasses(packages = "io.mediaplatform.validation", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule cores_import_no_framework = noClasses()
            .that().resideInAPackage("..core..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "org.apache.kafka..", "org.apache.avro..", "io.mediaplatform.events..",
                    "software.amazon..", "org.apache.tika..", "io.mediaplatform.common..", "org.yaml..",
                    "com.fasterxml..", "tools.jackson..");
}
