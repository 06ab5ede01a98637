package io.mediaplatform.ingest.media.core;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the platform knows about one stored media, and its encoding as object user metadata. Every value is
 * URL-encoded in metadata so any client text (non-ASCII names, conversation ids) survives HTTP headers.
 *
 * @param mediaId          media id
 * @param tenantId         owning tenant
 * @param conversationId   conversation the media belongs to
 * @param channel          channel name
 * @param direction        INBOUND or OUTBOUND
 * @param inboxId          inbox, or null
 * @param fileName         sanitised file name
 * @param originalFileName file name exactly as the client gave it, or null
 * @param contentType      declared content type
 * @param size             size in bytes
 * @param sha256           lower-case hex SHA-256 of the bytes
 * @param etag             storage ETag (without quotes), or null before it is known
 * @param createdAt        when it was stored
 */
public record MediaInfo(String mediaId, String tenantId, String conversationId, String channel, String direction,
                        String inboxId, String fileName, String originalFileName, String contentType, long size,
                        String sha256, String etag, Instant createdAt) {

    public static final String TENANT = "tenant";
    public static final String CONVERSATION_ID = "conversation-id";
    public static final String CHANNEL = "channel";
    public static final String DIRECTION = "direction";
    public static final String INBOX_ID = "inbox-id";
    public static final String FILE_NAME = "file-name";
    public static final String ORIGINAL_FILE_NAME = "original-file-name";
    public static final String DECLARED_TYPE = "declared-type";
    public static final String SHA256 = "sha256";
    public static final String CREATED_AT = "created-at";

    /** {@code <conversationId>_<fileName>}, the display name of the upload answer. */
    public String displayName() {
        return conversationId + "_" + fileName;
    }

    /** The same media with what storage told after writing it. */
    public MediaInfo stored(long size, String sha256, String etag) {
        return new MediaInfo(mediaId, tenantId, conversationId, channel, direction, inboxId, fileName, originalFileName,
                contentType, size, sha256, etag, createdAt);
    }

    /** User metadata of the object (values URL-encoded; absent values left out). */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, TENANT, tenantId);
        put(m, CONVERSATION_ID, conversationId);
        put(m, CHANNEL, channel);
        put(m, DIRECTION, direction);
        put(m, INBOX_ID, inboxId);
        put(m, FILE_NAME, fileName);
        put(m, ORIGINAL_FILE_NAME, originalFileName);
        put(m, DECLARED_TYPE, contentType);
        put(m, SHA256, sha256);
        put(m, CREATED_AT, createdAt == null ? null : createdAt.toString());
        return m;
    }

    /**
     * Reads user metadata back.
     *
     * @param fallbackCreatedAt used when the metadata has no creation time (e.g. the object's Last-Modified)
     */
    public static MediaInfo fromMetadata(String mediaId, Map<String, String> metadata, String contentType, long size,
                                         String etag, Instant fallbackCreatedAt) {
        String created = get(metadata, CREATED_AT);
        String declared = get(metadata, DECLARED_TYPE);
        return new MediaInfo(mediaId, get(metadata, TENANT), get(metadata, CONVERSATION_ID), get(metadata, CHANNEL),
                get(metadata, DIRECTION), get(metadata, INBOX_ID), get(metadata, FILE_NAME),
                get(metadata, ORIGINAL_FILE_NAME), declared != null ? declared : contentType, size,
                get(metadata, SHA256), etag, created != null ? Instant.parse(created) : fallbackCreatedAt);
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static String get(Map<String, String> m, String key) {
        String value = m.get(key);
        return value == null ? null : URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
