package io.mediaplatform.dispatch.support;

import io.mediaplatform.common.signing.LinkSigner;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Makes the signed, time-limited download links providers fetch media from: ingest's public
 * {@code /v1/media/<id>/content} with tenant, expiry and signature ({@code LINK_SIGNING_KEY}, shared with ingest).
 * A link the provider fetches at once lives {@code PROVIDER_MEDIA_LINK_TTL}; on a channel where the recipient opens
 * the link later (SMS: in the text; PUSH: the notification's image) it lives that channel's longer time.
 */
public final class MediaLinks {

    private final LinkSigner signer;
    private final String publicBaseUrl;
    private final Duration ttl;
    private final Map<String, Duration> channelTtls;
    private final Clock clock;

    public MediaLinks(LinkSigner signer, String publicBaseUrl, Duration ttl, Clock clock) {
        this(signer, publicBaseUrl, ttl, Map.of(), clock);
    }

    /** @param channelTtls validity of the links of the channels named, instead of {@code ttl} */
    public MediaLinks(LinkSigner signer, String publicBaseUrl, Duration ttl, Map<String, Duration> channelTtls,
                      Clock clock) {
        this.signer = signer;
        this.publicBaseUrl = publicBaseUrl;
        this.ttl = ttl;
        this.channelTtls = Map.copyOf(channelTtls);
        this.clock = clock;
    }

    /** A link to the media for a send on {@code channel}, valid for that channel's time from now. */
    public String linkTo(String tenantId, String mediaId, String channel) {
        return signer.link(publicBaseUrl, tenantId, mediaId, clock.instant().plus(channelTtls.getOrDefault(channel, ttl)));
    }

    /** A link to the media, valid for the configured time from now. */
    public String linkTo(String tenantId, String mediaId) {
        return signer.link(publicBaseUrl, tenantId, mediaId, clock.instant().plus(ttl));
    }
}
