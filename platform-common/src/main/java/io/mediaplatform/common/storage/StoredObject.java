package io.mediaplatform.common.storage;

/** What storage holds after a write: where, how big, the content hash and the ETag. */
public record StoredObject(String bucket, String key, long size, String sha256, String etag) {
}
