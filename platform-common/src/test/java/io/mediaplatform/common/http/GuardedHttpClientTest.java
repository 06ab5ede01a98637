package io.mediaplatform.common.http;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The guarded client on its own (no Spring): numeric host spellings, pinning with the URL's name kept for
 * Host/SNI/certificate checks, redirects refused, chunked bodies, the size limit and the total deadline.
 */
class GuardedHttpClientTest {

    private static HttpServer server;
    private static final GuardedHttpClient CLIENT = new GuardedHttpClient(new UrlGuard(List.of("localhost")),
            Duration.ofSeconds(2), Duration.ofSeconds(2));

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/host", exchange -> {
            byte[] body = exchange.getRequestHeaders().getFirst("Host").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1/");
            exchange.sendResponseHeaders(301, -1);
            exchange.close();
        });
        server.createContext("/chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 100; i++) {
                    out.write(("part-" + i + ";").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        });
        server.createContext("/trickle", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 200; i++) {
                    out.write('x');
                    out.flush();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
            } catch (IOException ignored) {
                // client gave up
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static String url(String path) {
        return "http://localhost:" + server.getAddress().getPort() + path;
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({"2130706433, 127.0.0.1", "0177.0.0.1, 127.0.0.1", "0x7f.0.0.1, 127.0.0.1", "0x7f000001, 127.0.0.1",
            "127.1, 127.0.0.1", "017700000001, 127.0.0.1", "0xa9.0xfe.0xa9.0xfe, 169.254.169.254", "10.1, 10.0.0.1",
            "3232235777, 192.168.1.1", "0, 0.0.0.0"})
    void numeric_host_spellings_read_as_inet_aton_reads_them(String spelling, String address) {
        // When the spelling is parsed / Then it is the address C's inet_aton makes of it
        assertThat(NumericHosts.parse(spelling)).map(a -> a.getHostAddress()).contains(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "1.2.3.4.5", "256.1.1.1", "0x1g.0.0.1", "08.0.0.1", "4294967296", "a1"})
    void names_and_out_of_range_numbers_are_not_numeric_hosts(String host) {
        assertThat(NumericHosts.parse(host)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1:8080/x?y=1", "https://127.1/",
            "http://[::ffff:127.0.0.1]/", "http://[0:0:0:0:0:ffff:7f00:1]/", "http://0/"})
    void every_spelling_of_loopback_is_refused_as_non_public_not_as_unresolvable(String url) {
        // When a loopback spelling is checked, with only the name localhost allow-listed
        // Then it is refused for its address
        assertThatThrownBy(() -> CLIENT.check(url)).isInstanceOf(BlockedUrlException.class)
                .hasMessageContaining("non-public");
    }

    @Test
    void the_connection_goes_to_the_checked_address_while_the_host_header_keeps_the_name() throws IOException {
        // When a URL naming localhost is fetched
        GuardedHttpClient.Target target = CLIENT.check(url("/host"));
        try (GuardedHttpClient.Response response = CLIENT.send(GuardedHttpClient.Request.get(url("/host"), Map.of(), 1024,
                Duration.ofSeconds(5)))) {
            // Then it was resolved once to loopback addresses, and the server saw the name
            assertThat(target.addresses()).allMatch(a -> a.isLoopbackAddress());
            assertThat(new String(response.readAll(), StandardCharsets.UTF_8)).isEqualTo("localhost:" + server.getAddress().getPort());
        }
    }

    @Test
    void a_redirect_is_refused() {
        assertThatThrownBy(() -> CLIENT.send(GuardedHttpClient.Request.get(url("/moved"), Map.of(), 1024, Duration.ofSeconds(5))))
                .isInstanceOf(RedirectRefusedException.class).hasMessageContaining("redirects are not followed");
    }

    @Test
    void a_chunked_body_is_decoded_and_limited() throws IOException {
        // When a chunked body is read whole, and with a limit below its size
        String whole;
        try (GuardedHttpClient.Response response = CLIENT.send(GuardedHttpClient.Request.get(url("/chunked"), Map.of(),
                10_000, Duration.ofSeconds(5)))) {
            whole = new String(response.readAll(), StandardCharsets.UTF_8);
        }
        // Then it decodes exactly, and the limit stops it
        assertThat(whole).startsWith("part-0;part-1;").endsWith("part-99;");
        try (GuardedHttpClient.Response response = CLIENT.send(GuardedHttpClient.Request.get(url("/chunked"), Map.of(),
                100, Duration.ofSeconds(5)))) {
            assertThatThrownBy(response::readAll).isInstanceOf(ResponseTooLargeException.class);
        }
    }

    @Test
    void a_trickling_server_is_cut_off_by_the_total_deadline() throws IOException {
        // Given a server sending one byte every 50 ms (never a pause long enough for the read timeout)
        long started = System.nanoTime();
        try (GuardedHttpClient.Response response = CLIENT.send(GuardedHttpClient.Request.get(url("/trickle"), Map.of(),
                10_000, Duration.ofSeconds(1)))) {
            // When the body is read / Then the total deadline ends it after about a second
            InputStream body = response.body();
            assertThatThrownBy(body::readAllBytes).isInstanceOf(OutboundTimeoutException.class);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void header_values_with_line_breaks_are_refused() {
        assertThatThrownBy(() -> CLIENT.send(GuardedHttpClient.Request.get(url("/host"),
                Map.of("Authorization", "Bearer x\r\nX-Evil: 1"), 1024, Duration.ofSeconds(5))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void https_is_pinned_with_sni_and_certificate_host_name_checks(@TempDir Path dir) throws Exception {
        // Given an HTTPS server whose certificate names localhost only
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Assumptions.assumeTrue(Files.isExecutable(keytool), "keytool not found in java.home; skipping the TLS test");
        Path store = dir.resolve("server.p12");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor()).isZero();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, "changeit".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keyStore);
        SSLContext serverSsl = SSLContext.getInstance("TLS");
        serverSsl.init(kmf.getKeyManagers(), null, null);
        SSLContext clientSsl = SSLContext.getInstance("TLS");
        clientSsl.init(null, tmf.getTrustManagers(), null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverSsl));
        https.createContext("/", exchange -> {
            byte[] body = "secure".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        https.start();
        try {
            int port = https.getAddress().getPort();
            GuardedHttpClient client = new GuardedHttpClient(new UrlGuard(List.of("localhost", "127.0.0.1")),
                    Duration.ofSeconds(2), Duration.ofSeconds(5), clientSsl);

            // When it is called by its name, and by its address
            try (GuardedHttpClient.Response response = client.send(GuardedHttpClient.Request.get(
                    "https://localhost:" + port + "/", Map.of(), 1024, Duration.ofSeconds(10)))) {
                // Then the name passes the certificate check over the pinned connection
                assertThat(new String(response.readAll(), StandardCharsets.UTF_8)).isEqualTo("secure");
            }
            // And the address, which the certificate does not name, fails it
            assertThatThrownBy(() -> client.send(GuardedHttpClient.Request.get("https://127.0.0.1:" + port + "/", Map.of(),
                    1024, Duration.ofSeconds(10)))).isInstanceOf(IOException.class);
        } finally {
            https.stop(0);
        }
    }
}
