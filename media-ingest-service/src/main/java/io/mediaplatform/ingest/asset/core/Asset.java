package io.mediaplatform.ingest.asset.core;

import java.time.Instant;
import java.util.List;

/**
 * One file of a tenant's asset library: stored once per tenant (by its SHA-256) as media outside any conversation,
 * kept out of retention, and sendable in any conversation ({@code POST /v1/messages} with {@code media: {assetId}}).
 *
 * @param assetId     asset id
 * @param tenantId    owning tenant
 * @param mediaId     the stored media holding its bytes
 * @param name        display name
 * @param tags        tags, lower-case, sorted, no repeats
 * @param kind        image, video, audio or document (from the content type)
 * @param contentType declared content type
 * @param size        size in bytes
 * @param sha256      lower-case hex SHA-256 of the bytes
 * @param approved    whether it may be sent by tenants that send approved assets only
 * @param createdAt   when it was stored
 * @param updatedAt   when its name, tags or approval last changed
 */
public record Asset(String assetId, String tenantId, String mediaId, String name, List<String> tags, String kind,
                    String contentType, long size, String sha256, boolean approved, Instant createdAt, Instant updatedAt) {

    public Asset {
        tags = List.copyOf(tags);
    }

    /** The asset with the changed fields of {@code change} (null fields keep their value). */
    public Asset with(AssetChange change, Instant now) {
        return new Asset(assetId, tenantId, mediaId, change.name() != null ? change.name() : name,
                change.tags() != null ? change.tags() : tags, kind, contentType, size, sha256,
                change.approved() != null ? change.approved() : approved, createdAt, now);
    }
}
