package io.mediaplatform.embedded;

import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Apache Kafka's own broker, in KRaft combined mode (broker and controller, node 1), run as a child JVM so the
 * local stack uses the real server with its data kept on disk. The child runs {@code kafka.Kafka} from the
 * caller's classpath, which must therefore hold {@code org.apache.kafka:kafka_2.13} and {@code kafka-tools}
 * (this class has no compile-time dependency on them). A flat classpath is needed (IDE, {@code java -cp},
 * Maven); a Spring Boot fat jar's {@code java.class.path} does not list its nested jars, so pass the classpath
 * explicitly there.
 *
 * <p>Layout under the data directory: {@code server.properties} (rewritten on every start),
 * {@code kraft-logs/} (the log dir, formatted with {@code kafka.tools.StorageTool} the first time only) and
 * {@code kafka.log} (everything the child prints). Topics are never auto-created; new topics get 3 partitions;
 * internal topics use replication factor 1.
 *
 * <p>{@link #close()} sends SIGTERM, waits up to 15 s for a clean shutdown, then kills; a JVM shutdown hook does
 * the same if the caller never closes it. The data stays: {@link #restart()} (or {@link #start()} on the same
 * directory) brings the broker back with its topics, records and consumer offsets.
 */
public final class KafkaServerProcess implements AutoCloseable {

    /** How long {@link #start()} waits for the broker to answer. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** How long {@link #close()} waits after SIGTERM before killing. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private static final Logger log = LoggerFactory.getLogger(KafkaServerProcess.class);
    private static final int LOG_TAIL_LINES = 40;

    private final Path dataDir;
    private final int requestedPort;
    private final int requestedControllerPort;
    private final Map<String, String> extraProperties;
    private final String classpath;
    private Process process;
    /** Stops the broker should this JVM die without closing it (kill -9); see {@link OrphanGuard}. */
    private Process watcher;
    private Thread shutdownHook;
    private boolean registerShutdownHook = true;
    private int port;
    private int controllerPort;

    /**
     * A broker run from this JVM's classpath.
     *
     * @param dataDir        directory for the configuration, the log dir and the output (created if absent)
     * @param port           client listener port on 127.0.0.1, or 0 for a free one
     * @param controllerPort KRaft controller listener port on 127.0.0.1, or 0 for a free one
     */
    public KafkaServerProcess(Path dataDir, int port, int controllerPort) {
        this(dataDir, port, controllerPort, Map.of(), System.getProperty("java.class.path"));
    }

    /**
     * @param dataDir         directory for the configuration, the log dir and the output (created if absent)
     * @param port            client listener port on 127.0.0.1, or 0 for a free one
     * @param controllerPort  KRaft controller listener port on 127.0.0.1, or 0 for a free one
     * @param extraProperties broker properties added to (or replacing) the generated ones
     * @param classpath       classpath of the child JVM; must hold kafka_2.13 and kafka-tools
     */
    public KafkaServerProcess(Path dataDir, int port, int controllerPort, Map<String, String> extraProperties, String classpath) {
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath();
        Ports.checkRange(port);
        Ports.checkRange(controllerPort);
        this.requestedPort = port;
        this.requestedControllerPort = controllerPort;
        this.extraProperties = Map.copyOf(extraProperties);
        this.classpath = Objects.requireNonNull(classpath, "classpath");
    }

    /**
     * Leaves stopping at JVM exit to the caller (which must then close this), so an orchestrator can stop the
     * broker after the clients that use it rather than at the same time.
     */
    public synchronized KafkaServerProcess withoutShutdownHook() {
        this.registerShutdownHook = false;
        return this;
    }

    /**
     * Formats the storage if it never was, starts the broker and waits until it answers an admin request.
     *
     * @return this server
     * @throws IllegalStateException when a port is in use, formatting fails, or the broker does not answer
     *                               within {@link #START_TIMEOUT}; the message ends with the tail of the log
     */
    public synchronized KafkaServerProcess start() {
        if (process != null) {
            throw new IllegalStateException("Kafka already started at " + bootstrapServers());
        }
        port = Ports.orFree(requestedPort);
        controllerPort = Ports.orFree(requestedControllerPort);
        if (controllerPort == port) {
            controllerPort = Ports.orFree(0);
        }
        return launchAndAwait();
    }

    /**
     * Starts the broker again on the same data directory and on the ports of its previous start (also when they
     * were picked free), so clients keep their bootstrap address across the restart; stops it first when it
     * runs. Before any start it is {@link #start()}. Connections the previous run closed may linger in TIME_WAIT
     * on those ports; that does not keep the broker from binding them.
     *
     * @return this server
     * @throws IllegalStateException as {@link #start()}, e.g. when another process took a port meanwhile
     */
    public synchronized KafkaServerProcess restart() {
        if (port == 0) {
            return start();
        }
        close();
        return launchAndAwait();
    }

    private KafkaServerProcess launchAndAwait() {
        // A broker an earlier run left behind (its JVM killed before the watcher existed, or the watcher killed too).
        OrphanGuard.killLeftover(pidFile(), "kafka.Kafka", STOP_TIMEOUT);
        for (int p : List.of(port, controllerPort)) {
            if (!Ports.isFree(p)) {
                throw new IllegalStateException("Kafka cannot listen on 127.0.0.1:" + p + ": the port is already in use");
            }
        }
        try {
            Files.createDirectories(logDir());
            KafkaConfiguration.write(dataDir, serverProperties(), logDir(), port, controllerPort, extraProperties);
            if (!Files.exists(logDir().resolve("meta.properties"))) {
                format();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka data directory " + dataDir, e);
        }
        Process started = launch(List.of("kafka.Kafka", serverProperties().toString()));
        process = started;
        watcher = ChildProcesses.guard(started, pidFile(), STOP_TIMEOUT);
        if (registerShutdownHook) {
            shutdownHook = ChildProcesses.onShutdown(() -> ChildProcesses.stop(started, STOP_TIMEOUT, "Kafka"),
                    "kafka-server-process-shutdown");
        }
        try {
            KafkaReadiness.await(started, port, START_TIMEOUT, this::logTail);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.info("Kafka broker ready at {} (pid {}, data in {})", bootstrapServers(), process.pid(), dataDir);
        return this;
    }

    /** {@code 127.0.0.1:<port>}; valid once started. */
    public synchronized String bootstrapServers() {
        return "127.0.0.1:" + port();
    }

    /** Client listener port; valid once started. */
    public synchronized int port() {
        if (process == null) {
            throw new IllegalStateException("Kafka not started");
        }
        return port;
    }

    /** Controller listener port; valid once started. */
    public synchronized int controllerPort() {
        port();
        return controllerPort;
    }

    /** Whether the child process runs. */
    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** File receiving the child's output. */
    public Path logFile() {
        return dataDir.resolve("kafka.log");
    }

    /** The data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker: SIGTERM, up to {@link #STOP_TIMEOUT} for a clean shutdown, then kill. Data stays. */
    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        ChildProcesses.stop(process, STOP_TIMEOUT, "Kafka");
        ChildProcesses.release(watcher, shutdownHook);
        watcher = null;
        log.info("Kafka broker at 127.0.0.1:{} stopped{}", port,
                process.isAlive() ? " (still exiting)" : " (exit " + process.exitValue() + ")");
        process = null;
        shutdownHook = null;
    }

    // ---------------------------------------------------------------- internals

    private Path pidFile() {
        return dataDir.resolve("kafka.pid");
    }

    private Path logDir() {
        return dataDir.resolve("kraft-logs");
    }

    private Path serverProperties() {
        return dataDir.resolve("server.properties");
    }

    private void format() {
        String clusterId = Uuid.randomUuid().toString();
        log.info("Formatting Kafka storage in {} (cluster id {})", logDir(), clusterId);
        Process formatter = launch(List.of("kafka.tools.StorageTool", "format", "-t", clusterId,
                "-c", serverProperties().toString()));
        try {
            if (!formatter.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                formatter.destroyForcibly();
                throw new IllegalStateException("Kafka storage format did not finish within " + START_TIMEOUT + logTail());
            }
        } catch (InterruptedException e) {
            formatter.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting the Kafka storage", e);
        }
        if (formatter.exitValue() != 0) {
            throw new IllegalStateException("Kafka storage format failed with exit code " + formatter.exitValue()
                    + " (is kafka_2.13 with kafka-tools on the classpath?)" + logTail());
        }
    }

    private Process launch(List<String> mainAndArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xms128m", "-Xmx1g", "-XX:+UseG1GC", "-Djava.awt.headless=true",
                "-Djava.net.preferIPv4Stack=true",
                "-Dkafka.logs.dir=" + dataDir,
                "-Dlogback.configurationFile=" + dataDir.resolve("logback.xml"),
                "-Dlog4j2.configurationFile=" + dataDir.resolve("log4j2.xml"),
                "-cp", classpath));
        command.addAll(mainAndArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
        builder.environment().remove("CLASSPATH");
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch " + command.getFirst(), e);
        }
    }

    private String logTail() {
        try {
            return "; last lines of " + logFile() + ":\n"
                    + String.join("\n", ChildProcesses.lastLines(logFile(), 64 * 1024, LOG_TAIL_LINES));
        } catch (IOException e) {
            return "; no log at " + logFile();
        }
    }

}
