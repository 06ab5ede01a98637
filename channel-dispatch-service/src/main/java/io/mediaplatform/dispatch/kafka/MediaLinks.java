package io.mediaplatform.dispatch.kafka;

import io.mediaplatform.common.signing.LinkSigner;

import java.time.Clock;
import java.time.Duration;

/**
 * Makes the signed, time-limited download links providers fetch media from: ingest's public
 * {@code /v1/media/<id>/content} with tenant, expiry and signature ({@code LINK_SIGNING_KEY}, shared with ingest).
 */
public final class MediaLinks {

    private final LinkSigner signer;
    private final String publicBaseUrl;
    private final Duration ttl;
    private final Clock clock;

    public MediaLinks(LinkSigner signer, String publicBaseUrl, Duration ttl, Clock clock) {
        this.signer = signer;
        this.publicBaseUrl = publicBaseUrl;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A link to the media, valid for the configured time from now. */
    public String linkTo(String tenantId, String mediaId) {
        return signer.link(publicBaseUrl, tenantId, mediaId, clock.instant().plus(ttl));
    }
}
