package io.mediaplatform.ingest.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Settings of the ingest edge ({@code ingest.*} in {@code ingest.yml}).
 *
 * @param maxUploadSize hard limit of one media, upload or fetched from a URL ({@code INGEST_MAX_UPLOAD_SIZE})
 * @param publicBaseUrl base URL clients and providers reach this service at, used in signed links
 *                      ({@code INGEST_PUBLIC_URL})
 * @param links         signed download links
 * @param idempotency   the {@code Idempotency-Key} memory of {@code POST /v1/messages}
 * @param fetch         fetching media from URLs
 * @param retention     how long media is kept
 * @param mediaCache    metadata of media named by sends, kept for a while
 * @param fallback      channel fallback plans
 * @param assets        the asset library
 * @param cors          the browser origins allowed to call this API (the operator console)
 */
@ConfigurationProperties("ingest")
public record IngestProperties(
        @DefaultValue("100MB") DataSize maxUploadSize,
        @DefaultValue("http://127.0.0.1:8080") String publicBaseUrl,
        @DefaultValue Links links,
        @DefaultValue Idempotency idempotency,
        @DefaultValue Fetch fetch,
        @DefaultValue Retention retention,
        @DefaultValue MediaCache mediaCache,
        @DefaultValue Fallback fallback,
        @DefaultValue Assets assets,
        @DefaultValue Cors cors) {

    /**
     * Cross-origin calls from browsers (ARCHITECTURE §17): the operator console, served by callback-service, calls this
     * API from callback's origin. Closed by default: without origins no CORS header is ever answered.
     *
     * @param allowedOrigins comma-separated origins ({@code scheme://host[:port]}) whose pages may call the API
     *                       ({@code INGEST_CORS_ALLOWED_ORIGINS}, default none)
     */
    public record Cors(@DefaultValue("") String allowedOrigins) {
    }

    /**
     * The asset library (ARCHITECTURE §14).
     *
     * @param approvalTenants tenants whose outbound messages may carry approved assets only
     *                        ({@code ASSETS_APPROVAL_TENANTS}, comma-separated, default none)
     */
    public record Assets(@DefaultValue("") String approvalTenants) {
    }

    /**
     * Channel fallback plans (ARCHITECTURE §4).
     *
     * @param planTtl       how long a plan waits for its message to end FAILED or REJECTED ({@code FALLBACK_PLAN_TTL})
     * @param sweepInterval how often older plans are deleted ({@code FALLBACK_SWEEP_INTERVAL})
     * @param tenants       each tenant's default fallback channels for messages that name none
     *                      ({@code FALLBACK_TENANTS}, {@code acme=MMS,SMS;globex=SMS}, default none)
     */
    public record Fallback(@DefaultValue("7d") Duration planTtl, @DefaultValue("1h") Duration sweepInterval,
                           @DefaultValue("") String tenants) {
    }

    /**
     * Metadata of stored media that sends name by id ({@code POST /v1/messages}, {@code message.send-requested.v1}),
     * kept in memory so that a campaign sending the same media again and again does not look it up in S3 twice per
     * message. Stored media is immutable; a deletion elsewhere is seen after {@code ttl} at the latest (until then
     * such a send is rejected FETCH_FAILED by validation instead of 404 or UNKNOWN_MEDIA here).
     *
     * @param size entries kept at most, least recently used out first ({@code INGEST_MEDIA_CACHE_SIZE}); 0 turns it off
     * @param ttl  how long an entry is used ({@code INGEST_MEDIA_CACHE_TTL}); 0 turns it off
     * @param bytes bytes of small media kept with their metadata for the providers' fetches of
     *              {@code /v1/media/{id}/content} ({@code INGEST_MEDIA_CACHE_BYTES}; one media at most a sixteenth of
     *              it), so a campaign's provider fetches read S3 once per media and TTL, not once per message; 0 turns
     *              it off
     */
    public record MediaCache(@DefaultValue("10000") int size, @DefaultValue("30s") Duration ttl,
                             @DefaultValue("16MB") DataSize bytes) {
    }

    /**
     * @param totalTimeout deadline of one whole fetch (token, connect, headers and every byte), so a source that
     *                     trickles bytes is cut off ({@code INGEST_FETCH_TOTAL_TIMEOUT}); connect and read
     *                     timeouts are {@code OUTBOUND_CONNECT_TIMEOUT} and {@code OUTBOUND_READ_TIMEOUT}
     */
    public record Fetch(@DefaultValue("120s") Duration totalTimeout) {
    }

    /**
     * @param defaultRetention how long a tenant's media (and its sidecars) is kept ({@code MEDIA_RETENTION})
     * @param tenants          per-tenant overrides, {@code "tenant:duration;..."} e.g. {@code "acme:7d;globex:12h"}
     *                         ({@code MEDIA_RETENTION_TENANTS})
     * @param sweepInterval    how often the sweeper runs ({@code MEDIA_RETENTION_SWEEP_INTERVAL}); 0 disables it
     * @param stagingMaxAge    age after which a leftover staging object (crashed upload) is deleted
     *                         ({@code MEDIA_STAGING_MAX_AGE})
     */
    public record Retention(@Name("default") @DefaultValue("30d") Duration defaultRetention,
                            @DefaultValue("") String tenants,
                            @DefaultValue("1h") Duration sweepInterval,
                            @DefaultValue("1h") Duration stagingMaxAge) {
    }

    /**
     * @param signingKey HMAC key of the links, at least 32 characters, shared with dispatch
     *                   ({@code LINK_SIGNING_KEY}; the default is for development only and must be changed)
     * @param ttl        default validity of a new link ({@code MEDIA_LINK_TTL})
     * @param maxTtl     longest validity a client may ask for ({@code MEDIA_LINK_MAX_TTL})
     */
    public record Links(String signingKey,
                        @DefaultValue("300s") Duration ttl,
                        @DefaultValue("1h") Duration maxTtl) {
    }

    /**
     * The {@code Idempotency-Key} memory, in PostgreSQL (shared by every instance, kept across restarts).
     *
     * @param maxKeysPerTenant keys remembered per tenant; the oldest beyond it are forgotten at the next sweep
     *                         ({@code IDEMPOTENCY_MAX_KEYS_PER_TENANT})
     * @param ttl              how long a key is remembered ({@code IDEMPOTENCY_TTL})
     * @param lease            how long a first request that has not answered yet is presumed alive; after it, a retry
     *                         takes the key over with the same message or media id ({@code IDEMPOTENCY_LEASE})
     * @param inFlightWait     how long a duplicate waits for the first request's answer before a 409
     *                         ({@code IDEMPOTENCY_IN_FLIGHT_WAIT})
     * @param sweepInterval    how often expired keys are deleted ({@code IDEMPOTENCY_SWEEP_INTERVAL})
     */
    public record Idempotency(@DefaultValue("10000") int maxKeysPerTenant,
                              @DefaultValue("24h") Duration ttl,
                              @DefaultValue("2m") Duration lease,
                              @DefaultValue("10s") Duration inFlightWait,
                              @DefaultValue("10m") Duration sweepInterval) {
    }
}
