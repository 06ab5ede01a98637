package io.mediaplatform.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Keeps a server this JVM started (the Kafka broker, PostgreSQL, clamd) from outliving it. A clean stop closes the server
 * itself; a {@code kill -9} of the JVM cannot, so each server gets a watcher: a tiny {@code sh} loop, started beside
 * it, that waits for this JVM to disappear and then stops the server (SIGTERM, then SIGKILL after a grace period).
 * The watcher is reparented to init when the JVM dies, so it outlives it by design and ends with the server.
 *
 * <p>Belt and braces for the next start: {@link #killLeftover} stops a server that an earlier run left behind in the
 * same data directory (recorded in a pid file) before the new one binds its port.
 */
public final class OrphanGuard {

    private static final Logger log = LoggerFactory.getLogger(OrphanGuard.class);

    private OrphanGuard() {
    }

    /**
     * Starts the watcher for {@code pid}: once this JVM is gone, the process gets SIGTERM, and SIGKILL when it is
     * still alive after {@code grace}. Destroy the returned watcher after stopping the server normally. Empty where
     * no {@code sh} is available (the guard is then only {@link #killLeftover}).
     */
    public static Optional<Process> watch(long pid, Duration grace) {
        return watch(ProcessHandle.current().pid(), pid, grace);
    }

    /** {@link #watch(long, Duration)} for the death of {@code parent} instead of this JVM's. */
    static Optional<Process> watch(long parent, long pid, Duration grace) {
        long jvm = parent;
        String script = "while kill -0 " + jvm + " 2>/dev/null; do sleep 1; done; "
                + "kill -TERM " + pid + " 2>/dev/null; i=0; "
                + "while kill -0 " + pid + " 2>/dev/null && [ $i -lt " + Math.max(1, grace.toSeconds()) + " ]; do sleep 1; i=$((i+1)); done; "
                + "kill -KILL " + pid + " 2>/dev/null; exit 0";
        try {
            Process watcher = new ProcessBuilder(List.of("sh", "-c", script))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return Optional.of(watcher);
        } catch (IOException e) {
            log.warn("No watcher for pid {} ({}): a kill -9 of this JVM would leave it running", pid, e.getMessage());
            return Optional.empty();
        }
    }

    /** Writes {@code pid} to {@code pidFile} (one line), for {@link #killLeftover} at the next start. */
    public static void writePid(Path pidFile, long pid) {
        try {
            Files.writeString(pidFile, pid + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + pidFile, e);
        }
    }

    /**
     * Stops the process named on the first line of {@code pidFile} when it is still alive and its command line
     * contains {@code commandMarker} (so a recycled pid of an unrelated process is never touched): SIGTERM, then
     * SIGKILL after {@code grace}. Returns whether such a process was found.
     */
    public static boolean killLeftover(Path pidFile, String commandMarker, Duration grace) {
        Optional<ProcessHandle> leftover = readPid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().commandLine().map(c -> c.contains(commandMarker)).orElse(false));
        if (leftover.isEmpty()) {
            return false;
        }
        ProcessHandle process = leftover.get();
        log.warn("A {} process (pid {}) of an earlier run still holds {}; stopping it", commandMarker, process.pid(),
                pidFile.getParent());
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            try {
                process.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported by the caller's own start failing
            }
        }
        return true;
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.getFirst().trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
