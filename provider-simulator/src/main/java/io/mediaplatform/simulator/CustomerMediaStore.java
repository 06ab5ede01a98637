package io.mediaplatform.simulator;

import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The customers' media a simulator keeps in memory, with their {@link MediaFaults} and request counters: storing a
 * file, deciding what a download request gets, and serving the bytes.
 */
final class CustomerMediaStore {

    private static final Logger log = LoggerFactory.getLogger(CustomerMediaStore.class);

    /** The outcome of a download request: the media (null when unknown) and the status to answer. */
    record Download(StoredMedia media, int status) {
    }

    private final long oversizeBytes;
    private final Map<String, StoredMedia> media = new ConcurrentHashMap<>();

    CustomerMediaStore(long oversizeBytes) {
        if (oversizeBytes <= 0) {
            throw new IllegalArgumentException("oversizeBytes must be positive: " + oversizeBytes);
        }
        this.oversizeBytes = oversizeBytes;
    }

    StoredMedia put(String id, String owner, byte[] bytes, String contentType, MediaFaults faults) {
        StoredMedia stored = new StoredMedia(id, owner, bytes.clone(), contentType, faults, oversizeBytes);
        media.put(id, stored);
        return stored;
    }

    /** The media, or null when unknown (a {@code gone} one is still found: callers check {@link StoredMedia#gone}). */
    StoredMedia find(String id) {
        return id == null ? null : media.get(id);
    }

    int downloads(String id) {
        StoredMedia stored = media.get(id);
        return stored == null ? 0 : stored.downloads.get();
    }

    int resolves(String id) {
        StoredMedia stored = media.get(id);
        return stored == null ? 0 : stored.resolves.get();
    }

    /** Deletes a media: from now on it is {@code gone} (404). */
    void delete(String id) {
        StoredMedia stored = media.get(id);
        if (stored == null) {
            throw new IllegalArgumentException("no such media: " + id);
        }
        stored.gone = true;
    }

    void clear() {
        media.clear();
    }

    /**
     * Counts a download request of a known media and decides its status: 404 unknown; the simulator's own
     * {@code refusal} (bad credentials, bad or expired URL) when not 0; 404 {@code gone}; 500 while
     * {@code download-5xx} failures are left; else 200.
     */
    Download download(String id, int refusal) {
        StoredMedia stored = find(id);
        if (stored == null) {
            return new Download(null, 404);
        }
        stored.downloads.incrementAndGet();
        if (refusal != 0) {
            return new Download(stored, refusal);
        }
        if (stored.gone) {
            return new Download(stored, 404);
        }
        if (stored.failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return new Download(stored, 500);
        }
        return new Download(stored, 200);
    }

    /** Answers 200 with the media's bytes (streamed for {@code oversize}), its content type and length. */
    void writeContent(HttpExchange exchange, StoredMedia stored) {
        try {
            exchange.getResponseHeaders().set("Content-Type", stored.contentType);
            exchange.getResponseHeaders().set("Cache-Control", "private, no-store");
            exchange.sendResponseHeaders(200, stored.size);
            try (OutputStream out = exchange.getResponseBody(); InputStream in = stored.content()) {
                in.transferTo(out);
            }
        } catch (IOException e) {
            log.debug("Media download of {} ended early: {}", stored.id, e.getMessage());
        }
    }
}
