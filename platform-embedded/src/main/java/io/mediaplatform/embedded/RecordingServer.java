package io.mediaplatform.embedded;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 that records every request's headers and answers what its handler says (by default
 * 200 with a few bytes): plays a host that must never see a request, nor a provider's credential. Close it after the test.
 */
public final class RecordingServer implements AutoCloseable {

    /** One request as it arrived. */
    public record Seen(String method, String path, Map<String, List<String>> headers, String query) {
        public boolean hasAuthorization() {
            return headers.keySet().stream().anyMatch(name -> name.equalsIgnoreCase("Authorization"));
        }
    }

    /** What to answer. */
    public interface Handler {
        void handle(com.sun.net.httpserver.HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    public RecordingServer(Handler handler) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), exchange.getRequestURI().getRawQuery()));
            try (exchange) {
                handler.handle(exchange);
            }
        });
        server.start();
    }

    /** A server answering 200 with {@code body} as {@code contentType}. */
    public static RecordingServer serving(byte[] body, String contentType) {
        return new RecordingServer(exchange -> {
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        });
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
