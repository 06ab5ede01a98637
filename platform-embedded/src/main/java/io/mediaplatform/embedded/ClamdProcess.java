package io.mediaplatform.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One run of the clamd child process: its address claimed, its configuration written, the process launched with its
 * pid file, orphan watcher and shutdown hook and awaited until it answers; then stopped.
 */
final class ClamdProcess {

    private static final int LOG_TAIL_LINES = 30;

    /** Where one clamd keeps its files under its data directory, and where it listens (a Unix socket, or not null). */
    record Layout(Path dataDir, Path socket, String host, int port, String address) {
        Path configFile() {
            return dataDir.resolve("clamd.conf");
        }

        Path pidFile() {
            return dataDir.resolve("clamd.pid");
        }

        Path outputFile() {
            return dataDir.resolve("clamd.out");
        }

        Path logFile() {
            return dataDir.resolve("clamd.log");
        }

        ClamdProbe probe() {
            return new ClamdProbe(socket, host, port, address);
        }
    }

    private final Process process;
    private final Process watcher;
    private final Thread shutdownHook;

    private ClamdProcess(Process process, Process watcher, Thread shutdownHook) {
        this.process = process;
        this.watcher = watcher;
        this.shutdownHook = shutdownHook;
    }

    /**
     * Launches {@code binary} in that layout and waits until it answers; a failed start is stopped again.
     *
     * @param databaseDirectory signatures to load, or null for the built-in EICAR test signature
     */
    static ClamdProcess start(Path binary, Layout layout, Path databaseDirectory, long streamMaxBytes,
                              boolean registerShutdownHook) {
        try {
            Files.createDirectories(layout.dataDir().resolve("tmp"));
            claimAddress(layout);
            ClamdConfiguration.write(layout.dataDir(), databaseDirectory, streamMaxBytes, layout.socket(),
                    layout.host(), layout.port(), layout.logFile(), layout.configFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the clamd data directory " + layout.dataDir(), e);
        }
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "-c", layout.configFile().toString())
                .directory(layout.dataDir().toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.outputFile().toFile()));
        Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch " + binary, e);
        }
        Process watcher = ChildProcesses.guard(started, layout.pidFile(), EmbeddedClamd.STOP_TIMEOUT);
        Thread hook = registerShutdownHook ? ChildProcesses.onShutdown(() -> ChildProcesses.stop(started,
                EmbeddedClamd.STOP_TIMEOUT, "clamd"), "embedded-clamd-shutdown") : null;
        ClamdProcess running = new ClamdProcess(started, watcher, hook);
        try {
            layout.probe().await(started, EmbeddedClamd.START_TIMEOUT, () -> logTail(layout));
        } catch (RuntimeException e) {
            running.stop();
            throw e;
        }
        return running;
    }

    Process process() {
        return process;
    }

    /** SIGTERM, up to {@link EmbeddedClamd#STOP_TIMEOUT} for it to exit, then kill; the safety nets removed. */
    void stop() {
        ChildProcesses.stop(process, EmbeddedClamd.STOP_TIMEOUT, "clamd");
        ChildProcesses.release(watcher, shutdownHook);
    }

    /** Fails when something listens where clamd should; removes a socket file a killed clamd left. */
    private static void claimAddress(Layout layout) throws IOException {
        if (layout.socket() != null) {
            if (Files.exists(layout.socket())) {
                if (layout.probe().answersPing()) {
                    throw new IllegalStateException("clamd cannot listen on " + layout.socket()
                            + ": another clamd answers there");
                }
                Files.delete(layout.socket());
            }
        } else if (!Ports.isFree(layout.port())) {
            throw new IllegalStateException("clamd cannot listen on 127.0.0.1:" + layout.port()
                    + ": the port is already in use");
        }
    }

    private static String logTail(Layout layout) {
        StringBuilder tail = new StringBuilder();
        for (Path file : List.of(layout.outputFile(), layout.logFile())) {
            try {
                List<String> lines = ChildProcesses.lastLines(file, 16 * 1024, LOG_TAIL_LINES);
                if (!lines.isEmpty()) {
                    tail.append("; last lines of ").append(file).append(":\n").append(String.join("\n", lines));
                }
            } catch (IOException e) {
                // no such file yet
            }
        }
        return tail.isEmpty() ? "; clamd wrote no log in " + layout.dataDir() : tail.toString();
    }
}
