package io.mediaplatform.ingest.idempotency.web;

import io.mediaplatform.common.web.ProblemException;
import io.mediaplatform.ingest.idempotency.core.IdempotencyKey;
import io.mediaplatform.ingest.idempotency.core.IdempotentRequests;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * The HTTP side of {@code Idempotency-Key}, the same for every endpoint that takes it: the header checked, answers
 * kept as JSON, a replay marked {@code Idempotent-Replayed: true} with the first answer's status and body, another
 * request with the key a 422, a first request still in flight after the wait a 409 with {@code Retry-After}.
 */
public final class IdempotentAnswers {

    /** The request header. */
    public static final String HEADER = "Idempotency-Key";

    private IdempotentAnswers() {
    }

    /** The key of the request, or null when it carries none; a 400 when it is too long. */
    public static IdempotencyKey key(String tenantId, String scope, String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        if (header.length() > IdempotencyKey.MAX_LENGTH) {
            throw ProblemException.badRequest(HEADER + " must be at most " + IdempotencyKey.MAX_LENGTH + " characters")
                    .with("field", HEADER);
        }
        return new IdempotencyKey(tenantId, scope, header);
    }

    /** Answers kept as JSON of {@code type}. */
    public static <R> IdempotentRequests.Codec<R> json(JsonMapper json, Class<R> type) {
        return new IdempotentRequests.Codec<>() {
            @Override
            public String encode(R answer) {
                return json.writeValueAsString(answer);
            }

            @Override
            public R decode(String encoded) {
                return json.readValue(encoded, type);
            }
        };
    }

    /** The response for {@code outcome}; {@code status} starts a response for an answer (e.g. 201 with its Location). */
    public static <R> ResponseEntity<R> respond(IdempotentRequests.Outcome<R> outcome,
                                                Function<R, ResponseEntity.BodyBuilder> status) {
        return switch (outcome) {
            case IdempotentRequests.Fresh<R> fresh -> status.apply(fresh.answer()).body(fresh.answer());
            case IdempotentRequests.Replayed<R> replayed ->
                    status.apply(replayed.answer()).header("Idempotent-Replayed", "true").body(replayed.answer());
            case IdempotentRequests.Conflicted<R> conflicted -> throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT,
                    "idempotency-key-reused", "Idempotency key reused",
                    "This Idempotency-Key was already used with a different request");
            case IdempotentRequests.StillInFlight<R> inFlight -> throw new ProblemException(HttpStatus.CONFLICT,
                    "idempotent-request-in-progress", "Earlier request still in progress",
                    "The request first sent with this Idempotency-Key is still being carried out; send it again shortly")
                    .header("Retry-After", "1");
        };
    }

    /** Hex sha256 of {@code text}. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
