package io.mediaplatform.ingest.media.web;

import io.mediaplatform.common.security.AuthenticatedTenant;
import io.mediaplatform.common.security.TenantArgumentResolver;
import io.mediaplatform.common.signing.LinkSigner;
import io.mediaplatform.common.web.ProblemException;
import io.mediaplatform.ingest.config.IngestProperties;
import io.mediaplatform.ingest.media.core.ByteRange;
import io.mediaplatform.ingest.media.core.ContentDispositions;
import io.mediaplatform.ingest.media.core.MediaInfo;
import io.mediaplatform.ingest.media.core.MediaKeys;
import io.mediaplatform.ingest.media.core.ValidationOutcome;
import io.mediaplatform.ingest.media.storage.MediaStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.NativeWebRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * Stored media: metadata with the validation outcome, the bytes (by API key or signed link; ETag, Range),
 * signed links, and deletion. Another tenant's media answers 404 exactly like unknown media.
 */
@RestController
public class MediaController {

    private final MediaStore store;
    private final LinkSigner signer;
    private final IngestProperties properties;
    private final Clock clock;

    public MediaController(MediaStore store, LinkSigner signer, IngestProperties properties, Clock clock) {
        this.store = store;
        this.signer = signer;
        this.properties = properties;
        this.clock = clock;
    }

    /** Metadata of a stored media. */
    public record MediaView(String mediaId, String name, String fileName, String type, long size, String sha256,
                            String etag, String conversationId, String channel, String direction, String inboxId,
                            Instant createdAt, ValidationOutcome validation) {
    }

    /** Optional body of a link request. */
    public record LinkRequest(Long ttlSeconds) {
    }

    /** A signed download link. */
    public record Link(String url, Instant expiresAt) {
    }

    /** Header of the by-name answers: how many stored media have that name (the newest was chosen). */
    public static final String NAME_MATCHES = "Media-Name-Matches";
    /** Header of the by-name answers: the id of the media chosen. */
    public static final String MEDIA_ID = "Media-Id";

    @GetMapping("/v1/media/{id}")
    public MediaView get(AuthenticatedTenant tenant, @PathVariable String id) {
        tenant.require(AuthenticatedTenant.MEDIA_READ);
        return view(tenant.tenantId(), find(tenant.tenantId(), id));
    }

    /**
     * Metadata of the media called {@code name} ({@code <conversationId>_<fileName>}, the {@code name} of the upload
     * answer): the newest when several share it, with {@link #NAME_MATCHES} and {@link #MEDIA_ID}.
     */
    @GetMapping("/v1/media/by-name/{name}")
    public ResponseEntity<MediaView> getByName(AuthenticatedTenant tenant, @PathVariable String name) {
        tenant.require(AuthenticatedTenant.MEDIA_READ);
        MediaStore.Named named = findByName(tenant.tenantId(), name);
        return ResponseEntity.ok().header(NAME_MATCHES, String.valueOf(named.matches()))
                .header(MEDIA_ID, named.media().mediaId()).body(view(tenant.tenantId(), named.media()));
    }

    /** The bytes of the media called {@code name}, like {@link #content} (API key only; a signed link names an id). */
    @GetMapping("/v1/media/by-name/{name}/content")
    public void contentByName(AuthenticatedTenant tenant, @PathVariable String name, HttpServletRequest request,
                              HttpServletResponse response) throws IOException {
        tenant.require(AuthenticatedTenant.MEDIA_READ);
        MediaStore.Named named = findByName(tenant.tenantId(), name);
        response.setHeader(NAME_MATCHES, String.valueOf(named.matches()));
        response.setHeader(MEDIA_ID, named.media().mediaId());
        serve(tenant.tenantId(), named.media(), request, response);
    }

    private MediaView view(String tenantId, MediaInfo media) {
        ValidationOutcome validation = store.outcome(tenantId, media.mediaId()).orElseGet(ValidationOutcome::pending);
        return new MediaView(media.mediaId(), media.displayName(), media.fileName(), media.contentType(), media.size(),
                media.sha256(), media.etag(), media.conversationId(), media.channel(), media.direction(),
                media.inboxId(), media.createdAt(), validation);
    }

    @DeleteMapping("/v1/media/{id}")
    public ResponseEntity<Void> delete(AuthenticatedTenant tenant, @PathVariable String id) {
        tenant.require(AuthenticatedTenant.MEDIA_WRITE);
        find(tenant.tenantId(), id);
        store.delete(tenant.tenantId(), id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/v1/media/{id}/links")
    public Link link(AuthenticatedTenant tenant, @PathVariable String id,
                     @RequestBody(required = false) LinkRequest request) {
        tenant.require(AuthenticatedTenant.MEDIA_WRITE);
        Duration ttl = properties.links().ttl();
        if (request != null && request.ttlSeconds() != null) {
            ttl = Duration.ofSeconds(request.ttlSeconds());
            if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(properties.links().maxTtl()) > 0) {
                throw ProblemException.badRequest("ttlSeconds must be between 1 and " + properties.links().maxTtl().toSeconds())
                        .with("field", "ttlSeconds");
            }
        }
        find(tenant.tenantId(), id);
        Instant expires = clock.instant().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return new Link(signer.link(properties.publicBaseUrl(), tenant.tenantId(), id, expires), expires);
    }

    /**
     * The bytes. Public path for the key filter: a request either carries an API key with {@code media:read},
     * or the {@code tenant}, {@code expires}, {@code signature} of a signed link.
     */
    @GetMapping("/v1/media/{id}/content")
    public void content(@PathVariable String id,
                        @RequestParam(name = "tenant", required = false) String linkTenant,
                        @RequestParam(name = "expires", required = false) String expires,
                        @RequestParam(name = "signature", required = false) String signature,
                        NativeWebRequest webRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String tenantId = authorizeContent(id, linkTenant, expires, signature, webRequest);
        if (request.getHeader(HttpHeaders.RANGE) == null && request.getHeader(HttpHeaders.IF_NONE_MATCH) == null) {
            // the common case, a provider fetching the media: its metadata comes with its bytes, in one read
            MediaStore.Opened opened = store.openWhole(tenantId, id).orElseThrow(() -> ProblemException.notFound("Media", id));
            try (InputStream in = opened.content()) {
                writeWhole(opened.media(), in, response);
            }
            return;
        }
        serve(tenantId, find(tenantId, id), request, response);
    }

    private static void cacheHeaders(MediaInfo media, HttpServletResponse response) {
        response.setHeader(HttpHeaders.ETAG, "\"" + media.etag() + "\"");
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "private, max-age=0, must-revalidate");
    }

    private static void contentHeaders(MediaInfo media, HttpServletResponse response) {
        response.setContentType(media.contentType());
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDispositions.attachment(
                media.originalFileName() != null ? media.originalFileName() : media.fileName()));
        response.setHeader("X-Content-Type-Options", "nosniff");
    }

    private static void writeWhole(MediaInfo media, InputStream in, HttpServletResponse response) throws IOException {
        cacheHeaders(media, response);
        contentHeaders(media, response);
        response.setStatus(HttpStatus.OK.value());
        response.setContentLengthLong(media.size());
        OutputStream out = response.getOutputStream();
        in.transferTo(out);
        out.flush();
    }

    /**
     * A thumbnail (ARCHITECTURE §15): the smallest, or {@code ?size=} one of {@link MediaKeys#THUMBNAIL_SIZES}; by API key or by
     * the same signed link as the content. 404 while none is made (not an image or video, not accepted yet), 422 with
     * the reason when validation could make none (e.g. over the decoding limit).
     */
    @GetMapping("/v1/media/{id}/thumbnail")
    public void thumbnail(@PathVariable String id, @RequestParam(name = "size", required = false) String size,
                          @RequestParam(name = "tenant", required = false) String linkTenant,
                          @RequestParam(name = "expires", required = false) String expires,
                          @RequestParam(name = "signature", required = false) String signature,
                          NativeWebRequest webRequest, HttpServletResponse response) throws IOException {
        String tenantId = authorizeContent(id, linkTenant, expires, signature, webRequest);
        String label = size == null || size.isBlank() ? MediaKeys.THUMBNAIL_SIZES.getFirst() : size.strip();
        if (!MediaKeys.THUMBNAIL_SIZES.contains(label)) {
            throw ProblemException.badRequest("size must be one of " + String.join(", ", MediaKeys.THUMBNAIL_SIZES))
                    .with("field", "size");
        }
        find(tenantId, id);
        Optional<? extends InputStream> thumbnail = store.openThumbnail(tenantId, id, label);
        if (thumbnail.isEmpty()) {
            throw store.thumbnailRefusal(tenantId, id)
                    .map(reason -> new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "thumbnail-refused",
                            "No thumbnail", reason))
                    .orElseGet(() -> new ProblemException(HttpStatus.NOT_FOUND, "no-thumbnail", "No thumbnail",
                            "Media " + id + " has no thumbnail (yet): thumbnails are made of images and video once "
                                    + "validation accepts them"));
        }
        try (InputStream in = thumbnail.get()) {
            response.setContentType("image/jpeg");
            response.setHeader(HttpHeaders.CACHE_CONTROL, "private, max-age=3600");
            response.setHeader("X-Content-Type-Options", "nosniff");
            OutputStream out = response.getOutputStream();
            in.transferTo(out);
            out.flush();
        }
    }

    /** Answers the bytes of {@code media}: ETag, {@code If-None-Match}, Range, its original name, {@code nosniff}. */
    private void serve(String tenantId, MediaInfo media, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String id = media.mediaId();
        String etag = "\"" + media.etag() + "\"";
        cacheHeaders(media, response);
        if (matches(request.getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
            response.setStatus(HttpStatus.NOT_MODIFIED.value());
            return;
        }
        Optional<ByteRange> range;
        String ifRange = request.getHeader(HttpHeaders.IF_RANGE);
        try {
            range = ifRange != null && !ifRange.trim().equals(etag)
                    ? Optional.empty()
                    : ByteRange.parse(request.getHeader(HttpHeaders.RANGE), media.size());
        } catch (ByteRange.NotSatisfiableException e) {
            throw new ProblemException(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "range-not-satisfiable",
                    "Range not satisfiable", "The content has " + media.size() + " bytes")
                    .header(HttpHeaders.CONTENT_RANGE, "bytes */" + media.size());
        }
        try (InputStream in = store.open(tenantId, id, range.map(ByteRange::header).orElse(null))) {
            if (range.isEmpty()) {
                writeWhole(media, in, response);
                return;
            }
            contentHeaders(media, response);
            response.setStatus(HttpStatus.PARTIAL_CONTENT.value());
            response.setHeader(HttpHeaders.CONTENT_RANGE, range.get().contentRange(media.size()));
            response.setContentLengthLong(range.get().length());
            OutputStream out = response.getOutputStream();
            in.transferTo(out);
            out.flush();
        }
    }

    private String authorizeContent(String id, String linkTenant, String expires, String signature,
                                    NativeWebRequest webRequest) {
        AuthenticatedTenant tenant = TenantArgumentResolver.current(webRequest);
        if (tenant != null) {
            return tenant.require(AuthenticatedTenant.MEDIA_READ).tenantId();
        }
        if (signature == null && linkTenant == null && expires == null) {
            throw ProblemException.unauthorized("Send Authorization: Bearer <key>, or use a signed link");
        }
        long expiresAt;
        try {
            expiresAt = Long.parseLong(expires == null ? "" : expires);
        } catch (NumberFormatException e) {
            throw ProblemException.forbidden("The link is invalid or has expired");
        }
        if (!signer.verify(linkTenant, id, expiresAt, signature, clock.instant())) {
            throw ProblemException.forbidden("The link is invalid or has expired");
        }
        return linkTenant;
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(",")).map(String::trim)
                .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                .anyMatch(tag -> tag.equals("*") || tag.equals(etag));
    }

    private MediaStore.Named findByName(String tenantId, String name) {
        return store.findByName(tenantId, name).orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND, "not-found",
                "Media not found", "No media named " + name));
    }

    private MediaInfo find(String tenantId, String id) {
        return store.find(tenantId, id).orElseThrow(() -> ProblemException.notFound("Media", id));
    }
}
