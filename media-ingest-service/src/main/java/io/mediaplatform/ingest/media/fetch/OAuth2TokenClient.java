package io.mediaplatform.ingest.media.fetch;

import io.mediaplatform.common.http.BlockedUrlException;
import io.mediaplatform.common.http.GuardedHttpClient;
import io.mediaplatform.common.http.OutboundTimeoutException;
import io.mediaplatform.common.http.RedirectRefusedException;
import io.mediaplatform.ingest.media.core.SourceCredentials;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * OAuth2 client-credentials grant (RFC 6749 §4.4): POSTs {@code grant_type=client_credentials} (and the scope)
 * to the token URL through the same {@link GuardedHttpClient} as the media (guard, pinning, no redirects,
 * timeouts, 64 KiB answer limit), authenticating with HTTP Basic ({@code client_secret_basic}, §2.3.1). The
 * secret and the token are never logged nor put in an error message.
 */
@Component
public class OAuth2TokenClient {

    private static final long MAX_TOKEN_RESPONSE = 64 * 1024;

    private final GuardedHttpClient http;
    private final JsonMapper json;

    public OAuth2TokenClient(GuardedHttpClient http, JsonMapper json) {
        this.http = http;
        this.json = json;
    }

    /** No token: {@code kind} and a message safe to show the client. */
    public static class TokenException extends Exception {
        private final FetchFailure kind;

        public TokenException(FetchFailure kind, String message) {
            super(message);
            this.kind = kind;
        }

        public FetchFailure kind() {
            return kind;
        }
    }

    /** Fetches an access token. */
    public String token(SourceCredentials.OAuth2 credentials, Duration timeout) throws TokenException {
        String body = "grant_type=client_credentials"
                + (credentials.scope() == null ? "" : "&scope=" + encode(credentials.scope()));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (encode(credentials.clientId()) + ":" + encode(credentials.clientSecret())).getBytes(StandardCharsets.UTF_8)));
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        headers.put("Accept", "application/json");
        try (GuardedHttpClient.Response response = http.send(GuardedHttpClient.Request.post(credentials.tokenUrl(), headers,
                body.getBytes(StandardCharsets.UTF_8), MAX_TOKEN_RESPONSE, timeout))) {
            if (response.status() / 100 != 2) {
                throw new TokenException(FetchFailure.CREDENTIALS, "The token endpoint answered HTTP " + response.status());
            }
            JsonNode answer = json.readTree(response.readAll());
            JsonNode token = answer.get("access_token");
            JsonNode type = answer.get("token_type");
            if (token == null || !token.isString() || token.asString().isBlank()
                    || token.asString().chars().anyMatch(Character::isISOControl)) {
                throw new TokenException(FetchFailure.CREDENTIALS, "The token endpoint answered no access_token");
            }
            if (type != null && !type.isNull() && !"bearer".equals(type.asString().toLowerCase(Locale.ROOT))) {
                throw new TokenException(FetchFailure.CREDENTIALS, "The token endpoint answered a token that is not a bearer token");
            }
            return token.asString();
        } catch (BlockedUrlException e) {
            throw new TokenException(FetchFailure.URL_REFUSED, "auth.tokenUrl is not allowed: " + e.getMessage());
        } catch (RedirectRefusedException e) {
            throw new TokenException(FetchFailure.CREDENTIALS, "The token endpoint answered a redirect; redirects are not followed");
        } catch (OutboundTimeoutException e) {
            throw new TokenException(FetchFailure.TIMEOUT, "The token endpoint did not answer in time");
        } catch (IOException | JacksonException e) {
            throw new TokenException(FetchFailure.CREDENTIALS, "No token could be obtained from the token endpoint");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
