package io.mediaplatform.deploy;

import io.mediaplatform.schemas.topics.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.mediaplatform.deploy.Repo.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/docker-compose.yml as docker-compose itself reads it ({@code docker-compose config}: parses, validates and
 * interpolates against deploy/.env.example; needs no Docker engine), plus checks of the raw file. Skips when
 * docker-compose (1.x) or the compose plugin is not installed (.ci/run installs Debian's docker-compose).
 */
class ComposeFileTest {

    private static final Set<String> ONE_SHOT_JOBS = Set.of("topics", "schemas", "bucket");
    private static final Set<String> PLATFORM_SERVICES = Set.of("ingest", "validation", "dispatch", "callback");
    private static List<String> composeCommand;

    @BeforeAll
    static void findCompose() {
        composeCommand = locateCompose();
    }

    @Test
    void compose_validates_the_file_with_the_example_env() throws Exception {
        // When docker-compose renders the file with .env.example
        Map<String, Object> config = config();

        // Then the infrastructure, the three one-shot jobs and the four services are there; anything else belongs to the
        // optional observability profile (docker-compose 1.x lists profile services in `config`, Compose v2 does not)
        Map<String, Object> services = at(config, "services");
        List<String> always = List.of("kafka", "topics", "schemas", "schema-registry", "minio", "bucket", "postgres", "clamav",
                "ingest", "validation", "dispatch", "callback");
        assertThat(services.keySet()).containsAll(always);
        services.forEach((name, service) -> {
            if (!always.contains(name)) {
                assertThat(String.valueOf((Object) at(service, "profiles"))).as(name).contains("observability");
            } else {
                assertThat((Object) at(service, "profiles")).as(name).isNull();
            }
        });
    }

    @Test
    void the_observability_profile_adds_prometheus_and_grafana() throws Exception {
        Map<String, Object> services = at(config("--profile", "observability"), "services");
        assertThat(services).containsKeys("prometheus", "grafana");
        assertThat(Files.isRegularFile(Repo.DEPLOY.resolve("observability/prometheus.yml"))).isTrue();
        String dashboard = Repo.read(Repo.DEPLOY.resolve("observability/grafana/dashboards/media-platform.json"));
        assertThat(dashboard).contains("http_server_requests_seconds_count", "media_validation_decisions_total",
                "callback_webhook_attempts_total", "kafka_consumer_fetch_manager_records_lag_max");
    }

    @Test
    void every_long_running_container_has_a_healthcheck_and_a_memory_limit_and_waits_for_what_it_needs() throws Exception {
        Map<String, Object> services = at(config("--profile", "observability"), "services");
        services.forEach((name, service) -> {
            assertThat((Object) at(service, "mem_limit")).as("%s mem_limit", name).isNotNull();
            if (!ONE_SHOT_JOBS.contains(name)) {
                assertThat((Object) at(service, "healthcheck", "test")).as("%s healthcheck", name).isNotNull();
            }
            // depends_on only on healthy services or successfully completed jobs
            Map<String, Object> dependsOn = at(service, "depends_on");
            if (dependsOn != null) {
                dependsOn.forEach((dependency, spec) -> assertThat((String) at(spec, "condition")).as("%s -> %s", name, dependency)
                        .isEqualTo(ONE_SHOT_JOBS.contains(dependency) ? "service_completed_successfully" : "service_healthy"));
            }
        });
        for (String name : PLATFORM_SERVICES) {
            Map<String, Object> service = at(services, name);
            Map<String, Object> dependsOn = at(service, "depends_on");
            assertThat(dependsOn).as(name).containsKeys("kafka", "schema-registry", "topics", "schemas", "minio", "bucket");
            // Built from the one Dockerfile, read-only root with a tmpfs /tmp, healthy on the actuator readiness group
            assertThat((String) at(service, "build", "dockerfile")).isEqualTo("deploy/docker/Dockerfile");
            assertThat((Object) at(service, "build", "args", "SERVICE")).isNotNull();
            assertThat((Object) at(service, "read_only")).isEqualTo(true);
            assertThat(String.valueOf((Object) at(service, "tmpfs"))).contains("/tmp");
            assertThat(String.valueOf((Object) at(service, "healthcheck", "test"))).contains("/actuator/health/readiness");
        }
        assertThat((Map<String, Object>) at(services, "callback", "depends_on")).containsKey("postgres");
        assertThat((Map<String, Object>) at(services, "validation", "depends_on")).containsKey("clamav");
    }

    @Test
    void secrets_are_never_written_in_the_compose_file() {
        // Given the raw compose file
        String raw = Repo.read(Repo.COMPOSE);
        Pattern entry = Pattern.compile("^\\s+([A-Z][A-Z0-9_]*):\\s*(.*)$", Pattern.MULTILINE);
        Matcher m = entry.matcher(raw);
        int secrets = 0;
        while (m.find()) {
            String name = m.group(1);
            String value = m.group(2).trim();
            // Then every secret-looking setting is a reference to .env: required ${VAR:?...}, or ${VAR:-} for the
            // optional connectors' secrets (never a literal, never a non-empty default)
            if (Repo.SECRET_NAME.matcher(name).matches()) {
                assertThat(value).as(name).matches("\\$\\{[A-Z0-9_]+(:\\?[^}]+|:-)}");
                secrets++;
            }
        }
        assertThat(secrets).isGreaterThan(10);
    }

    @Test
    void every_env_var_given_to_the_services_is_one_they_read_and_env_example_defines_every_variable() throws Exception {
        Map<String, Object> services = at(config(), "services");
        Set<String> read = Repo.envVarsReadByServices();
        for (String name : PLATFORM_SERVICES) {
            Map<String, Object> environment = at(services, name, "environment");
            Set<String> names = new LinkedHashSet<>(environment.keySet());
            names.remove("JAVA_TOOL_OPTIONS");
            assertThat(read).as(name).containsAll(names);
        }
        // And every ${VAR} of the compose file has a line in .env.example
        String withoutComments = Repo.read(Repo.COMPOSE).lines().filter(l -> !l.trim().startsWith("#"))
                .reduce("", (a, b) -> a + b + "\n");
        Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(withoutComments);
        Set<String> referenced = new LinkedHashSet<>();
        while (m.find()) {
            referenced.add(m.group(1));
        }
        String example = Repo.read(Repo.ENV_EXAMPLE);
        for (String variable : referenced) {
            assertThat(example).as(".env.example defines %s", variable).containsPattern("(?m)^" + variable + "=");
        }
    }

    @Test
    void the_topics_job_creates_the_whole_catalogue() throws Exception {
        Map<String, Object> topics = at(config(), "services", "topics");
        Map<String, Object> environment = at(topics, "environment");
        List<String> created = new ArrayList<>(List.of(String.valueOf(environment.get("TOPICS")).trim().split("\\s+")));
        created.addAll(List.of(String.valueOf(environment.get("COMPACTED_TOPICS")).trim().split("\\s+")));
        assertThat(created).containsExactlyInAnyOrderElementsOf(Topics.allNamesWithDlt());
        assertThat(String.valueOf(environment.get("COMPACTED_TOPICS")).trim()).isEqualTo(Topics.INBOX_MEDIA_SETTINGS.name());

        // And its script, run against a recording stand-in of kafka-topics.sh, creates each once if missing, 3 partitions,
        // the settings topic compacted ($$ is compose's escape of $)
        String script = ((List<String>) at(topics, "command")).getFirst().replace("$$", "$");
        Map<String, String> env = new java.util.HashMap<>();
        environment.forEach((k, v) -> env.put(k, String.valueOf(v)));
        List<String> creates = TopicScript.run(script, env, Path.of("target", "compose-topics").toAbsolutePath()).stream()
                .filter(c -> c.contains("--create")).toList();
        assertThat(creates).hasSize(Topics.allNamesWithDlt().size())
                .allSatisfy(c -> assertThat(c).contains("--bootstrap-server kafka:9092", "--if-not-exists", "--partitions 3"));
        assertThat(creates).filteredOn(c -> c.contains("cleanup.policy=compact"))
                .singleElement().asString().contains("--topic " + Topics.INBOX_MEDIA_SETTINGS.name() + " ");
        // And the broker never auto-creates
        assertThat((Object) at(config(), "services", "kafka", "environment", "KAFKA_AUTO_CREATE_TOPICS_ENABLE")).isEqualTo("false");
    }

    private static final Map<List<String>, Map<String, Object>> CONFIGS = new java.util.concurrent.ConcurrentHashMap<>();

    /** docker-compose config output, run once per argument list. */
    private static synchronized Map<String, Object> config(String... extra) throws IOException, InterruptedException {
        List<String> key = List.of(extra);
        Map<String, Object> cached = CONFIGS.get(key);
        if (cached == null) {
            cached = runConfig(extra);
            CONFIGS.put(key, cached);
        }
        return cached;
    }

    private static Map<String, Object> runConfig(String... extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(composeCommand);
        command.addAll(List.of("-f", Repo.COMPOSE.toString(), "--env-file", Repo.ENV_EXAMPLE.toString()));
        command.addAll(List.of(extra));
        command.add("config");
        Path output = Files.createTempFile("compose-config", ".yml");
        Path errors = Files.createTempFile("compose-config", ".err");
        try {
            Process process = new ProcessBuilder(command).directory(Repo.DEPLOY.toFile())
                    .redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("docker-compose config finished").isTrue();
            assertThat(process.exitValue()).as("%s failed: %s", command, Files.readString(errors)).isZero();
            return Repo.documents(Files.readString(output)).getFirst();
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }

    private static List<String> locateCompose() {
        String path = System.getenv().getOrDefault("PATH", "");
        List<Path> dirs = Stream.concat(Stream.of(path.split(File.pathSeparator)), Stream.of("/usr/bin", "/usr/local/bin"))
                .filter(s -> !s.isBlank()).map(Path::of).toList();
        for (Path dir : dirs) {
            if (Files.isExecutable(dir.resolve("docker-compose"))) {
                return List.of(dir.resolve("docker-compose").toString());
            }
        }
        for (Path dir : dirs) {
            Path docker = dir.resolve("docker");
            if (Files.isExecutable(docker) && works(List.of(docker.toString(), "compose", "version"))) {
                return List.of(docker.toString(), "compose");
            }
        }
        assumeTrue(false, "docker-compose is not installed (apt-get install -y docker-compose): compose file not validated");
        return List.of();
    }

    private static boolean works(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
