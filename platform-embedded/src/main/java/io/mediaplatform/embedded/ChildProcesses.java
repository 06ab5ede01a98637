package io.mediaplatform.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the embedded servers run as child processes (the Kafka broker, clamd) share: stopping one gently, then for
 * good, and reading the last lines of what it wrote, for the error that says why it did not start.
 */
final class ChildProcesses {

    private static final Logger log = LoggerFactory.getLogger(ChildProcesses.class);

    private ChildProcesses() {
    }

    /** SIGTERM, up to {@code timeout} for a clean exit, then kill; {@code name} is for the warning. */
    static void stop(Process process, Duration timeout, String name) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("{} (pid {}) did not stop within {}; killing it", name, process.pid(), timeout);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@code lines} lines within the last {@code maxBytes} bytes of a file. */
    static List<String> lastLines(Path file, int maxBytes, int lines) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            long size = channel.size();
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size, maxBytes));
            channel.position(size - buffer.capacity());
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // fill the buffer with the end of the file
            }
            List<String> all = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).lines().toList();
            return all.subList(Math.max(0, all.size() - lines), all.size());
        }
    }

    /** Writes the child's pid file and starts its orphan watcher ({@link OrphanGuard}); the watcher, or null. */
    static Process guard(Process child, Path pidFile, Duration stopTimeout) {
        OrphanGuard.writePid(pidFile, child.pid());
        return OrphanGuard.watch(child.pid(), stopTimeout).orElse(null);
    }

    /** A JVM shutdown hook running {@code stop}, registered. */
    static Thread onShutdown(Runnable stop, String threadName) {
        Thread hook = new Thread(stop, threadName);
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Stops the orphan watcher and removes the shutdown hook, either of them null when there is none. */
    static void release(Process watcher, Thread shutdownHook) {
        if (watcher != null) {
            watcher.destroy();
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down already; the hook does the same
            }
        }
    }
}
