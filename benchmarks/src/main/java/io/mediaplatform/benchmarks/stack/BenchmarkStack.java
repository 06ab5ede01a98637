package io.mediaplatform.benchmarks.stack;

import io.mediaplatform.localstack.LocalStack;
import io.mediaplatform.localstack.LocalStackOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A {@link LocalStack} for a benchmark, in this JVM: fresh data directory, random ports, the services' Avro classes
 * trusted, their logging left to this module's logback.xml (warnings only, as in the local stack's main), and the given
 * settings as system properties while the services start (the local stack passes only its own settings on; Spring
 * reads system properties), restored afterwards.
 */
public final class BenchmarkStack {

    private BenchmarkStack() {
    }

    public static LocalStack start(Path data, Map<String, String> settings) throws Exception {
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.mediaplatform.events");
        Map<String, String> during = new LinkedHashMap<>(settings);
        during.put("org.springframework.boot.logging.LoggingSystem", "none");
        Map<String, String> previous = new HashMap<>();
        during.forEach((name, value) -> {
            previous.put(name, System.getProperty(name));
            System.setProperty(name, value);
        });
        try {
            return LocalStack.start(new LocalStackOptions(data, true, true, Map.copyOf(settings)));
        } finally {
            previous.forEach((name, value) -> {
                if (value == null) {
                    System.clearProperty(name);
                } else {
                    System.setProperty(name, value);
                }
            });
        }
    }

    /** Deletes a benchmark's temporary data directory, as far as it can. */
    public static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temp dir
        }
    }
}
