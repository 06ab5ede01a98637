package io.mediaplatform.ingest.media.core;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Credentials for fetching media from a client's URL. {@code toString()} never shows a secret, so a logged
 * request cannot leak one.
 */
public sealed interface SourceCredentials {

    /** No credentials. */
    SourceCredentials NONE = new None();

    /** No credentials. */
    record None() implements SourceCredentials {
    }

    /** {@code Authorization: Bearer <token>}. */
    record Bearer(String token) implements SourceCredentials {
        @Override
        public String toString() {
            return "Bearer[token=***]";
        }
    }

    /** {@code Authorization: Basic base64(username:password)}. */
    record Basic(String username, String password) implements SourceCredentials {
        /** The header value. */
        public String header() {
            return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Basic[username=***, password=***]";
        }
    }

    /** OAuth2 client credentials (RFC 6749 §4.4): a token is fetched from {@code tokenUrl}, then used as bearer. */
    record OAuth2(String tokenUrl, String clientId, String clientSecret, String scope) implements SourceCredentials {
        @Override
        public String toString() {
            return "OAuth2[clientId=***, clientSecret=***, scope=" + scope + "]";
        }
    }
}
