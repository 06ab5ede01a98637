package io.mediaplatform.simulator;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/** The HMAC behind every signature the simulators make (webhooks, callbacks, media download URLs). */
final class Hmac {

    private Hmac() {
    }

    /** The MAC of the data under the key, e.g. with {@code "HmacSHA256"}. */
    static byte[] of(String algorithm, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
