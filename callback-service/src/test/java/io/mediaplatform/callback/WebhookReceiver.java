package io.mediaplatform.callback;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A client's webhook endpoint on loopback (JDK HTTP server): records every request per path and answers with
 * the scripted responses of that path, then with the last one again (200 when none is scripted). A script may
 * be for the requests of a path whose body matches only; such a script comes before the path's own.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One received request. */
    record Received(String path, Map<String, String> headers, String body) {
    }

    /** A scripted answer. */
    record Answer(int status, Map<String, String> headers) {
        static Answer of(int status) {
            return new Answer(status, Map.of());
        }
    }

    private final HttpServer server;
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, List<BodyScript>> bodyScripts = new ConcurrentHashMap<>();

    private record BodyScript(Predicate<String> matches, Deque<Answer> answers) {
    }

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.getFirst()));
            received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(new Received(path, headers, body));
            Answer answer = next(path, body);
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(answer.status(), -1);
            exchange.close();
        });
        server.start();
    }

    private synchronized Answer next(String path, String body) {
        Deque<Answer> script = bodyScripts.getOrDefault(path, List.of()).stream().filter(s -> s.matches().test(body))
                .map(BodyScript::answers).findFirst().orElseGet(() -> scripts.get(path));
        if (script == null || script.isEmpty()) {
            return Answer.of(200);
        }
        return script.size() > 1 ? script.removeFirst() : script.getFirst();
    }

    /** Answers the requests to {@code path} with these, in order, repeating the last. */
    synchronized void script(String path, Answer... answers) {
        scripts.put(path, new ArrayDeque<>(List.of(answers)));
    }

    /** Answers the requests to {@code path} whose body matches with these, in order, repeating the last. */
    synchronized void script(String path, Predicate<String> bodyMatches, Answer... answers) {
        bodyScripts.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>())
                .add(new BodyScript(bodyMatches, new ArrayDeque<>(List.of(answers))));
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Received> received(String path) {
        return List.copyOf(received.getOrDefault(path, List.of()));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
