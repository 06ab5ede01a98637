package io.mediaplatform.embedded;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The machine's real clamd, with the platform's EICAR test signature or another database. */
class EmbeddedClamdTest {

    @TempDir
    Path dir;

    private final List<EmbeddedClamd> started = new ArrayList<>();
    private final List<ProcessHandle> processes = new ArrayList<>();

    @BeforeEach
    void needsClamd() {
        assumeTrue(EmbeddedClamd.isAvailable(),
                "clamd is not installed (" + EmbeddedClamd.DEBIAN_BINARY + ": " + EmbeddedClamd.INSTALL_HINT + "): skipped");
    }

    @AfterEach
    void stop() {
        started.forEach(EmbeddedClamd::close);
        processes.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void on_a_unix_socket_it_finds_the_eicar_test_string_passes_clean_content_and_closes_cleanly() throws Exception {
        // Given clamd on a Unix socket with the built-in database
        EmbeddedClamd clamd = start(EmbeddedClamd.onUnixSocket(dir));
        Path socket = clamd.socket().orElseThrow();
        assertThat(socket).isEqualTo(dir.resolve("clamd.sock"));
        assertThat(clamd.address()).isEqualTo("unix:" + socket);
        assertThat(clamd.clientEnvironment()).containsExactly(java.util.Map.entry("CLAMAV_SOCKET", socket.toString()));
        assertThat(Files.readString(dir.resolve("db/eicar.ndb"))).isEqualTo(EmbeddedClamd.eicarSignatureLine());
        assertThat(clamd.startupTime()).isPresent();

        // Then the EICAR string inside a document is found under the test signature's name, clean bytes are OK
        byte[] infected = ("notes\n" + EmbeddedClamd.eicar() + "\nmore notes\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(scanUnix(socket, infected)).isEqualTo("stream: " + EmbeddedClamd.EICAR_SIGNATURE + " FOUND");
        assertThat(scanUnix(socket, "just text\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo("stream: OK");

        // When it is closed
        long pid = clamd.pid();
        clamd.close();

        // Then the process is gone and so is its socket
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(clamd.isAlive()).isFalse();
        assertThat(socket).doesNotExist();
    }

    @Test
    void on_a_free_tcp_port_it_restarts_on_the_same_port_and_applies_its_stream_limit() throws Exception {
        // Given clamd on a free loopback port scanning at most 1 MB
        EmbeddedClamd clamd = start(EmbeddedClamd.onTcpPort(dir, 0).withStreamMaxLength(1 << 20));
        int port = clamd.port();
        assertThat(clamd.clientEnvironment()).containsEntry("CLAMAV_HOST", "127.0.0.1").containsEntry("CLAMAV_PORT", String.valueOf(port));
        assertThat(scanTcp(port, EmbeddedClamd.eicar().getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("stream: " + EmbeddedClamd.EICAR_SIGNATURE + " FOUND");

        // When it is stopped
        clamd.close();
        // Then nobody answers on the port
        assertThat(Ports.isFree(port)).isTrue();

        // When it is started again
        clamd.start();
        // Then it is back on the same port, and larger content is refused as over its limit rather than passed
        assertThat(clamd.port()).isEqualTo(port);
        assertThat(scanTcp(port, new byte[(1 << 20) + 4096])).contains("size limit exceeded");
    }

    @Test
    void with_another_database_directory_it_uses_those_signatures_instead_of_the_eicar_one() throws Exception {
        // Given a signature directory of our own holding one signature for another marker
        Path db = Files.createDirectories(dir.resolve("signatures"));
        String marker = "MEDIA-PLATFORM-OTHER-TEST-MARKER-0123456789";
        Files.writeString(db.resolve("other.ndb"),
                "Test.Other:0:*:" + HexFormat.of().formatHex(marker.getBytes(StandardCharsets.US_ASCII)) + "\n");
        EmbeddedClamd clamd = start(EmbeddedClamd.onUnixSocket(dir.resolve("clamav")).withDatabaseDirectory(db));
        Path socket = clamd.socket().orElseThrow();

        // Then that marker is found, EICAR is not (the built-in signature is not loaded, nor written)
        assertThat(scanUnix(socket, ("x" + marker + "y").getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("stream: Test.Other.UNOFFICIAL FOUND");
        assertThat(scanUnix(socket, EmbeddedClamd.eicar().getBytes(StandardCharsets.US_ASCII))).isEqualTo("stream: OK");
        assertThat(dir.resolve("clamav/db")).doesNotExist();
        assertThat(clamd.signatures()).contains(db.toString());
    }

    @Test
    void a_unix_socket_path_too_long_for_the_kernel_is_refused_up_front() {
        Path deep = dir.resolve("d".repeat(120));
        assertThat(EmbeddedClamd.fitsUnixSocket(deep)).isFalse();
        assertThat(EmbeddedClamd.fitsUnixSocket(dir)).isTrue();
        assertThatThrownBy(() -> EmbeddedClamd.onUnixSocket(deep))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("onTcpPort");
    }

    @Test
    void kill_9_of_the_jvm_leaves_no_clamd_behind_and_the_next_start_on_the_same_directory_works() throws Exception {
        // Given a JVM running clamd on a Unix socket
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process host = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ClamdOrphanHost.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("host.log").toFile()))
                .start();
        processes.add(host.toHandle());
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve("pid")) || !host.isAlive());
        assertThat(host.isAlive()).as("host JVM started clamd").isTrue();
        ProcessHandle clamd = ProcessHandle.of(Long.parseLong(Files.readString(dir.resolve("pid")).trim())).orElseThrow();
        processes.add(clamd);
        assertThat(clamd.info().command().orElse("")).endsWith("clamd");

        // When the JVM is killed with SIGKILL
        host.destroyForcibly();

        // Then clamd does not survive it
        await().atMost(Duration.ofSeconds(30)).until(() -> !clamd.isAlive());

        // And a new clamd starts on the same directory and answers
        EmbeddedClamd again = start(EmbeddedClamd.onUnixSocket(dir.resolve("clamav")));
        assertThat(scanUnix(again.socket().orElseThrow(), EmbeddedClamd.eicar().getBytes(StandardCharsets.US_ASCII)))
                .endsWith(" FOUND");
    }

    @Test
    void a_clamd_left_running_in_the_data_directory_is_stopped_before_the_next_start() throws Exception {
        // Given a clamd started without its watcher ever running (as if the watcher was killed too)
        EmbeddedClamd first = start(EmbeddedClamd.onUnixSocket(dir).withoutShutdownHook());
        ProcessHandle leftover = ProcessHandle.of(first.pid()).orElseThrow();
        processes.add(leftover);

        // When another instance starts on the same directory
        EmbeddedClamd second = start(EmbeddedClamd.onUnixSocket(dir));

        // Then the earlier one was stopped and the new one answers
        assertThat(leftover.isAlive()).isFalse();
        assertThat(second.pid()).isNotEqualTo(leftover.pid());
        assertThat(scanUnix(dir.resolve("clamd.sock"), "fine".getBytes(StandardCharsets.US_ASCII))).isEqualTo("stream: OK");
    }

    private EmbeddedClamd start(EmbeddedClamd clamd) {
        started.add(clamd);
        return clamd.start();
    }

    private static String scanUnix(Path socket, byte[] content) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return instream(content, Channels.newOutputStream(channel), Channels.newInputStream(channel));
        }
    }

    private static String scanTcp(int port, byte[] content) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(10_000);
            return instream(content, socket.getOutputStream(), socket.getInputStream());
        }
    }

    /** clamd's INSTREAM: length-prefixed chunks, a zero length, then the NUL-terminated answer. */
    private static String instream(byte[] content, OutputStream raw, InputStream in) throws IOException {
        DataOutputStream out = new DataOutputStream(raw);
        out.write("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII));
        try {
            for (int off = 0; off < content.length; off += 8192) {
                int n = Math.min(8192, content.length - off);
                out.writeInt(n);
                out.write(content, off, n);
            }
            out.writeInt(0);
            out.flush();
        } catch (IOException closedByClamd) {
            // over StreamMaxLength clamd answers and closes while we still write
        }
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) > 0) {
            reply.write(b);
        }
        return reply.toString(StandardCharsets.US_ASCII).trim();
    }
}
