package io.mediaplatform.callback.webhook;

import io.mediaplatform.common.signing.LinkSigner;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Makes the signed, time-limited download links a {@code message.received} webhook hands the client for the
 * customer's media: ingest's public {@code /v1/media/<id>/content?tenant=..&expires=..&signature=..}, signed with
 * {@code LINK_SIGNING_KEY} (shared with ingest, which checks it). A link is made for each delivery attempt and
 * never stored or logged: whoever holds it can download the media until it expires.
 */
public final class MediaLinks {

    /** A link and when it stops working. */
    public record Link(String url, Instant expiresAt) {
        @Override
        public String toString() {
            return "Link[expiresAt=" + expiresAt + "]";
        }
    }

    private final LinkSigner signer;
    private final String publicBaseUrl;
    private final Duration ttl;

    public MediaLinks(LinkSigner signer, String publicBaseUrl, Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("MEDIA_LINK_TTL must be at least one second");
        }
        this.signer = signer;
        this.publicBaseUrl = publicBaseUrl;
        this.ttl = ttl;
    }

    /** A link to the tenant's media valid for the configured time from {@code now} (to the second). */
    public Link linkTo(String tenantId, String mediaId, Instant now) {
        Instant expires = now.plus(ttl).truncatedTo(ChronoUnit.SECONDS);
        return new Link(signer.link(publicBaseUrl, tenantId, mediaId, expires), expires);
    }
}
