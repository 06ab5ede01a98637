package io.mediaplatform.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Paths of the deployment artefacts and small YAML helpers shared by the checks. */
final class Repo {

    /** Env var names that carry secrets: they must come from secrets, never from plain values. */
    static final Pattern SECRET_NAME = Pattern.compile(".*(SECRET|PASSWORD|KEY|TOKEN).*");

    static final Path ROOT = findRoot();
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final Path CHART = DEPLOY.resolve("helm/media-platform");
    static final Path COMPOSE = DEPLOY.resolve("docker-compose.yml");
    static final Path ENV_EXAMPLE = DEPLOY.resolve(".env.example");
    static final Path DOCKERFILE = DEPLOY.resolve("docker/Dockerfile");

    /** Service modules in pipeline order. */
    static final List<String> SERVICE_MODULES = List.of(
            "media-ingest-service", "media-validation-service", "channel-dispatch-service", "callback-service");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::[^}]*)?}");

    private Repo() {
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("deploy"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("repository root (with mvnw and deploy/) not found above " + Path.of("").toAbsolutePath());
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(20 * 1024 * 1024);
        return new Yaml(options);
    }

    /** Every non-empty document of a multi-document YAML stream, as maps. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(String multiDocumentYaml) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : yaml().loadAll(multiDocumentYaml)) {
            if (doc instanceof Map<?, ?> map && !map.isEmpty()) {
                docs.add((Map<String, Object>) map);
            }
        }
        return docs;
    }

    /** Walks maps by keys; null when a step is missing. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String... path) {
        Object current = node;
        for (String step : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(step);
        }
        return (T) current;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> listAt(Object node, String... path) {
        Object value = at(node, path);
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }

    /**
     * Every environment variable the services read: the {@code ${NAME:default}} placeholders of their yml files and of
     * platform-common.yml. A deployment setting any other name sets nothing.
     */
    static Set<String> envVarsReadByServices() {
        Set<String> names = new TreeSet<>();
        List<Path> dirs = new ArrayList<>(SERVICE_MODULES.stream().map(m -> ROOT.resolve(m).resolve("src/main/resources")).toList());
        dirs.add(ROOT.resolve("platform-common/src/main/resources"));
        for (Path dir : dirs) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                        .forEach(f -> {
                            Matcher m = PLACEHOLDER.matcher(read(f));
                            while (m.find()) {
                                names.add(m.group(1));
                            }
                        });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    static String string(Object value) {
        return Objects.toString(value, null);
    }
}
