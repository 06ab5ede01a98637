package io.mediaplatform.dispatch.connector.twilio;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Twilio's request signature: {@code X-Twilio-Signature = base64(HMAC-SHA1(authToken, url + k1 + v1 + k2 + v2 …))}
 * over the full URL Twilio requested (scheme, host, port, path and query string) followed by the POST parameters
 * sorted by name (values of a repeated name sorted too), checked in constant time.
 */
public final class TwilioSignature {

    /** The header carrying the signature. */
    public static final String HEADER = "X-Twilio-Signature";

    private final byte[] authToken;

    public TwilioSignature(String authToken) {
        this.authToken = authToken == null || authToken.isBlank() ? null : authToken.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether an auth token is configured; without one every callback is refused. */
    public boolean configured() {
        return authToken != null;
    }

    /** The signature of a request. */
    public String sign(String url, Map<String, List<String>> postParams) {
        if (authToken == null) {
            throw new IllegalStateException("no auth token configured");
        }
        return sign(authToken, url, postParams);
    }

    /** Whether the header is the right signature of the request. */
    public boolean verify(String url, Map<String, List<String>> postParams, String header) {
        if (authToken == null || header == null || header.isBlank()) {
            return false;
        }
        return MessageDigest.isEqual(sign(url, postParams).getBytes(StandardCharsets.UTF_8),
                header.trim().getBytes(StandardCharsets.UTF_8));
    }

    static String sign(byte[] key, String url, Map<String, List<String>> postParams) {
        StringBuilder data = new StringBuilder(url);
        for (Map.Entry<String, List<String>> entry : new TreeMap<>(postParams).entrySet()) {
            List<String> values = new ArrayList<>(entry.getValue());
            values.sort(null);
            for (String value : values) {
                data.append(entry.getKey()).append(value);
            }
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
