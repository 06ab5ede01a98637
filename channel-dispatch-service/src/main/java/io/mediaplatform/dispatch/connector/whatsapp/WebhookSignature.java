package io.mediaplatform.dispatch.connector.whatsapp;

import io.mediaplatform.common.signing.Hmac;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Meta's webhook signature: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(appSecret, raw body)>}, checked
 * in constant time over the exact bytes received.
 */
public final class WebhookSignature {

    /** The header carrying the signature. */
    public static final String HEADER = "X-Hub-Signature-256";
    private static final String PREFIX = "sha256=";

    private final byte[] appSecret;

    public WebhookSignature(String appSecret) {
        this.appSecret = appSecret == null || appSecret.isBlank() ? null : appSecret.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether an app secret is configured; without one every webhook is refused. */
    public boolean configured() {
        return appSecret != null;
    }

    /** The header value for a body. */
    public String sign(byte[] body) {
        if (appSecret == null) {
            throw new IllegalStateException("no app secret configured");
        }
        return PREFIX + HexFormat.of().formatHex(Hmac.sha256(appSecret, body));
    }

    /** Whether the header is the right signature of the body. */
    public boolean verify(byte[] body, String header) {
        if (appSecret == null || header == null) {
            return false;
        }
        String presented = header.trim().toLowerCase(Locale.ROOT);
        if (!presented.startsWith(PREFIX)) {
            return false;
        }
        return Hmac.equal(sign(body), presented);
    }
}
