package io.mediaplatform.callback;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import io.mediaplatform.common.architecture.ServiceArchitecture;

/**
 * The package rules every service keeps (ARCHITECTURE §2), shared in platform-common's test-jar: cores are plain Java
 * (the JDK and other cores), adapters never depend on another capability's adapters.
 */
@AnalyzeClasses(packages = "io.mediaplatform.callback", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchTests shared_rules = ArchTests.in(ServiceArchitecture.class);
}
