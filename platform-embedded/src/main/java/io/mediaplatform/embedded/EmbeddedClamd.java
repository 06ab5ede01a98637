package io.mediaplatform.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real ClamAV daemon: the machine's {@code clamd} (Debian package {@code clamav-daemon}) run as a child process in
 * the foreground, listening on a Unix socket or on a 127.0.0.1 TCP port, with a configuration of its own under a
 * data directory. Nothing is downloaded: unless {@link #withDatabaseDirectory another signature directory} is
 * given, its database is the platform's own test signature, one line {@code Test.EICAR:0:*:<hex>} in
 * {@code db/eicar.ndb} matching the EICAR anti-virus test string ({@link #eicar()}) anywhere in a file, which clamd
 * reports as {@value #EICAR_SIGNATURE}. It recognises that and nothing else: point the services at a clamd with
 * real signatures ({@code freshclam}) to catch real malware.
 *
 * <p>Layout under the data directory: {@code clamd.conf} (rewritten on every start), {@code db/eicar.ndb} (the
 * test signature, rewritten on every start when no other directory is given), {@code clamd.sock} (the Unix socket
 * when it listens on one), {@code tmp/} (clamd's temporary files), {@code clamd.log} (clamd's log file),
 * {@code clamd.out} (what the process prints) and {@code clamd.pid}. The log names every scan with its verdict
 * ({@code instream(...): OK}, {@code instream(...): Test.EICAR.UNOFFICIAL(<md5>:<size>) FOUND}).
 *
 * <p>{@link #start()} returns once clamd answers {@code PING} with {@code PONG} (with the single test signature that
 * takes well under a second). {@link #close()} sends SIGTERM, waits up to {@link #STOP_TIMEOUT}, then kills; a JVM
 * shutdown hook does the same if the caller never closes it (unless {@link #withoutShutdownHook()}), and an
 * {@link OrphanGuard} watcher stops clamd should this JVM be killed with {@code kill -9}. A clamd that an earlier
 * run left behind in the same data directory is stopped before the next start. After {@link #close()},
 * {@link #start()} brings it back on the same socket or port.
 */
public final class EmbeddedClamd implements AutoCloseable {

    /** Where Debian installs the daemon; otherwise {@code clamd} is looked for on the {@code PATH}. */
    public static final Path DEBIAN_BINARY = Path.of("/usr/sbin/clamd");
    /** How clamd names a match of the built-in test signature ({@code .UNOFFICIAL}: not one of ClamAV's own). */
    public static final String EICAR_SIGNATURE = "Test.EICAR.UNOFFICIAL";
    /** What to install where clamd is missing. */
    public static final String INSTALL_HINT = "apt install clamav-daemon";
    /** How long {@link #start()} waits for clamd to answer. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** How long {@link #close()} waits after SIGTERM before killing. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    /** Longest Unix socket path the kernel takes ({@code sun_path} holds 108 bytes with the terminating NUL). */
    public static final int MAX_SOCKET_PATH_BYTES = 107;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedClamd.class);

    private final Path dataDir;
    private final boolean unixSocket;
    private final int requestedPort;
    private Path databaseDirectory;
    private long streamMaxBytes = 100L << 20;
    private boolean registerShutdownHook = true;
    /** The running child with its safety nets (pid file, orphan watcher, shutdown hook), or null. */
    private ClamdProcess child;
    private int port;
    private Duration lastStartup;

    private EmbeddedClamd(Path dataDir, boolean unixSocket, int port) {
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
        Ports.checkRange(port);
        this.unixSocket = unixSocket;
        this.requestedPort = port;
        if (unixSocket && !fitsUnixSocket(dataDir)) {
            throw new IllegalArgumentException("the Unix socket path " + socketPath() + " is "
                    + socketPath().toString().getBytes(StandardCharsets.UTF_8).length + " bytes, longer than the kernel"
                    + " allows (" + MAX_SOCKET_PATH_BYTES + "): use a shorter data directory or a TCP port (onTcpPort)");
        }
    }

    /**
     * A clamd listening on the Unix socket {@code <dataDir>/clamd.sock}.
     *
     * @throws IllegalArgumentException when that path is longer than {@link #MAX_SOCKET_PATH_BYTES}
     * @see #fitsUnixSocket(Path)
     */
    public static EmbeddedClamd onUnixSocket(Path dataDir) {
        return new EmbeddedClamd(dataDir, true, 0);
    }

    /** A clamd listening on {@code 127.0.0.1:port}, or on a free port (kept across restarts) when it is 0. */
    public static EmbeddedClamd onTcpPort(Path dataDir, int port) {
        return new EmbeddedClamd(dataDir, false, port);
    }

    /** Whether {@code <dataDir>/clamd.sock} is short enough for a Unix socket. */
    public static boolean fitsUnixSocket(Path dataDir) {
        return dataDir.toAbsolutePath().normalize().resolve("clamd.sock").toString()
                .getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH_BYTES;
    }

    /** Whether a clamd binary is installed ({@value #INSTALL_HINT} brings it on Debian and Ubuntu). */
    public static boolean isAvailable() {
        return binary().isPresent();
    }

    /** The clamd binary: {@link #DEBIAN_BINARY}, else the first executable {@code clamd} on the {@code PATH}. */
    public static Optional<Path> binary() {
        if (Files.isExecutable(DEBIAN_BINARY)) {
            return Optional.of(DEBIAN_BINARY);
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(java.io.File.pathSeparator)).filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "clamd")).filter(Files::isExecutable).findFirst();
    }

    /** The EICAR anti-virus test string: {@link Eicar#text()}. */
    public static String eicar() {
        return Eicar.text();
    }

    /** The built-in database's one line: {@link Eicar#signatureLine()}. */
    public static String eicarSignatureLine() {
        return Eicar.signatureLine();
    }

    /**
     * Loads the signatures in {@code directory} ({@code .cvd}, {@code .cld}, {@code .ndb}, … as {@code freshclam}
     * leaves them in {@code /var/lib/clamav}) instead of the built-in EICAR test signature. Before {@link #start()}.
     */
    public synchronized EmbeddedClamd withDatabaseDirectory(Path directory) {
        this.databaseDirectory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
        return this;
    }

    /**
     * clamd's {@code StreamMaxLength}: the largest content it scans (default 100 MB); a larger one is answered
     * {@code INSTREAM size limit exceeded}. Before {@link #start()}.
     */
    public synchronized EmbeddedClamd withStreamMaxLength(long bytes) {
        if (bytes < 1 || bytes > 4_000L << 20) {
            throw new IllegalArgumentException("StreamMaxLength must be between 1 byte and 4000 MB: " + bytes);
        }
        this.streamMaxBytes = bytes;
        return this;
    }

    /**
     * Leaves stopping at JVM exit to the caller (which must then close this), so an orchestrator can stop clamd after
     * the services that use it rather than at the same time.
     */
    public synchronized EmbeddedClamd withoutShutdownHook() {
        this.registerShutdownHook = false;
        return this;
    }

    /**
     * Writes the configuration (and the test signature), starts clamd and waits until it answers {@code PING}.
     *
     * @return this server
     * @throws IllegalStateException when clamd is not installed, the socket or port is in use, or clamd exits or
     *                               does not answer within {@link #START_TIMEOUT}; the message ends with its log
     */
    public synchronized EmbeddedClamd start() {
        if (child != null) {
            throw new IllegalStateException("clamd already started at " + address());
        }
        Path binary = binary().orElseThrow(() -> new IllegalStateException(
                "clamd is not installed (no " + DEBIAN_BINARY + " and no clamd on the PATH): " + INSTALL_HINT));
        long began = System.nanoTime();
        // A clamd an earlier run left behind (its JVM killed before the watcher existed, or the watcher killed too).
        OrphanGuard.killLeftover(layout().pidFile(), layout().configFile().toString(), STOP_TIMEOUT);
        if (port == 0) {
            port = unixSocket ? 0 : Ports.orFree(requestedPort);
        }
        child = ClamdProcess.start(binary, layout(), databaseDirectory, streamMaxBytes, registerShutdownHook);
        Process started = child.process();
        lastStartup = Duration.ofNanos(System.nanoTime() - began);
        log.info("clamd ready at {} in {} ms (pid {}, {}, data in {})", address(), lastStartup.toMillis(), started.pid(),
                databaseDirectory == null ? "EICAR test signature only" : "signatures from " + databaseDirectory, dataDir);
        return this;
    }

    /** Stops clamd when it runs and starts it again on the same socket or port. */
    public synchronized EmbeddedClamd restart() {
        close();
        return start();
    }

    /** Stops clamd: SIGTERM, up to {@link #STOP_TIMEOUT} for it to exit, then kill. The data directory stays. */
    @Override
    public synchronized void close() {
        if (child == null) {
            return;
        }
        child.stop();
        Process process = child.process();
        log.info("clamd at {} stopped{}", address(),
                process.isAlive() ? " (still exiting)" : " (exit " + process.exitValue() + ")");
        child = null;
    }

    /** Whether the clamd process runs. */
    public synchronized boolean isAlive() {
        return child != null && child.process().isAlive();
    }

    /** The clamd process's pid; valid once started. */
    public synchronized long pid() {
        return running().pid();
    }

    /** Whether it listens on a Unix socket (else on a TCP port). */
    public boolean isUnixSocket() {
        return unixSocket;
    }

    /** The Unix socket ({@code <dataDir>/clamd.sock}), when it listens on one. */
    public Optional<Path> socket() {
        return unixSocket ? Optional.of(socketPath()) : Optional.empty();
    }

    /** {@code 127.0.0.1}, where the TCP listener is. */
    public String host() {
        return InetAddress.getLoopbackAddress().getHostAddress();
    }

    /** The TCP port; valid once started on a TCP port. */
    public synchronized int port() {
        if (unixSocket) {
            throw new IllegalStateException("clamd listens on the Unix socket " + socketPath() + ", not on a TCP port");
        }
        if (port == 0) {
            throw new IllegalStateException("clamd not started");
        }
        return port;
    }

    /** {@code unix:<socket>} or {@code 127.0.0.1:<port>}, as the validation service's scanner names it. */
    public synchronized String address() {
        return unixSocket ? "unix:" + socketPath() : host() + ":" + (port == 0 ? requestedPort : port);
    }

    /**
     * The settings that point the validation service at this clamd: {@code CLAMAV_SOCKET}, or {@code CLAMAV_HOST}
     * and {@code CLAMAV_PORT}; valid once started.
     */
    public synchronized Map<String, String> clientEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        if (unixSocket) {
            env.put("CLAMAV_SOCKET", socketPath().toString());
        } else {
            env.put("CLAMAV_HOST", host());
            env.put("CLAMAV_PORT", String.valueOf(port()));
        }
        return env;
    }

    /** What the database holds, for summaries: the built-in EICAR test signature or the directory given. */
    public synchronized String signatures() {
        return databaseDirectory == null ? "EICAR test signature only" : "signatures from " + databaseDirectory;
    }

    /** How long the last {@link #start()} took until clamd answered; empty before the first. */
    public synchronized Optional<Duration> startupTime() {
        return Optional.ofNullable(lastStartup);
    }

    /** The data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** clamd's own log file. */
    public Path logFile() {
        return dataDir.resolve("clamd.log");
    }

    // ---------------------------------------------------------------- internals

    private Path socketPath() {
        return dataDir.resolve("clamd.sock");
    }

    private ClamdProcess.Layout layout() {
        return new ClamdProcess.Layout(dataDir, unixSocket ? socketPath() : null, host(), port, address());
    }

    private Process running() {
        if (child == null) {
            throw new IllegalStateException("clamd not started");
        }
        return child.process();
    }
}
