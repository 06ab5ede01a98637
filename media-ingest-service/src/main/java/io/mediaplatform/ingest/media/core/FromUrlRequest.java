package io.mediaplatform.ingest.media.core;

import io.mediaplatform.ingest.core.InvalidInputException;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The body of {@code POST /v1/media/from-url} as the client sent it; {@link #validate()} checks it.
 *
 * @param sourceUrl      http(s) URL of the media
 * @param conversationId conversation the media belongs to
 * @param channel        channel name
 * @param fileName       optional file name (else the URL's last path segment)
 * @param mimeType       optional declared type (else the source's Content-Type)
 * @param direction      optional INBOUND or OUTBOUND (default)
 * @param inboxId        optional inbox
 * @param auth           optional credentials for the source
 */
public record FromUrlRequest(String sourceUrl, String conversationId, String channel, String fileName, String mimeType,
                             String direction, String inboxId, Auth auth) {

    /** Longest URL accepted. */
    public static final int MAX_URL = 2048;
    private static final int MAX_SECRET = 4096;

    /**
     * Credentials as sent: {@code type} bearer ({@code token}), basic ({@code username}, {@code password}) or
     * oauth2 ({@code tokenUrl}, {@code clientId}, {@code clientSecret}, optional {@code scope}).
     */
    public record Auth(String type, String token, String username, String password, String tokenUrl, String clientId,
                       String clientSecret, String scope) {
        @Override
        public String toString() {
            return "Auth[type=" + type + ", secrets=***]";
        }
    }

    /** The request, checked. */
    public record Valid(String sourceUrl, UploadFields fields, String mimeType, SourceCredentials credentials) {
    }

    /** Checks every field; throws {@link InvalidInputException} naming the first that is wrong. */
    public Valid validate() {
        if (sourceUrl == null || sourceUrl.isBlank()) {
            throw new InvalidInputException("sourceUrl", "sourceUrl is required (an http or https URL)");
        }
        if (sourceUrl.length() > MAX_URL) {
            throw new InvalidInputException("sourceUrl", "sourceUrl must be at most " + MAX_URL + " characters");
        }
        Map<String, String> map = new HashMap<>();
        put(map, UploadFields.CONVERSATION_ID, conversationId);
        put(map, UploadFields.CHANNEL, channel);
        put(map, UploadFields.DIRECTION, direction);
        put(map, UploadFields.INBOX_ID, inboxId);
        put(map, UploadFields.FILE_NAME, fileName);
        UploadFields fields = UploadFields.parse(map);
        String type = mimeType == null || mimeType.isBlank() ? null : mimeType.strip();
        if (type != null && (type.length() > 255 || !type.matches("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\\s*;.*)?"))) {
            throw new InvalidInputException("mimeType", "mimeType must be a media type such as image/png");
        }
        return new Valid(sourceUrl.strip(), fields, type, credentials());
    }

    private SourceCredentials credentials() {
        if (auth == null) {
            return SourceCredentials.NONE;
        }
        String kind = auth.type() == null ? "" : auth.type().strip().toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "bearer" -> new SourceCredentials.Bearer(secret("auth.token", auth.token()));
            case "basic" -> {
                String user = secret("auth.username", auth.username());
                if (user.contains(":")) {
                    throw new InvalidInputException("auth.username", "auth.username must not contain ':'");
                }
                yield new SourceCredentials.Basic(user, auth.password() == null ? "" : secretValue("auth.password", auth.password()));
            }
            case "oauth2" -> {
                String tokenUrl = secret("auth.tokenUrl", auth.tokenUrl());
                if (tokenUrl.length() > MAX_URL) {
                    throw new InvalidInputException("auth.tokenUrl", "auth.tokenUrl must be at most " + MAX_URL + " characters");
                }
                String scope = auth.scope() == null || auth.scope().isBlank() ? null : secretValue("auth.scope", auth.scope().strip());
                yield new SourceCredentials.OAuth2(tokenUrl, secret("auth.clientId", auth.clientId()),
                        secret("auth.clientSecret", auth.clientSecret()), scope);
            }
            default -> throw new InvalidInputException("auth.type", "auth.type must be bearer, basic or oauth2");
        };
    }

    private static String secret(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, field + " is required");
        }
        return secretValue(field, value.strip());
    }

    private static String secretValue(String field, String value) {
        if (value.length() > MAX_SECRET || value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException(field, field + " must be at most " + MAX_SECRET
                    + " characters, without control characters");
        }
        return value;
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    @Override
    public String toString() {
        return "FromUrlRequest[conversationId=" + conversationId + ", channel=" + channel + ", auth=" + auth + "]";
    }
}
