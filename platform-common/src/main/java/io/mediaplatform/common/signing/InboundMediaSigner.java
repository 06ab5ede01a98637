package io.mediaplatform.common.signing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Signs and checks the requests ingest makes to channel-dispatch-service's
 * {@code GET /v1/providers/{provider}/inbound-media}, which downloads a customer's media from the provider with
 * dispatch's own credentials (ARCHITECTURE §9). The signature is the lower-case hex
 * {@code HMAC-SHA256(LINK_SIGNING_KEY, "inbound-media-v1\n" + provider + "\n" + tenant + "\n" + mediaId + "\n" + ref
 * + "\n" + expires)}: it binds the provider, the tenant, the platform media id, the provider's reference (WhatsApp
 * media id, or the Twilio / notification-API media URL) and the expiry (unix seconds), so a request can be neither
 * moved to another media or provider nor used after it expires. The {@code inbound-media-v1} prefix keeps these
 * signatures apart from media links ({@link LinkSigner}), which share the key: one can never stand for the other.
 *
 * <p>Plain Java: ingest signs, dispatch verifies (in constant time).
 */
public final class InboundMediaSigner {

    /** The domain that starts every signed string. */
    public static final String DOMAIN = "inbound-media-v1";

    /** The outcome of {@link #verify}. */
    public enum Verdict {
        /** Right signature, not expired. */
        VALID,
        /** Missing fields or a signature that is not the one of these fields. */
        BAD_SIGNATURE,
        /** Right signature, but its expiry has passed. */
        EXPIRED
    }

    private final byte[] key;

    /**
     * @param key {@code LINK_SIGNING_KEY}, at least 32 characters
     */
    public InboundMediaSigner(String key) {
        if (key == null || key.length() < 32) {
            throw new IllegalArgumentException("LINK_SIGNING_KEY must be at least 32 characters");
        }
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The hex signature of a request for that media, valid until {@code expiresEpochSecond}.
     *
     * @throws IllegalArgumentException when a field is missing or holds a line break
     */
    public String sign(String provider, String tenant, String mediaId, String ref, long expiresEpochSecond) {
        for (String field : new String[]{provider, tenant, mediaId, ref}) {
            if (!usable(field)) {
                throw new IllegalArgumentException("provider, tenant, mediaId and ref must be present without line breaks");
            }
        }
        byte[] mac = Hmac.sha256(key, DOMAIN + "\n" + provider + "\n" + tenant + "\n" + mediaId + "\n" + ref + "\n"
                + expiresEpochSecond);
        return HexFormat.of().formatHex(mac);
    }

    /**
     * Checks a request: the signature first (compared in constant time), then the expiry.
     *
     * @param expires   the {@code expires} parameter as sent (unix seconds), or null
     * @param signature the {@code signature} parameter as sent (hex), or null
     */
    public Verdict verify(String provider, String tenant, String mediaId, String ref, String expires, String signature,
                          Instant now) {
        if (!usable(provider) || !usable(tenant) || !usable(mediaId) || !usable(ref) || expires == null
                || signature == null) {
            return Verdict.BAD_SIGNATURE;
        }
        long expiresAt;
        try {
            expiresAt = Long.parseLong(expires.trim());
        } catch (NumberFormatException e) {
            return Verdict.BAD_SIGNATURE;
        }
        String expected = sign(provider, tenant, mediaId, ref, expiresAt);
        if (!Hmac.equal(expected, signature.trim().toLowerCase(Locale.ROOT))) {
            return Verdict.BAD_SIGNATURE;
        }
        return now.getEpochSecond() > expiresAt ? Verdict.EXPIRED : Verdict.VALID;
    }

    /**
     * The query string of a signed request ({@code tenant=..&mediaId=..&ref=..&expires=..&signature=..}, each value
     * URL-encoded), to append to {@code <dispatch>/v1/providers/<provider>/inbound-media?}.
     */
    public String query(String provider, String tenant, String mediaId, String ref, Instant expires) {
        long at = expires.getEpochSecond();
        return "tenant=" + encode(tenant) + "&mediaId=" + encode(mediaId) + "&ref=" + encode(ref) + "&expires=" + at
                + "&signature=" + sign(provider, tenant, mediaId, ref, at);
    }

    private static boolean usable(String field) {
        return field != null && !field.isEmpty() && field.indexOf('\n') < 0 && field.indexOf('\r') < 0;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "InboundMediaSigner[key=***]";
    }
}
