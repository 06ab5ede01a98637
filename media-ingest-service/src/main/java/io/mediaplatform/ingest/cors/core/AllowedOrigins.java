package io.mediaplatform.ingest.cors.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The browser origins allowed to call the ingest API cross-origin (ARCHITECTURE §17), from
 * {@code INGEST_CORS_ALLOWED_ORIGINS}: comma-separated {@code scheme://host[:port]}. Closed by default: none given means
 * no CORS at all. A wildcard, a path or a scheme other than http/https is refused at start, with the value named, so a
 * typo cannot open the API to every page.
 */
public record AllowedOrigins(List<String> origins) {

    /** The request headers a console page sends. */
    public static final List<String> REQUEST_HEADERS = List.of("Authorization", "Content-Type", "Idempotency-Key", "Agent-Id");

    /** The answer headers a console page may read. */
    public static final List<String> EXPOSED_HEADERS = List.of("Location", "Retry-After", "Idempotent-Replayed",
            "Media-Id", "Media-Name-Matches", "Transaction-Id", "WWW-Authenticate");

    public AllowedOrigins {
        origins = List.copyOf(origins);
    }

    /** Whether any origin is allowed (else the service answers no CORS header). */
    public boolean enabled() {
        return !origins.isEmpty();
    }

    /** Parses the setting; blank gives none. */
    public static AllowedOrigins parse(String setting) {
        List<String> origins = new ArrayList<>();
        if (setting != null) {
            for (String part : setting.split(",")) {
                String value = part.trim();
                if (!value.isEmpty()) {
                    origins.add(origin(value));
                }
            }
        }
        return new AllowedOrigins(origins);
    }

    private static String origin(String value) {
        URI uri;
        try {
            uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("INGEST_CORS_ALLOWED_ORIGINS: '" + value + "' is not an origin (scheme://host[:port])");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getHost().contains("*")
                || uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("INGEST_CORS_ALLOWED_ORIGINS: '" + value
                    + "' is not an origin: give scheme://host[:port] of the console's page, no wildcard, no path");
        }
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
