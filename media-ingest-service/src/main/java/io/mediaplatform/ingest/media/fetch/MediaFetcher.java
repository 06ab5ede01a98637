package io.mediaplatform.ingest.media.fetch;

import io.mediaplatform.common.http.BlockedUrlException;
import io.mediaplatform.common.http.OutboundProperties;
import io.mediaplatform.common.http.UrlGuard;
import io.mediaplatform.common.storage.ObjectTooLargeException;
import io.mediaplatform.ingest.config.IngestProperties;
import io.mediaplatform.ingest.core.InvalidInputException;
import io.mediaplatform.ingest.media.MediaIngestor;
import io.mediaplatform.ingest.media.core.FileNames;
import io.mediaplatform.ingest.media.core.MediaInfo;
import io.mediaplatform.ingest.media.core.MediaKeys;
import io.mediaplatform.ingest.media.storage.MediaStore;
import io.mediaplatform.ingest.media.web.UploadController;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;

/**
 * Fetches media from a client's URL into storage: the URL guard first (http(s), public addresses only unless
 * allow-listed), redirects never followed, connect and response timeouts from {@code platform.outbound},
 * and the same size limit as uploads, enforced while streaming.
 */
@Component
public class MediaFetcher {

    private final UrlGuard guard;
    private final HttpClient client;
    private final OutboundProperties outbound;
    private final MediaStore store;
    private final MediaIngestor ingestor;
    private final IngestProperties properties;
    private final Clock clock;

    public MediaFetcher(UrlGuard guard, HttpClient client, OutboundProperties outbound, MediaStore store,
                        MediaIngestor ingestor, IngestProperties properties, Clock clock) {
        this.guard = guard;
        this.client = client;
        this.outbound = outbound;
        this.store = store;
        this.ingestor = ingestor;
        this.properties = properties;
        this.clock = clock;
    }

    /** Where fetched media belongs. */
    public record Context(String tenantId, String conversationId, String channel, String direction, String inboxId) {
    }

    /** The outcome of a fetch. */
    public sealed interface Result {
    }

    /** The media is stored. */
    public record Fetched(MediaInfo media) implements Result {
    }

    /** Nothing was stored; {@code reason} says why, for the client (no internal detail). */
    public record Failed(String reason) implements Result {
    }

    /**
     * Fetches {@code url} and stores it.
     *
     * @param declaredType content type the client declared, or null to take the server's
     * @param fileName     file name to keep, or null to take the URL's last path segment
     */
    public Result fetch(Context context, String url, String declaredType, String fileName) {
        UrlGuard.CheckedUrl checked;
        try {
            checked = guard.check(url);
        } catch (BlockedUrlException e) {
            return new Failed("URL refused: " + e.getMessage());
        }
        long max = properties.maxUploadSize().toBytes();
        HttpRequest request = HttpRequest.newBuilder(checked.uri()).GET().timeout(outbound.readTimeout())
                .header("User-Agent", "media-platform-ingest").header("Accept", "*/*").build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                int status = response.statusCode();
                if (status >= 300 && status < 400) {
                    return new Failed("The source answered HTTP " + status + " (redirects are not followed)");
                }
                if (status < 200 || status >= 300) {
                    return new Failed("The source answered HTTP " + status);
                }
                long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (length > max) {
                    return new Failed("The media is larger than the limit of " + max + " bytes");
                }
                String type = UploadController.declaredType(declaredType != null ? declaredType
                        : response.headers().firstValue("Content-Type").orElse(null));
                String original = fileName != null ? fileName : lastSegment(checked.uri().getPath());
                String mediaId = MediaKeys.newMediaId();
                MediaStore.Staged staged = store.stage(context.tenantId(), mediaId, body, type, max);
                MediaInfo draft = new MediaInfo(mediaId, context.tenantId(), context.conversationId(), context.channel(),
                        context.direction(), context.inboxId(), FileNames.sanitize(original), original, type, 0, null,
                        null, clock.instant().truncatedTo(ChronoUnit.MILLIS));
                try {
                    return new Fetched(ingestor.commit(staged, draft));
                } catch (InvalidInputException e) {
                    return new Failed("The source answered an empty body");
                }
            }
        } catch (ObjectTooLargeException e) {
            return new Failed("The media is larger than the limit of " + max + " bytes");
        } catch (HttpTimeoutException e) {
            return new Failed("The source did not answer in time");
        } catch (IOException | java.io.UncheckedIOException e) {
            return new Failed("The media could not be fetched: connection failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failed("The fetch was interrupted");
        }
    }

    private static String lastSegment(String path) {
        if (path == null || path.isBlank() || path.endsWith("/")) {
            return null;
        }
        return java.net.URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), java.nio.charset.StandardCharsets.UTF_8);
    }
}
