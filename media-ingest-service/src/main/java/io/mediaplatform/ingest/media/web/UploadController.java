package io.mediaplatform.ingest.media.web;

import io.mediaplatform.common.security.AuthenticatedTenant;
import io.mediaplatform.common.web.ProblemException;
import io.mediaplatform.ingest.config.IngestProperties;
import io.mediaplatform.ingest.core.InvalidInputException;
import io.mediaplatform.ingest.idempotency.core.IdempotencyKey;
import io.mediaplatform.ingest.idempotency.core.IdempotentRequests;
import io.mediaplatform.ingest.idempotency.web.IdempotentAnswers;
import io.mediaplatform.ingest.media.kafka.MediaIngestor;
import io.mediaplatform.ingest.media.core.MediaInfo;
import io.mediaplatform.ingest.media.core.MediaKeys;
import io.mediaplatform.ingest.media.storage.MediaStore;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Clock;
import java.util.Locale;

/**
 * {@code POST /v1/media}: streams an upload to storage while hashing it, never holding it whole in memory.
 * <ul>
 *   <li>{@code multipart/form-data} with parts {@code file}, {@code conversationId}, {@code channel} and
 *   optional {@code direction}, {@code inboxId}, {@code fileName}, in any order. The file streams to a
 *   staging key as it arrives; text parts that come after it are applied when the media is committed. When
 *   the text parts come first (recommended) they are checked before a byte of the file is stored.</li>
 *   <li>a raw body: {@code Content-Type} of the media, {@code Content-Disposition: attachment;
 *   filename="x.png"}, and {@code conversationId}, {@code channel} (and the optional fields) as query
 *   parameters.</li>
 * </ul>
 * Spring's multipart resolver is disabled ({@code spring.servlet.multipart.enabled=false}) so the body
 * reaches this controller unread; {@link UploadBodies} reads it, this class answers.
 */
@RestController
public class UploadController {

    static final String FILE_PART = "file";
    static final String UPLOADED = "File uploaded successfully.";

    private final UploadBodies bodies;
    private final MediaIngestor ingestor;

    private final IdempotentRequests idempotency;
    private final JsonMapper json;

    public UploadController(MediaStore store, MediaIngestor ingestor, IngestProperties properties, Clock clock,
                            IdempotentRequests idempotency, JsonMapper json) {
        this.bodies = new UploadBodies(store, properties, clock);
        this.ingestor = ingestor;
        this.idempotency = idempotency;
        this.json = json;
    }

    /** The answer to an upload. */
    public record Uploaded(String mediaId, String name, String type, long size, String sha256, String etag, String message) {
    }

    /**
     * Stores the body as media. With {@code Idempotency-Key} the same upload again (same content and fields) gets the
     * first answer and stores nothing; another upload with the key is a 422. The body of a replay is still read (to
     * compare it) and thrown away.
     */
    @PostMapping("/v1/media")
    public ResponseEntity<Uploaded> upload(AuthenticatedTenant tenant, HttpServletRequest request,
            @RequestHeader(name = IdempotentAnswers.HEADER, required = false) String idempotencyKey) {
        tenant.require(AuthenticatedTenant.MEDIA_WRITE);
        IdempotencyKey key = IdempotentAnswers.key(tenant.tenantId(), IdempotencyKey.MEDIA, idempotencyKey);
        if (key == null) {
            return answer(store(bodies.read(tenant.tenantId(), request, MediaKeys.newMediaId())));
        }
        IdempotentRequests.Outcome<Uploaded> outcome = idempotency.runUpload(key, MediaKeys.newMediaId(),
                new IdempotentRequests.UploadWork<>() {
                    @Override
                    public IdempotentRequests.Hashed<Uploaded> perform(String mediaId) {
                        UploadBodies.Read body = bodies.read(tenant.tenantId(), request, mediaId);
                        String hash = body.requestHash();
                        return new IdempotentRequests.Hashed<>(store(body), hash);
                    }

                    @Override
                    public String hashOnly() {
                        UploadBodies.Read body = bodies.read(tenant.tenantId(), request, MediaKeys.newMediaId());
                        bodies.discardQuietly(body.staged());
                        return body.requestHash();
                    }
                }, IdempotentAnswers.json(json, Uploaded.class));
        return IdempotentAnswers.respond(outcome, UploadController::created);
    }

    /** 201 with the media's Location and ETag. */
    static ResponseEntity.BodyBuilder created(Uploaded uploaded) {
        return ResponseEntity.created(URI.create("/v1/media/" + uploaded.mediaId())).eTag(uploaded.etag());
    }

    static Uploaded uploaded(MediaInfo media) {
        return new Uploaded(media.mediaId(), media.displayName(), media.contentType(), media.size(), media.sha256(),
                media.etag(), UPLOADED);
    }

    /** The 201 for {@code uploaded}. */
    static ResponseEntity<Uploaded> answer(Uploaded uploaded) {
        return created(uploaded).body(uploaded);
    }

    private Uploaded store(UploadBodies.Read body) {
        MediaInfo media;
        try {
            media = ingestor.commit(body.staged(), body.draft());
        } catch (InvalidInputException e) {
            throw ProblemException.badRequest(e.getMessage()).with("field", e.field());
        } catch (RuntimeException e) {
            bodies.discardQuietly(body.staged());
            throw e;
        }
        ingestor.announceUpload(media);
        return uploaded(media);
    }

    /** The declared media type without parameters, lower-case; {@code application/octet-stream} when absent or invalid. */
    public static String declaredType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return MediaType.APPLICATION_OCTET_STREAM_VALUE;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            if (type.isWildcardType() || type.isWildcardSubtype()) {
                return MediaType.APPLICATION_OCTET_STREAM_VALUE;
            }
            return (type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT);
        } catch (InvalidMediaTypeException e) {
            return MediaType.APPLICATION_OCTET_STREAM_VALUE;
        }
    }
}
