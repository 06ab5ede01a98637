package io.mediaplatform.common.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * API keys, stored only as SHA-256 hashes. The configuration ({@code API_KEYS}) is a list separated by
 * {@code ;} of {@code tenantId:sha256hex} or {@code tenantId:sha256hex:scope,scope}; a key without a scope
 * list has every scope. Keys are random 32-byte secrets, so an unsalted hash is enough: nothing to guess.
 */
public final class ApiKeyRegistry {

    private final Map<String, AuthenticatedTenant> byHash;

    private ApiKeyRegistry(Map<String, AuthenticatedTenant> byHash) {
        this.byHash = byHash;
    }

    public static ApiKeyRegistry parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return new ApiKeyRegistry(Map.of());
        }
        List<String[]> entries = Arrays.stream(spec.split(";")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.split(":", 3)).toList();
        for (String[] entry : entries) {
            if (entry.length < 2 || entry[0].isBlank() || !entry[1].matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("API_KEYS entries must be tenantId:sha256hex[:scopes]; got one for tenant '"
                        + entry[0] + "' that is not");
            }
        }
        return new ApiKeyRegistry(entries.stream().collect(Collectors.toUnmodifiableMap(e -> e[1].toLowerCase(),
                e -> new AuthenticatedTenant(e[0], e.length == 3 ? scopes(e[2]) : AuthenticatedTenant.ALL_SCOPES),
                (a, b) -> a)));
    }

    private static Set<String> scopes(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The tenant of that presented key, if the key is known. */
    public Optional<AuthenticatedTenant> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(byHash.get(sha256Hex(presentedKey.trim())));
    }

    public boolean isEmpty() {
        return byHash.isEmpty();
    }

    /** Lower-case hex SHA-256 of the key, as {@code API_KEYS} wants it. */
    public static String sha256Hex(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
