package io.mediaplatform.callback;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/** The cores are plain Java (the JDK, its crypto included): no Spring, Kafka, Avro, JDBC or web types. */
@AnalyzeClasses(packages = "io.mediaplatform.callback", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule cores_depend_only_on_the_jdk_and_other_cores = classes()
            .that().resideInAPackage("..core..")
            .should().onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "javax.crypto..", "..callback..core..");
}
