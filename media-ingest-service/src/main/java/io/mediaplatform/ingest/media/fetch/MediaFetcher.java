package io.mediaplatform.ingest.media.fetch;

import io.mediaplatform.common.http.BlockedUrlException;
import io.mediaplatform.common.http.GuardedHttpClient;
import io.mediaplatform.common.http.OutboundTimeoutException;
import io.mediaplatform.common.http.RedirectRefusedException;
import io.mediaplatform.common.http.ResponseTooLargeException;
import io.mediaplatform.common.storage.ObjectTooLargeException;
import io.mediaplatform.ingest.config.IngestProperties;
import io.mediaplatform.ingest.core.InvalidInputException;
import io.mediaplatform.ingest.media.kafka.MediaIngestor;
import io.mediaplatform.ingest.media.core.FileNames;
import io.mediaplatform.ingest.media.core.MediaInfo;
import io.mediaplatform.ingest.media.core.MediaKeys;
import io.mediaplatform.ingest.media.core.SourceCredentials;
import io.mediaplatform.ingest.media.storage.MediaStore;
import io.mediaplatform.ingest.media.web.UploadController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fetches media from a client's URL into storage through the {@link GuardedHttpClient}: host normalised and
 * checked by the URL guard after DNS, the connection pinned to the checked address, redirects refused, connect,
 * read and total timeouts ({@code OUTBOUND_CONNECT_TIMEOUT}, {@code OUTBOUND_READ_TIMEOUT},
 * {@code INGEST_FETCH_TOTAL_TIMEOUT}), and the upload size limit enforced while streaming. Credentials (bearer,
 * basic, OAuth2 client credentials) are sent only to the source and never logged.
 */
@Component
public class MediaFetcher {

    private static final Logger log = LoggerFactory.getLogger(MediaFetcher.class);

    private final GuardedHttpClient http;
    private final OAuth2TokenClient tokens;
    private final MediaStore store;
    private final MediaIngestor ingestor;
    private final IngestProperties properties;
    private final Clock clock;

    public MediaFetcher(GuardedHttpClient http, OAuth2TokenClient tokens, MediaStore store, MediaIngestor ingestor,
                        IngestProperties properties, Clock clock) {
        this.http = http;
        this.tokens = tokens;
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

    /** The media is stored (not yet announced). */
    public record Fetched(MediaInfo media) implements Result {
    }

    /**
     * Nothing was stored; {@code reason} says why, for the client (no internal detail, no secret).
     *
     * @param field the request field at fault ({@code sourceUrl}, {@code auth.tokenUrl}), or null
     */
    public record Failed(FetchFailure kind, String reason, String field, long limit) implements Result {
        public Failed(FetchFailure kind, String reason) {
            this(kind, reason, null, 0);
        }
    }

    /** Fetches {@code url} without credentials. */
    public Result fetch(Context context, String url, String declaredType, String fileName) {
        return fetch(context, url, declaredType, fileName, SourceCredentials.NONE);
    }

    /**
     * Fetches {@code url} and stores it.
     *
     * @param declaredType content type the client declared, or null to take the server's
     * @param fileName     file name to keep, or null to take the URL's last path segment
     */
    public Result fetch(Context context, String url, String declaredType, String fileName, SourceCredentials credentials) {
        return fetch(context, MediaKeys.newMediaId(), url, declaredType, fileName, credentials);
    }

    /** Fetches {@code url} and stores it as media {@code mediaId}. */
    public Result fetch(Context context, String mediaId, String url, String declaredType, String fileName,
                        SourceCredentials credentials) {
        long max = properties.maxUploadSize().toBytes();
        long started = System.nanoTime();
        Map<String, String> headers = new LinkedHashMap<>();
        try {
            switch (credentials) {
                case SourceCredentials.None none -> { }
                case SourceCredentials.Bearer bearer -> headers.put("Authorization", "Bearer " + bearer.token());
                case SourceCredentials.Basic basic -> headers.put("Authorization", basic.header());
                case SourceCredentials.OAuth2 oauth2 -> {
                    http.check(url);                                        // refuse a bad source before asking for a token
                    headers.put("Authorization", "Bearer " + tokens.token(oauth2, properties.fetch().totalTimeout()));
                }
            }
        } catch (BlockedUrlException e) {
            return new Failed(FetchFailure.URL_REFUSED, "sourceUrl is not allowed: " + e.getMessage(), "sourceUrl", 0);
        } catch (OAuth2TokenClient.TokenException e) {
            return new Failed(e.kind(), e.getMessage(), "auth.tokenUrl", 0);
        }
        String host = "?";
        // One deadline for the whole fetch, OAuth2 token included
        Duration remaining = properties.fetch().totalTimeout().minusNanos(System.nanoTime() - started);
        if (remaining.isNegative() || remaining.isZero()) {
            return new Failed(FetchFailure.TIMEOUT, "The source did not answer in time", "sourceUrl", 0);
        }
        try (GuardedHttpClient.Response response = http.send(GuardedHttpClient.Request.get(url, headers, max, remaining))) {
            URI uri = URI.create(url.trim());
            host = uri.getHost();
            int status = response.status();
            if (status / 100 != 2) {
                return new Failed(FetchFailure.SOURCE_STATUS, "The source answered HTTP " + status, "sourceUrl", 0);
            }
            String type = UploadController.declaredType(declaredType != null ? declaredType
                    : response.header("Content-Type").orElse(null));
            String original = fileName != null ? fileName : lastSegment(uri.getRawPath());
            MediaStore.Staged staged = store.stage(context.tenantId(), mediaId, response.body(), type, max);
            MediaInfo draft = new MediaInfo(mediaId, context.tenantId(), context.conversationId(), context.channel(),
                    context.direction(), context.inboxId(), FileNames.sanitize(original), original, type, 0, null,
                    null, clock.instant().truncatedTo(ChronoUnit.MILLIS));
            try {
                MediaInfo media = ingestor.commit(staged, draft);
                log.info("Fetched media tenant={} mediaId={} host={} size={}", context.tenantId(), mediaId, host, media.size());
                return new Fetched(media);
            } catch (InvalidInputException e) {
                return new Failed(FetchFailure.EMPTY, "The source answered an empty body (0 bytes)", "sourceUrl", 0);
            }
        } catch (BlockedUrlException e) {
            return new Failed(FetchFailure.URL_REFUSED, "sourceUrl is not allowed: " + e.getMessage(), "sourceUrl", 0);
        } catch (IllegalArgumentException e) {
            return new Failed(FetchFailure.URL_REFUSED, "sourceUrl is not a valid URL", "sourceUrl", 0);
        } catch (ObjectTooLargeException e) {
            return tooLarge(max);
        } catch (UncheckedIOException e) {
            return failure(e.getCause(), max, host);
        } catch (IOException e) {
            return failure(e, max, host);
        }
    }

    private Failed failure(IOException e, long max, String host) {
        return switch (e) {
            case RedirectRefusedException r -> new Failed(FetchFailure.REDIRECT, "The source answered HTTP " + r.status()
                    + " (a redirect); redirects are not followed", "sourceUrl", 0);
            case ResponseTooLargeException t -> tooLarge(max);
            case OutboundTimeoutException t -> new Failed(FetchFailure.TIMEOUT, "The source did not answer in time: "
                    + t.getMessage(), "sourceUrl", 0);
            default -> {
                log.info("Fetch failed host={}: {}", host, e.getClass().getSimpleName());
                yield new Failed(FetchFailure.CONNECTION, "The media could not be fetched: the connection failed or the"
                        + " response was malformed", "sourceUrl", 0);
            }
        };
    }

    private static Failed tooLarge(long max) {
        return new Failed(FetchFailure.TOO_LARGE, "The media is larger than the limit of " + max + " bytes", "sourceUrl", max);
    }

    private static String lastSegment(String path) {
        if (path == null || path.isBlank() || path.endsWith("/")) {
            return null;
        }
        return URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
    }
}
