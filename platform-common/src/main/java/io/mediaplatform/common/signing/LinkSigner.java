package io.mediaplatform.common.signing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Signs and checks media download links: the signature binds tenant, media id and expiry, so a link
 * cannot be moved to another media or tenant or have its life extended. Ingest checks links; dispatch
 * makes them for providers; both share {@code LINK_SIGNING_KEY}.
 */
public final class LinkSigner {

    private final byte[] key;

    public LinkSigner(String key) {
        if (key == null || key.length() < 32) {
            throw new IllegalArgumentException("LINK_SIGNING_KEY must be at least 32 characters");
        }
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    /** The signature of a link to {@code mediaId} of {@code tenantId}, valid until {@code expires}. */
    public String sign(String tenantId, String mediaId, Instant expires) {
        byte[] mac = Hmac.sha256(key, "media-link.v1\n" + tenantId + "\n" + mediaId + "\n" + expires.getEpochSecond());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }

    /** Whether the signature is right and the link not yet expired at {@code now}. */
    public boolean verify(String tenantId, String mediaId, long expiresEpochSecond, String signature, Instant now) {
        if (tenantId == null || mediaId == null || signature == null || now.getEpochSecond() > expiresEpochSecond) {
            return false;
        }
        return Hmac.equal(sign(tenantId, mediaId, Instant.ofEpochSecond(expiresEpochSecond)), signature);
    }

    /**
     * The full link: {@code <publicBaseUrl>/v1/media/<id>/content?tenant=..&expires=..&signature=..}.
     */
    public String link(String publicBaseUrl, String tenantId, String mediaId, Instant expires) {
        String base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        return base + "/v1/media/" + mediaId + "/content?tenant=" + java.net.URLEncoder.encode(tenantId, StandardCharsets.UTF_8)
                + "&expires=" + expires.getEpochSecond() + "&signature=" + sign(tenantId, mediaId, expires);
    }
}
