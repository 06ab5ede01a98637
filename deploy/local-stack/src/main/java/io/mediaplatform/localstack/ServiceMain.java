package io.mediaplatform.localstack;

import io.mediaplatform.callback.CallbackApplication;
import io.mediaplatform.dispatch.DispatchApplication;
import io.mediaplatform.ingest.IngestApplication;
import io.mediaplatform.validation.ValidationApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * One service of the local stack as its own JVM ({@link ServiceProcess}): {@code ServiceMain <ingest|validation|dispatch|callback>
 * <settings.properties>} runs that service's application builder with the settings the local stack computed for it,
 * logging like the local stack (its {@code LOCAL_STACK_LOG_DIR}), and exits when the JVM that started it is gone.
 */
public final class ServiceMain {

    private ServiceMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("Usage: ServiceMain <ingest|validation|dispatch|callback> <settings.properties>");
            System.exit(2);
        }
        SpringApplicationBuilder builder = builder(args[0]);
        Properties settings = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(args[1]))) {
            settings.load(in);
        }
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.mediaplatform.events");
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        // Belt and braces beside the parent's OrphanGuard watcher: no service outlives the stack that started it.
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(1)));
        builder.run(settings.stringPropertyNames().stream().sorted()
                .map(key -> "--" + key + "=" + settings.getProperty(key)).toArray(String[]::new));
    }

    static SpringApplicationBuilder builder(String service) {
        return switch (service) {
            case "ingest" -> IngestApplication.builder();
            case "validation" -> ValidationApplication.builder();
            case "dispatch" -> DispatchApplication.builder();
            case "callback" -> CallbackApplication.builder();
            default -> throw new IllegalArgumentException("unknown service " + service);
        };
    }
}
