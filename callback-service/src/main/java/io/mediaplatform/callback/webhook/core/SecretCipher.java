package io.mediaplatform.callback.webhook.core;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Seals the signing secrets of tenant webhook endpoints for the database: AES-256-GCM with a random 12-byte nonce
 * and the endpoint id as associated data (a sealed secret copied onto another row does not open), stored as
 * {@code v1:<base64 nonce+ciphertext>}. Without a key the secret is stored as {@code plain:<secret>} (local
 * use only); {@link #open} reads both, so a key can be introduced later. {@link #toString()} never shows the key.
 */
public final class SecretCipher {

    private static final String SEALED = "v1:";
    private static final String PLAIN = "plain:";
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private SecretCipher(SecretKeySpec key) {
        this.key = key;
    }

    /**
     * @param base64Key base64 of 32 random bytes ({@code WEBHOOK_ENCRYPTION_KEY}); null or blank stores secrets unsealed
     * @throws IllegalArgumentException when the key is not base64 of 32 bytes
     */
    public static SecretCipher of(String base64Key) {
        if (base64Key == null || base64Key.isBlank()) {
            return new SecretCipher(null);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("WEBHOOK_ENCRYPTION_KEY must be base64 of 32 bytes; it is not base64");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException("WEBHOOK_ENCRYPTION_KEY must be base64 of 32 bytes; it has " + bytes.length);
        }
        return new SecretCipher(new SecretKeySpec(bytes, "AES"));
    }

    /** Whether secrets are encrypted. */
    public boolean encrypts() {
        return key != null;
    }

    /** The stored form of {@code secret} for the row {@code context}. */
    public String seal(String secret, String context) {
        if (key == null) {
            return PLAIN + secret;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, nonce, context, secret.getBytes(StandardCharsets.UTF_8));
        return SEALED + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    }

    /**
     * The secret from its stored form.
     *
     * @throws IllegalStateException when it was sealed and there is no key, or the key or context is wrong
     */
    public String open(String stored, String context) {
        if (stored.startsWith(PLAIN)) {
            return stored.substring(PLAIN.length());
        }
        if (!stored.startsWith(SEALED)) {
            throw new IllegalStateException("unknown secret format");
        }
        if (key == null) {
            throw new IllegalStateException("the secret is encrypted but WEBHOOK_ENCRYPTION_KEY is not set");
        }
        byte[] all = Base64.getDecoder().decode(stored.substring(SEALED.length()));
        byte[] nonce = java.util.Arrays.copyOfRange(all, 0, NONCE_BYTES);
        byte[] sealed = java.util.Arrays.copyOfRange(all, NONCE_BYTES, all.length);
        return new String(crypt(Cipher.DECRYPT_MODE, nonce, context, sealed), StandardCharsets.UTF_8);
    }

    private byte[] crypt(int mode, byte[] nonce, String context, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot " + (mode == Cipher.ENCRYPT_MODE ? "seal" : "open")
                    + " a webhook secret: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public String toString() {
        return "SecretCipher[" + (key == null ? "no key: secrets stored unencrypted" : "AES-256-GCM") + "]";
    }
}
