package io.mediaplatform.common.core;

import java.util.regex.Pattern;

/**
 * Where a tenant's media lives in the platform's bucket: {@code tenants/<tenantId>/media/<mediaId>}. Written by
 * ingest (uploads, inbound media) and by validation (media an upstream system stored in a bucket of its own, copied
 * in); read by ingest's download links. Media ids are lower-case UUIDs, so an id cannot reach another prefix.
 */
public final class StorageKeys {

    private static final Pattern UUID_PATTERN =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private StorageKeys() {
    }

    /** Whether the text is a media id this platform could have given (lower-case UUID). */
    public static boolean isMediaId(String id) {
        return id != null && UUID_PATTERN.matcher(id).matches();
    }

    /** Key prefix of a tenant's objects: {@code tenants/<tenantId>/}; a blank id or one with a slash is refused. */
    public static String tenantPrefix(String tenantId) {
        if (tenantId == null || tenantId.isBlank() || tenantId.contains("/")) {
            throw new IllegalArgumentException("Invalid tenant id");
        }
        return "tenants/" + tenantId + "/";
    }

    /** Key of the media's bytes: {@code tenants/<tenantId>/media/<mediaId>}. */
    public static String media(String tenantId, String mediaId) {
        return tenantPrefix(tenantId) + "media/" + mediaId;
    }
}
