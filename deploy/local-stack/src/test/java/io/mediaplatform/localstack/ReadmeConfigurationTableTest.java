package io.mediaplatform.localstack;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's configuration table names every environment variable the services read. */
class ReadmeConfigurationTableTest {

    /** Set by the system, not settings of ours (used only to derive defaults). */
    private static final Set<String> SYSTEM_VARIABLES = Set.of("HOSTNAME");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    @Test
    void every_env_var_in_the_services_configuration_is_in_the_readme() throws IOException {
        // Given every ${ENV:default} placeholder in the services' configuration files
        Set<String> variables = new TreeSet<>();
        try (Stream<Path> files = Files.walk(ReadmeWalkthrough.REPO_ROOT, 6)) {
            for (Path file : files.filter(p -> p.toString().contains("/src/main/resources/"))
                    .filter(p -> p.toString().endsWith(".yml") && !p.toString().contains("/target/")).toList()) {
                Matcher matcher = PLACEHOLDER.matcher(Files.readString(file));
                while (matcher.find()) {
                    variables.add(matcher.group(1));
                }
            }
        }
        variables.removeAll(SYSTEM_VARIABLES);
        assertThat(variables).contains("KAFKA_BOOTSTRAP_SERVERS", "INGEST_PORT", "DATABASE_URL");

        // Then the README lists each one
        String readme = Files.readString(ReadmeWalkthrough.REPO_ROOT.resolve("README.md"));
        assertThat(variables).allSatisfy(name -> assertThat(readme).as("README lists " + name).contains("`" + name + "`"));
    }
}
