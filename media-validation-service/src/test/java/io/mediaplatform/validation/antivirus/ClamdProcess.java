package io.mediaplatform.validation.antivirus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;

import static org.awaitility.Awaitility.await;

/**
 * A real ClamAV daemon for tests, started from {@code /usr/sbin/clamd} (Debian package clamav-daemon) with a
 * temporary configuration whose database holds one custom signature: the EICAR test string (built here from
 * two halves so no file in the repository carries it). Listens on 127.0.0.1 on a free port.
 */
public final class ClamdProcess {

    /** clamd's StreamMaxLength here, in MB: small, so the test of a media too large to scan stays small. */
    public static final int STREAM_MAX_MB = 4;

    /** Where Debian installs the daemon. */
    public static final Path BINARY = Path.of("/usr/sbin/clamd");

    private final Path dir;
    private final int port;
    private Process process;

    private ClamdProcess(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Whether the clamd binary is installed. */
    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** The EICAR anti-virus test string, assembled at run time. */
    public static String eicar() {
        return "X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-" + "TEST-FILE!$H+H*";
    }

    /** Writes the configuration and signature database and starts clamd, waiting until it listens. */
    public static ClamdProcess start() {
        try {
            Path dir = Files.createTempDirectory("clamd-test-");
            Path db = Files.createDirectories(dir.resolve("db"));
            Files.writeString(db.resolve("eicar.ndb"),
                    "Test.EICAR:0:*:" + HexFormat.of().formatHex(eicar().getBytes(StandardCharsets.US_ASCII)) + "\n");
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            StringBuilder conf = new StringBuilder()
                    .append("DatabaseDirectory ").append(db).append('\n')
                    .append("TCPSocket ").append(port).append('\n')
                    .append("TCPAddr 127.0.0.1\n")
                    .append("Foreground yes\n")
                    .append("StreamMaxLength ").append(STREAM_MAX_MB).append("M\n")
                    .append("LogFile ").append(dir.resolve("clamd.log")).append('\n');
            if ("root".equals(System.getProperty("user.name"))) {
                conf.append("User root\n");
            }
            Files.writeString(dir.resolve("clamd.conf"), conf);
            ClamdProcess clamd = new ClamdProcess(dir, port);
            clamd.launch();
            Runtime.getRuntime().addShutdownHook(new Thread(clamd::stop, "clamd-test-shutdown"));
            return clamd;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the daemon again (same port and database) after {@link #stop()}. */
    public synchronized void launch() {
        try {
            process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("clamd.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("clamd.out").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(this::listening);
    }

    /** Stops the daemon (the process this object started) and waits until the port is closed. */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> !listening());
    }

    public int port() {
        return port;
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
