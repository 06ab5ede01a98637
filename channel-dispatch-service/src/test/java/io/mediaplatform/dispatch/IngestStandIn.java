package io.mediaplatform.dispatch;

import com.sun.net.httpserver.HttpServer;
import io.mediaplatform.common.signing.LinkSigner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for ingest's signed download endpoint {@code GET /v1/media/<id>/content?tenant=&expires=&signature=}:
 * checks the link with the {@link LinkSigner} ingest uses (same key) and serves the media's bytes (those given with
 * {@link #serve}, else a JPEG head); a tampered, moved or expired link is refused with 403.
 */
final class IngestStandIn implements AutoCloseable {

    /** What a media serves when no bytes were given for it. */
    static final byte[] JPEG_HEAD = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F'};

    private final HttpServer server;
    private final Map<String, byte[]> media = new ConcurrentHashMap<>();
    private final AtomicInteger validFetches = new AtomicInteger();

    private IngestStandIn(HttpServer server) {
        this.server = server;
    }

    static IngestStandIn start(String linkSigningKey) {
        LinkSigner signer = new LinkSigner(linkSigningKey);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            IngestStandIn standIn = new IngestStandIn(server);
            server.createContext("/v1/media/", exchange -> {
                try (exchange) {
                    String[] segments = exchange.getRequestURI().getPath().split("/");
                    Map<String, String> query = new HashMap<>();
                    String raw = exchange.getRequestURI().getRawQuery();
                    for (String pair : raw == null ? new String[0] : raw.split("&")) {
                        String[] kv = pair.split("=", 2);
                        query.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
                    }
                    boolean valid;
                    try {
                        valid = segments.length == 5 && "content".equals(segments[4])
                                && signer.verify(query.get("tenant"), segments[3],
                                Long.parseLong(query.getOrDefault("expires", "0")), query.get("signature"), Instant.now());
                    } catch (NumberFormatException e) {
                        valid = false;
                    }
                    if (!valid) {
                        exchange.sendResponseHeaders(403, -1);
                        return;
                    }
                    standIn.validFetches.incrementAndGet();
                    byte[] bytes = standIn.media.getOrDefault(segments[3], JPEG_HEAD);
                    exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
                    exchange.sendResponseHeaders(200, bytes.length);
                    exchange.getResponseBody().write(bytes);
                }
            });
            server.start();
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves these bytes for that media from now on. */
    void serve(String mediaId, byte[] bytes) {
        media.put(mediaId, bytes.clone());
    }

    /** The public base URL links point at ({@code INGEST_PUBLIC_URL}). */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many requests came with a valid link. */
    int validFetches() {
        return validFetches.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
