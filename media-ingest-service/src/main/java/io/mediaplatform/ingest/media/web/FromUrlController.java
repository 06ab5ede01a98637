package io.mediaplatform.ingest.media.web;

import io.mediaplatform.common.security.AuthenticatedTenant;
import io.mediaplatform.common.web.ProblemException;
import io.mediaplatform.ingest.core.InvalidInputException;
import io.mediaplatform.ingest.idempotency.core.IdempotencyKey;
import io.mediaplatform.ingest.idempotency.core.IdempotentRequests;
import io.mediaplatform.ingest.idempotency.web.IdempotentAnswers;
import io.mediaplatform.ingest.media.kafka.MediaIngestor;
import io.mediaplatform.ingest.media.core.MediaKeys;
import io.mediaplatform.ingest.media.core.FromUrlRequest;
import io.mediaplatform.ingest.media.core.MediaInfo;
import io.mediaplatform.ingest.media.fetch.MediaFetcher;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;

/**
 * {@code POST /v1/media/from-url}: fetches media from a client's URL (optionally with bearer, basic or OAuth2
 * client-credentials auth) through the guarded client, stores it like an upload and answers the same 201.
 * Failures: 400 URL refused (scheme, non-public address after DNS, any numeric spelling of one), 413 over the
 * limit, 422 redirect or empty source, 502 source error or no OAuth2 token, 504 source too slow.
 */
@RestController
public class FromUrlController {

    private final MediaFetcher fetcher;
    private final MediaIngestor ingestor;
    private final JsonMapper json;

    private final IdempotentRequests idempotency;

    public FromUrlController(MediaFetcher fetcher, MediaIngestor ingestor, JsonMapper json, IdempotentRequests idempotency) {
        this.fetcher = fetcher;
        this.ingestor = ingestor;
        this.json = json;
        this.idempotency = idempotency;
    }

    @PostMapping(path = "/v1/media/from-url", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<UploadController.Uploaded> fromUrl(AuthenticatedTenant tenant, @RequestBody JsonNode body,
            @RequestHeader(name = IdempotentAnswers.HEADER, required = false) String idempotencyKey) {
        tenant.require(AuthenticatedTenant.MEDIA_WRITE);
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest("The body must be a JSON object");
        }
        FromUrlRequest.Valid request;
        try {
            request = json.treeToValue(body, FromUrlRequest.class).validate();
        } catch (JacksonException e) {
            throw ProblemException.badRequest("The body does not match the from-url schema: " + e.getOriginalMessage());
        } catch (InvalidInputException e) {
            throw ProblemException.badRequest(e.getMessage()).with("field", e.field());
        }
        MediaFetcher.Context context = new MediaFetcher.Context(tenant.tenantId(), request.fields().conversationId(),
                request.fields().channel().name(), request.fields().direction().name(), request.fields().inboxId());
        IdempotencyKey key = IdempotentAnswers.key(tenant.tenantId(), IdempotencyKey.MEDIA, idempotencyKey);
        if (key == null) {
            return UploadController.answer(fetch(context, request, MediaKeys.newMediaId()));
        }
        IdempotentRequests.Outcome<UploadController.Uploaded> outcome = idempotency.run(key,
                IdempotentAnswers.sha256("from-url\n" + body), MediaKeys.newMediaId(),
                mediaId -> fetch(context, request, mediaId), IdempotentAnswers.json(json, UploadController.Uploaded.class));
        return IdempotentAnswers.respond(outcome, UploadController::created);
    }

    private UploadController.Uploaded fetch(MediaFetcher.Context context, FromUrlRequest.Valid request, String mediaId) {
        MediaInfo media = switch (fetcher.fetch(context, mediaId, request.sourceUrl(), request.mimeType(),
                request.fields().fileName(), request.credentials())) {
            case MediaFetcher.Fetched fetched -> fetched.media();
            case MediaFetcher.Failed failed -> throw problem(failed);
        };
        ingestor.announceUpload(media);
        return UploadController.uploaded(media);
    }

    /** The problem answering a failed fetch (also for assets fetched from a URL). */
    public static ProblemException problem(MediaFetcher.Failed failed) {
        ProblemException problem = switch (failed.kind()) {
            case URL_REFUSED -> new ProblemException(HttpStatus.BAD_REQUEST, "url-not-allowed", "URL not allowed", failed.reason());
            case REDIRECT -> new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "redirect-refused",
                    "Redirects are not followed", failed.reason());
            case EMPTY -> new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "empty-source", "Empty source", failed.reason());
            case TOO_LARGE -> new ProblemException(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Content too large",
                    failed.reason()).with("limit", failed.limit());
            case TIMEOUT -> new ProblemException(HttpStatus.GATEWAY_TIMEOUT, "source-timeout", "Source too slow", failed.reason());
            case SOURCE_STATUS -> new ProblemException(HttpStatus.BAD_GATEWAY, "source-failed", "Source failed", failed.reason());
            case CONNECTION -> new ProblemException(HttpStatus.BAD_GATEWAY, "source-unreachable", "Source unreachable",
                    failed.reason());
            case CREDENTIALS -> new ProblemException(HttpStatus.BAD_GATEWAY, "token-failed", "No OAuth2 token", failed.reason());
        };
        return failed.field() == null ? problem : problem.with("field", failed.field());
    }
}
