package io.mediaplatform.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real HTTP server on 127.0.0.1 playing the client's media source and OAuth2 token endpoint, shared by the
 * from-url tests (one instance per JVM, reached as {@code http://localhost:<port>}).
 */
public final class SourceServer {

    public static final byte[] PNG = png(20_000);
    public static final String BEARER = "s3cr3t-bearer-token";
    public static final String BASIC_USER = "alice";
    public static final String BASIC_PASSWORD = "p@ss:word";
    public static final String CLIENT_ID = "client-1";
    public static final String CLIENT_SECRET = "client-secret-1";
    public static final String ACCESS_TOKEN = "oauth-access-token-42";

    private static final SourceServer INSTANCE = new SourceServer();

    private final HttpServer server;

    private SourceServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/files/", exchange -> send(exchange, 200, "image/png", PNG));
        server.createContext("/auth/bearer/", exchange -> guarded(exchange, "Bearer " + BEARER));
        server.createContext("/auth/basic/", exchange -> guarded(exchange, "Basic " + Base64.getEncoder()
                .encodeToString((BASIC_USER + ":" + BASIC_PASSWORD).getBytes(StandardCharsets.UTF_8))));
        server.createContext("/auth/oauth/", exchange -> guarded(exchange, "Bearer " + ACCESS_TOKEN));
        server.createContext("/oauth/token", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String expected = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET)
                    .getBytes(StandardCharsets.UTF_8));
            if (!"POST".equals(exchange.getRequestMethod()) || !body.startsWith("grant_type=client_credentials")
                    || !expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "application/json", "{\"error\":\"invalid_client\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(exchange, 200, "application/json", ("{\"access_token\":\"" + ACCESS_TOKEN
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}").getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/missing", exchange -> send(exchange, 404, "text/plain", "no".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/empty", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/big", exchange -> {
            // Announces its length: refused before a byte is stored
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            long length = IngestServiceTestBase.MAX_UPLOAD + 1;
            exchange.sendResponseHeaders(200, length);
            stream(exchange, length);
        });
        server.createContext("/big-chunked", exchange -> {
            // No length: stopped while streaming
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, 0);
            stream(exchange, IngestServiceTestBase.MAX_UPLOAD * 3);
        });
        server.createContext("/trickle", exchange -> {
            // One byte every 100 ms, far longer than the total timeout: never a read timeout
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 600; i++) {
                    out.write(PNG[i % PNG.length]);
                    out.flush();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
            } catch (IOException ignored) {
                // the client hung up
            }
        });
        server.createContext("/stall", exchange -> {
            // Headers, then silence: the read timeout
            exchange.sendResponseHeaders(200, 0);
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(20));
            exchange.close();
        });
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0), "source-server-stop"));
    }

    /** {@code http://localhost:<port><path>}. */
    public static String url(String path) {
        return "http://localhost:" + INSTANCE.server.getAddress().getPort() + path;
    }

    public static int port() {
        return INSTANCE.server.getAddress().getPort();
    }

    private static void guarded(HttpExchange exchange, String authorization) throws IOException {
        if (!authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, "text/plain", "unauthorized".getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(exchange, 200, "image/png", PNG);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void stream(HttpExchange exchange, long length) {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = exchange.getResponseBody()) {
            for (long sent = 0; sent < length; sent += chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, length - sent));
            }
        } catch (IOException ignored) {
            // the client stopped reading at its limit
        }
    }

    private static byte[] png(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        System.arraycopy(magic, 0, bytes, 0, magic.length);
        return bytes;
    }
}
