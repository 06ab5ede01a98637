package io.mediaplatform.ingest.media.core;

import io.mediaplatform.common.core.StorageKeys;

import java.util.Optional;
import java.util.UUID;

/**
 * Ingest's object keys around a tenant's media. The layout itself ({@code tenants/<tenantId>/media/<mediaId>}, media
 * ids lower-case UUIDs) is platform-common's {@link StorageKeys}, shared with validation; here are the keys only
 * ingest writes (the outcome sidecar, the staging copy). Every key starts with {@code tenants/<tenantId>/}, so a key
 * made from one tenant's id can never name another tenant's object; media ids are UUIDs, so an id cannot reach a
 * sidecar or another prefix.
 */
public final class MediaKeys {

    private static final String OUTCOME_SUFFIX = ".outcome.json";

    private MediaKeys() {
    }

    /** A new media id. */
    public static String newMediaId() {
        return UUID.randomUUID().toString();
    }

    /** Whether the text is a media id this platform could have given (lower-case UUID). */
    public static boolean isMediaId(String id) {
        return StorageKeys.isMediaId(id);
    }

    /** Key of the media's bytes: {@code tenants/<tenantId>/media/<mediaId>}. */
    public static String media(String tenantId, String mediaId) {
        return StorageKeys.media(tenantId, mediaId);
    }

    /** Key of the validation outcome sidecar: {@code tenants/<tenantId>/media/<mediaId>.outcome.json}. */
    public static String outcome(String tenantId, String mediaId) {
        return media(tenantId, mediaId) + OUTCOME_SUFFIX;
    }

    /** The thumbnail renditions validation makes of accepted images and video (ARCHITECTURE §15), smallest first. */
    public static final java.util.List<String> THUMBNAIL_SIZES = java.util.List.of("96x96", "320x240", "640x480");

    /** Key of a thumbnail: {@code tenants/<tenantId>/media/<mediaId>.thumb-<size>.jpg}. */
    public static String thumbnail(String tenantId, String mediaId, String size) {
        return media(tenantId, mediaId) + ".thumb-" + size + ".jpg";
    }

    /** Key of the reason no thumbnail could be made: {@code tenants/<tenantId>/media/<mediaId>.thumb-refused.txt}. */
    public static String thumbnailRefusal(String tenantId, String mediaId) {
        return media(tenantId, mediaId) + ".thumb-refused.txt";
    }

    /** Key an upload is written to before its metadata is complete: {@code tenants/<t>/staging/<mediaId>}. */
    public static String staging(String tenantId, String mediaId) {
        return StorageKeys.tenantPrefix(tenantId) + "staging/" + mediaId;
    }

    /** The media id of a key when it is exactly that tenant's media key, else empty. */
    public static Optional<String> mediaIdOf(String tenantId, String key) {
        String prefix = StorageKeys.tenantPrefix(tenantId) + "media/";
        if (key == null || !key.startsWith(prefix)) {
            return Optional.empty();
        }
        String id = key.substring(prefix.length());
        return isMediaId(id) ? Optional.of(id) : Optional.empty();
    }
}
