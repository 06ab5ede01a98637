package io.mediaplatform.common.http;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guarded client's keep-alive: a connection reused by the next request to the same address once an exchange
 * ended cleanly, a new one when the server says {@code Connection: close}, a request sent again on a new connection
 * when the server had closed the kept one, and kept connections dropped after the keep-alive time.
 */
class GuardedHttpClientKeepAliveTest {

    private final GuardedHttpClient client = new GuardedHttpClient(new UrlGuard(List.of("127.0.0.1")),
            Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(30));
    private HttpServer server;
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stop() {
        client.close();
        if (server != null) {
            server.stop(0);
        }
    }

    private String start(boolean close) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            exchange.getRequestBody().readAllBytes();
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            if (close) {
                exchange.getResponseHeaders().add("Connection", "close");
            }
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private int post(String url) throws IOException {
        try (GuardedHttpClient.Response response = client.send(GuardedHttpClient.Request.post(url, Map.of(),
                "{}".getBytes(StandardCharsets.UTF_8), 1024, Duration.ofSeconds(5)))) {
            return response.status();
        }
    }

    @Test
    void webhooks_in_a_row_to_one_endpoint_share_one_connection_even_when_the_answer_is_not_read() throws Exception {
        // Given an endpoint that keeps connections open
        String url = start(false);

        // When five webhooks are posted one after the other, their small answers never read by the caller
        for (int i = 0; i < 5; i++) {
            assertThat(post(url)).isEqualTo(200);
        }

        // Then all five went over one connection, which is kept for the next one
        assertThat(clientPorts).hasSize(1);
        assertThat(client.idleConnections()).isEqualTo(1);
    }

    @Test
    void an_endpoint_that_answers_connection_close_gets_a_new_connection_each_time() throws Exception {
        // Given an endpoint that closes every connection
        String url = start(true);

        // When three webhooks are posted
        for (int i = 0; i < 3; i++) {
            assertThat(post(url)).isEqualTo(200);
        }

        // Then each had its own connection and none is kept
        assertThat(clientPorts).hasSize(3);
        assertThat(client.idleConnections()).isZero();
    }

    @Test
    void a_request_on_a_connection_the_server_closed_meanwhile_goes_again_on_a_new_one() throws Exception {
        // Given a server that answers one request per connection with keep-alive framing, then closes it (as a server
        // whose idle timeout ran out does)
        AtomicInteger connections = new AtomicInteger();
        AtomicInteger requests = new AtomicInteger();
        try (ServerSocket listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!listener.isClosed()) {
                    try (Socket socket = listener.accept()) {
                        connections.incrementAndGet();
                        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                        int length = 0;
                        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                            if (line.toLowerCase().startsWith("content-length:")) {
                                length = Integer.parseInt(line.substring(15).trim());
                            }
                        }
                        in.skip(length);
                        requests.incrementAndGet();
                        OutputStream out = socket.getOutputStream();
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    } catch (IOException e) {
                        // the listener closed
                    }
                }
            });
            String url = "http://127.0.0.1:" + listener.getLocalPort() + "/hook";

            // When a first webhook is answered (and its connection kept) and a second one is posted after the server
            // closed that connection
            assertThat(post(url)).isEqualTo(200);
            assertThat(client.idleConnections()).isEqualTo(1);
            assertThat(post(url)).isEqualTo(200);

            // Then the second was answered too, over a second connection, and the server saw each request once
            assertThat(connections.get()).isEqualTo(2);
            assertThat(requests.get()).isEqualTo(2);
        }
    }

    @Test
    void a_kept_connection_is_closed_and_not_reused_once_the_keep_alive_time_passed() throws Exception {
        // Given a connection kept by a pool of 4 s, on a clock we move
        AtomicLong now = new AtomicLong();
        try (ServerSocket listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             IdleConnections idle = new IdleConnections(Duration.ofSeconds(4), now::get)) {
            Socket socket = new Socket(listener.getInetAddress(), listener.getLocalPort());
            GuardedHttpClient.Target target = new GuardedHttpClient.Target(java.net.URI.create("http://127.0.0.1/"),
                    "127.0.0.1", listener.getLocalPort(), false, List.of(listener.getInetAddress()));
            idle.offer(IdleConnections.Target.of(socket.getInetAddress(), target), socket);

            // When 3 s pass, it is reused
            now.addAndGet(Duration.ofSeconds(3).toNanos());
            Socket reused = idle.take(target);
            assertThat(reused).isSameAs(socket);

            // And when it is kept again and 5 s pass, it is closed instead
            idle.offer(IdleConnections.Target.of(socket.getInetAddress(), target), socket);
            now.addAndGet(Duration.ofSeconds(5).toNanos());
            assertThat(idle.take(target)).isNull();
            assertThat(socket.isClosed()).isTrue();
            assertThat(idle.size()).isZero();
        }
    }
}
