package io.mediaplatform.common.storage;

/** What storage holds after a write: where, how big, the content hash and the ETag. */
public record StoredObject(String bucket, String key, long size, String sha256, String etag) {

    /** An ETag as S3 sends it ({@code "abc"}, or weak {@code W/"abc"}) without its quotes; null stays null. */
    public static String unquoteEtag(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.startsWith("W/") ? etag.substring(2) : etag;
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }
}
