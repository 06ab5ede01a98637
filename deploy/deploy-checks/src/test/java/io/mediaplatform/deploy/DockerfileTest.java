package io.mediaplatform.deploy;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/docker/Dockerfile read as text (no Docker engine here to build it): pinned base images, the layered exec-jar
 * layout, a non-root user, and the health check script exercised against a real HTTP server.
 */
class DockerfileTest {

    private static final String DOCKERFILE = Repo.read(Repo.DOCKERFILE);
    private static final Path HEALTHCHECK = Repo.DEPLOY.resolve("docker/healthcheck.sh");

    @Test
    void base_images_are_pinned_versions_never_latest() {
        // Given the FROM lines, with ARG defaults substituted
        Map<String, String> args = new HashMap<>();
        Matcher arg = Pattern.compile("(?m)^ARG (\\w+)=(\\S+)$").matcher(DOCKERFILE);
        while (arg.find()) {
            args.put(arg.group(1), arg.group(2));
        }
        List<String> images = new ArrayList<>();
        Matcher from = Pattern.compile("(?m)^FROM (\\S+)").matcher(DOCKERFILE);
        while (from.find()) {
            String image = from.group(1);
            Matcher ref = Pattern.compile("\\$\\{(\\w+)}").matcher(image);
            images.add(ref.matches() ? args.get(ref.group(1)) : image);
        }

        // Then there are a build and a runtime stage, each a Temurin 21 image pinned to an exact release
        assertThat(images).hasSize(2).doesNotContainNull();
        for (String image : images) {
            assertThat(image).contains(":").doesNotContain(":latest");
            assertThat(image).matches("eclipse-temurin:21\\.\\d+\\.\\d+_\\d+-(jdk|jre)-\\w+(@sha256:[0-9a-f]{64})?");
        }
        assertThat(images.get(0)).contains("-jdk-");
        assertThat(images.get(1)).contains("-jre-");
    }

    @Test
    void the_image_runs_the_layered_exec_jar_with_the_spring_boot_launcher() {
        // The build stage packages the module and explodes its -exec jar (the repackaged one) into layers
        assertThat(DOCKERFILE).contains("./mvnw -B -q -pl \"${SERVICE}\" -am package -DskipTests")
                .contains("-exec.jar")
                .contains("java -Djarmode=tools -jar app.jar extract --layers --launcher");
        // and the runtime stage copies the four layers, least-changing first
        List<String> layers = List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
        int previous = -1;
        for (String layer : layers) {
            int at = DOCKERFILE.indexOf("/layers/extracted/" + layer + "/");
            assertThat(at).as(layer).isGreaterThan(previous);
            previous = at;
        }
        assertThat(DOCKERFILE).contains("org.springframework.boot.loader.launch.JarLauncher")
                .contains("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.mediaplatform.events");
        // And every service module really builds that -exec jar
        for (String module : Repo.SERVICE_MODULES) {
            assertThat(Repo.read(Repo.ROOT.resolve(module).resolve("pom.xml"))).as(module)
                    .contains("spring-boot-maven-plugin").contains("<classifier>exec</classifier>");
        }
    }

    @Test
    void the_runtime_user_is_a_fixed_non_root_uid_and_tmp_is_the_only_writable_place() {
        List<String> users = new ArrayList<>();
        Matcher user = Pattern.compile("(?m)^USER (\\S+)$").matcher(DOCKERFILE);
        while (user.find()) {
            users.add(user.group(1));
        }
        assertThat(users).isNotEmpty();
        String last = users.getLast();
        assertThat(last).isEqualTo("10001:10001");
        assertThat(DOCKERFILE).contains("VOLUME [\"/tmp\"]").contains("EXPOSE ${SERVICE_PORT}").contains("HEALTHCHECK");
        // The build context excludes local build output and secrets
        String dockerignore = Repo.read(Repo.ROOT.resolve(".dockerignore"));
        assertThat(dockerignore).contains("**/target/").contains("deploy/.env").contains(".git/");
    }

    @Test
    void the_build_context_keeps_everything_the_image_build_reads() {
        // Given the .dockerignore patterns (Docker semantics: a pattern matching a directory excludes its contents)
        List<java.nio.file.PathMatcher> ignored = Repo.read(Repo.ROOT.resolve(".dockerignore")).lines()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("!"))
                .map(l -> l.endsWith("/") ? l.substring(0, l.length() - 1) : l)
                .map(l -> java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + l)).toList();
        // And what the build reads: the wrapper, every reactor module's pom (Maven loads them all), the services' sources,
        // the health check script
        List<String> needed = new ArrayList<>(List.of("mvnw", ".mvn/wrapper/maven-wrapper.properties", ".mvn/jdk.sh",
                "pom.xml", "deploy/docker/healthcheck.sh", "schemas/src/main/avro", "platform-common/src/main/resources/platform-common.yml"));
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(Repo.read(Repo.ROOT.resolve("pom.xml")));
        while (module.find()) {
            needed.add(module.group(1) + "/pom.xml");
        }
        Repo.SERVICE_MODULES.forEach(m -> needed.add(m + "/src/main/java"));

        // Then none of it is excluded, and all of it exists
        for (String path : needed) {
            assertThat(Files.exists(Repo.ROOT.resolve(path))).as(path).isTrue();
            for (Path prefix = Path.of(path); prefix != null; prefix = prefix.getParent()) {
                Path candidate = prefix;
                assertThat(ignored).as("%s excluded by .dockerignore", path).noneMatch(m -> m.matches(candidate));
            }
        }
        // But build output is excluded
        assertThat(ignored).anyMatch(m -> m.matches(Path.of("media-ingest-service/target")));
    }

    @Test
    void the_health_check_passes_on_200_and_fails_otherwise_without_curl() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is not installed");
        // Given an HTTP server answering the readiness group with 200 and the liveness group with 503
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/actuator/health/readiness", exchange -> {
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("{}".getBytes());
            exchange.close();
        });
        server.createContext("/actuator/health/liveness", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            // Then the script exits 0 for 200, 1 for 503, 1 when nothing listens
            assertThat(runHealthcheck(port, "/actuator/health/readiness")).isZero();
            assertThat(runHealthcheck(port, "/actuator/health/liveness")).isEqualTo(1);
            server.stop(0);
            assertThat(runHealthcheck(port, "/actuator/health/readiness")).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    private static int runHealthcheck(int port, String path) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", HEALTHCHECK.toString(), path)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("HEALTHCHECK_PORT", String.valueOf(port));
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }
}
