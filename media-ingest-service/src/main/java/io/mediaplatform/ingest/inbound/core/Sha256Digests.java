package io.mediaplatform.ingest.inbound.core;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Compares the SHA-256 a provider announced with the one of the stored bytes. Providers spell it differently:
 * WhatsApp's webhook gives base64, its media endpoint and the notification API give hex; both are accepted
 * (base64 standard or URL-safe, padded or not).
 */
public final class Sha256Digests {

    private static final int LENGTH = 32;

    private Sha256Digests() {
    }

    /** The 32 digest bytes of a hex or base64 spelling, or empty when it is neither. */
    public static Optional<byte[]> parse(String spelled) {
        if (spelled == null) {
            return Optional.empty();
        }
        String s = spelled.trim();
        if (s.regionMatches(true, 0, "sha256=", 0, 7)) {
            s = s.substring(7);
        }
        if (s.length() == LENGTH * 2 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return Optional.of(HexFormat.of().parseHex(s.toLowerCase(Locale.ROOT)));
        }
        try {
            String standard = s.replace('-', '+').replace('_', '/');
            byte[] bytes = Base64.getDecoder().decode(standard.endsWith("=") ? standard : pad(standard));
            return bytes.length == LENGTH ? Optional.of(bytes) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the announced digest matches the stored one.
     *
     * @param announced what the provider gave, or null/blank when it gave none (nothing to compare: a match)
     * @param storedHex lower-case hex SHA-256 of the stored bytes
     * @return the problem for the client, or empty when they match
     */
    public static Optional<String> mismatch(String announced, String storedHex) {
        if (announced == null || announced.isBlank()) {
            return Optional.empty();
        }
        Optional<byte[]> expected = parse(announced);
        if (expected.isEmpty()) {
            return Optional.of("The provider's SHA-256 of the media is neither hex nor base64; the bytes cannot be verified");
        }
        byte[] actual = HexFormat.of().parseHex(storedHex);
        if (!java.security.MessageDigest.isEqual(expected.get(), actual)) {
            return Optional.of("The downloaded bytes do not match the SHA-256 the provider announced");
        }
        return Optional.empty();
    }

    private static String pad(String s) {
        return s + "=".repeat((4 - s.length() % 4) % 4);
    }
}
