package io.mediaplatform.localstack;

import io.mediaplatform.embedded.OrphanGuard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One service of the local stack in its own child JVM ({@link ServiceMain}), on this JVM's classpath, with the settings
 * the local stack computed for it (kept owner-only in {@code <data>/services/<name>.properties}); console output goes to
 * {@code <data>/logs/<name>/console.log}. It can be killed like a crashed instance ({@link #kill()}: SIGKILL) and
 * started again ({@link #start()}); an {@link OrphanGuard} watcher stops it should this JVM die.
 */
public final class ServiceProcess implements AutoCloseable {

    /** How long a start may take until the service's readiness probe answers UP. */
    public static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final String name;
    private final int port;
    private final Path settingsFile;
    private final Path logDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private Process watcher;

    /**
     * @param name     ingest, validation, dispatch or callback
     * @param port     its HTTP port (its readiness probe is {@code /actuator/health/readiness} there)
     * @param settings what the local stack runs it with
     * @param dataDir  the stack's data directory
     */
    ServiceProcess(String name, int port, Map<String, String> settings, Path dataDir) {
        this.name = name;
        this.port = port;
        this.settingsFile = dataDir.resolve("services").resolve(name + ".properties");
        this.logDir = dataDir.resolve("logs").resolve(name);
        Properties properties = new Properties();
        properties.putAll(settings);
        try {
            Files.createDirectories(settingsFile.getParent());
            Files.createDirectories(logDir);
            Files.deleteIfExists(settingsFile);
            Files.createFile(settingsFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer out = Files.newBufferedWriter(settingsFile)) {
                properties.store(out, "settings of " + name + " (written by the local stack)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + settingsFile, e);
        }
    }

    public String name() {
        return name;
    }

    /** Launches the JVM (returns at once; {@link #awaitReady()} waits for it). */
    public synchronized ServiceProcess launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " already runs (pid " + process.pid() + ")");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-XX:+UseSerialGC",
                "-DLOCAL_STACK_LOG_DIR=" + logDir,
                "-cp", System.getProperty("java.class.path"),
                ServiceMain.class.getName(), name, settingsFile.toString()));
        try {
            process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve("console.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        watcher = OrphanGuard.watch(process.pid(), STOP_GRACE).orElse(null);
        return this;
    }

    /** Waits until the readiness probe answers 200, or fails when the process ends or {@link #START_TIMEOUT} passes. */
    public ServiceProcess awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        while (true) {
            Process running;
            synchronized (this) {
                running = process;
            }
            if (running == null || !running.isAlive()) {
                throw new IllegalStateException(name + " exited while starting; see " + logDir);
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " was not ready within " + START_TIMEOUT + "; see " + logDir);
            }
            running.waitFor(250, TimeUnit.MILLISECONDS);
        }
    }

    /** {@link #launch()} and {@link #awaitReady()}. */
    public ServiceProcess start() throws InterruptedException {
        return launch().awaitReady();
    }

    /** A crash: SIGKILL, no shutdown hook, nothing drained or committed; returns once the process is gone. */
    public synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
        }
        dropWatcher();
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** A clean stop: SIGTERM (graceful shutdown), SIGKILL after 30 s. */
    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        dropWatcher();
    }

    private void dropWatcher() {
        if (watcher != null) {
            watcher.destroy();
            watcher = null;
        }
    }
}
