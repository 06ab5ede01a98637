package io.mediaplatform.ingest.idempotency.core;

/**
 * An {@code Idempotency-Key} as stored: keys of different tenants, and of different endpoints of one tenant, never meet.
 *
 * @param tenantId the tenant that sent it
 * @param scope    the endpoint family ({@link #MESSAGES} or {@link #MEDIA})
 * @param key      the header's value
 */
public record IdempotencyKey(String tenantId, String scope, String key) {

    /** {@code POST /v1/messages}. */
    public static final String MESSAGES = "messages";
    /** {@code POST /v1/media} and {@code POST /v1/media/from-url}. */
    public static final String MEDIA = "media";
    /** Longest key accepted. */
    public static final int MAX_LENGTH = 255;
}
