package io.mediaplatform.common.signing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Standard Webhooks signatures (standardwebhooks.com): {@code webhook-signature: v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">}, keyed by the secret's bytes (the base64 after {@code whsec_}).
 */
public final class StandardWebhooks {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    private static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private StandardWebhooks() {
    }

    /** A new random secret, {@code whsec_<base64 of 32 bytes>}. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /** The {@code webhook-signature} value for this message. */
    public static String sign(String secret, String id, long timestampSeconds, String body) {
        byte[] mac = Hmac.sha256(keyBytes(secret), id + "." + timestampSeconds + "." + body);
        return "v1," + Base64.getEncoder().encodeToString(mac);
    }

    /**
     * Whether one of the space-separated signatures in {@code signatureHeader} is right for the secret and
     * the timestamp is within {@code tolerance} of {@code now}.
     */
    public static boolean verify(String secret, String id, String timestamp, String body, String signatureHeader,
                                 Instant now, Duration tolerance) {
        if (id == null || timestamp == null || signatureHeader == null) {
            return false;
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - ts) > tolerance.toSeconds()) {
            return false;
        }
        String expected = sign(secret, id, ts, body);
        for (String candidate : signatureHeader.trim().split(" ")) {
            if (Hmac.equal(expected, candidate)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] keyBytes(String secret) {
        String raw = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        try {
            return Base64.getDecoder().decode(raw);
        } catch (IllegalArgumentException e) {
            return raw.getBytes(StandardCharsets.UTF_8);
        }
    }
}
