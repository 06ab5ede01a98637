package io.mediaplatform.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
    private static final int LOG_TAIL_LINES = 30;

    private final Path dataDir;
    private final boolean unixSocket;
    private final int requestedPort;
    private Path databaseDirectory;
    private long streamMaxBytes = 100L << 20;
    private boolean registerShutdownHook = true;
    private Process process;
    /** Stops clamd should this JVM die without closing it (kill -9); see {@link OrphanGuard}. */
    private Process watcher;
    private Thread shutdownHook;
    private int port;
    private Duration lastStartup;

    private EmbeddedClamd(Path dataDir, boolean unixSocket, int port) {
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.unixSocket = unixSocket;
        this.requestedPort = port;
        if (unixSocket) {
            int length = socketPath().toString().getBytes(StandardCharsets.UTF_8).length;
            if (length > MAX_SOCKET_PATH_BYTES) {
                throw new IllegalArgumentException("the Unix socket path " + socketPath() + " is " + length
                        + " bytes, longer than the kernel allows (" + MAX_SOCKET_PATH_BYTES + "): use a shorter data "
                        + "directory or a TCP port (onTcpPort)");
            }
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

    /**
     * The EICAR anti-virus test string (68 bytes, harmless by design), assembled at run time from two halves so that
     * no file in the repository or in a built jar carries it and trips a real scanner.
     */
    public static String eicar() {
        return "X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-" + "TEST-FILE!$H+H*";
    }

    /** The built-in database's one line: an {@code .ndb} body signature of {@link #eicar()} at any offset. */
    public static String eicarSignatureLine() {
        return "Test.EICAR:0:*:" + HexFormat.of().formatHex(eicar().getBytes(StandardCharsets.US_ASCII)) + "\n";
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
        if (process != null) {
            throw new IllegalStateException("clamd already started at " + address());
        }
        Path binary = binary().orElseThrow(() -> new IllegalStateException(
                "clamd is not installed (no " + DEBIAN_BINARY + " and no clamd on the PATH): " + INSTALL_HINT));
        long began = System.nanoTime();
        // A clamd an earlier run left behind (its JVM killed before the watcher existed, or the watcher killed too).
        OrphanGuard.killLeftover(pidFile(), configFile().toString(), STOP_TIMEOUT);
        if (port == 0) {
            port = unixSocket ? 0 : Ports.orFree(requestedPort);
        }
        try {
            Files.createDirectories(dataDir.resolve("tmp"));
            claimAddress();
            writeConfiguration();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the clamd data directory " + dataDir, e);
        }
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "-c", configFile().toString())
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile().toFile()));
        Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch " + binary, e);
        }
        process = started;
        OrphanGuard.writePid(pidFile(), started.pid());
        watcher = OrphanGuard.watch(started.pid(), STOP_TIMEOUT).orElse(null);
        if (registerShutdownHook) {
            shutdownHook = new Thread(() -> stop(started), "embedded-clamd-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        try {
            awaitReady();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
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
        if (process == null) {
            return;
        }
        stop(process);
        if (watcher != null) {
            watcher.destroy();
            watcher = null;
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down already; the hook does the same
            }
            shutdownHook = null;
        }
        log.info("clamd at {} stopped{}", address(),
                process.isAlive() ? " (still exiting)" : " (exit " + process.exitValue() + ")");
        process = null;
    }

    /** Whether the clamd process runs. */
    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
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

    private Path configFile() {
        return dataDir.resolve("clamd.conf");
    }

    private Path pidFile() {
        return dataDir.resolve("clamd.pid");
    }

    private Path outputFile() {
        return dataDir.resolve("clamd.out");
    }

    private Process running() {
        if (process == null) {
            throw new IllegalStateException("clamd not started");
        }
        return process;
    }

    /** Fails when something listens where clamd should; removes a socket file a killed clamd left. */
    private void claimAddress() throws IOException {
        if (unixSocket) {
            if (Files.exists(socketPath())) {
                if (answersPing()) {
                    throw new IllegalStateException("clamd cannot listen on " + socketPath()
                            + ": another clamd answers there");
                }
                Files.delete(socketPath());
            }
        } else if (!Ports.isFree(port)) {
            throw new IllegalStateException("clamd cannot listen on 127.0.0.1:" + port + ": the port is already in use");
        }
    }

    private void writeConfiguration() throws IOException {
        Path database = databaseDirectory;
        if (database == null) {
            database = Files.createDirectories(dataDir.resolve("db"));
            Files.writeString(database.resolve("eicar.ndb"), eicarSignatureLine(), StandardCharsets.US_ASCII);
        } else if (!Files.isDirectory(database)) {
            throw new IllegalStateException("the clamd signature directory " + database + " does not exist");
        }
        StringBuilder conf = new StringBuilder("# Written by ").append(EmbeddedClamd.class.getName())
                .append(" on every start.\n")
                .append("DatabaseDirectory ").append(database).append('\n')
                .append("TemporaryDirectory ").append(dataDir.resolve("tmp")).append('\n')
                .append("LogFile ").append(logFile()).append('\n')
                .append("LogTime yes\n")
                .append("LogFileMaxSize 2M\n")
                .append("LogRotate yes\n")
                // every scan is logged, clean ones too: the log shows what was scanned and what clamd said
                .append("LogClean yes\n")
                .append("Foreground yes\n")
                .append("StreamMaxLength ").append(streamMaxBytes % (1 << 20) == 0
                        ? (streamMaxBytes >> 20) + "M" : String.valueOf(streamMaxBytes)).append('\n');
        if (unixSocket) {
            conf.append("LocalSocket ").append(socketPath()).append('\n')
                    .append("LocalSocketMode 600\n");
        } else {
            conf.append("TCPSocket ").append(port).append('\n')
                    .append("TCPAddr ").append(host()).append('\n');
        }
        if ("root".equals(System.getProperty("user.name"))) {
            // Debian's clamd would otherwise switch to the clamav user, who cannot read this directory.
            conf.append("User root\n");
        }
        Files.writeString(configFile(), conf, StandardCharsets.US_ASCII);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("clamd exited with code " + process.exitValue()
                        + " before it answered at " + address() + logTail());
            }
            if (answersPing()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for clamd", e);
            }
        }
        throw new IllegalStateException("clamd did not answer at " + address() + " within " + START_TIMEOUT + logTail());
    }

    /** Whether clamd answers {@code zPING} with {@code PONG} at its address. */
    private boolean answersPing() {
        try {
            if (unixSocket) {
                try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socketPath()))) {
                    return ping(Channels.newOutputStream(channel), Channels.newInputStream(channel));
                }
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host(), port), 500);
                socket.setSoTimeout(2_000);
                return ping(socket.getOutputStream(), socket.getInputStream());
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean ping(OutputStream out, InputStream in) throws IOException {
        out.write("zPING\0".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) > 0 && reply.size() < 64) {
            reply.write(b);
        }
        return reply.toString(StandardCharsets.US_ASCII).trim().equals("PONG");
    }

    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("clamd (pid {}) did not stop within {}; killing it", process.pid(), STOP_TIMEOUT);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String logTail() {
        StringBuilder tail = new StringBuilder();
        for (Path file : List.of(outputFile(), logFile())) {
            try (SeekableByteChannel channel = Files.newByteChannel(file)) {
                long size = channel.size();
                ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size, 16 * 1024));
                channel.position(size - buffer.capacity());
                while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                    // fill the buffer with the end of the file
                }
                List<String> lines = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).lines().toList();
                if (!lines.isEmpty()) {
                    tail.append("; last lines of ").append(file).append(":\n")
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())));
                }
            } catch (IOException e) {
                // no such file yet
            }
        }
        return tail.isEmpty() ? "; clamd wrote no log in " + dataDir : tail.toString();
    }
}
