package io.mediaplatform.ingest.asset.core;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The tenants' asset records (the bytes are stored media). */
public interface AssetCatalog {

    /** Adds the asset unless the tenant has one of the same SHA-256; answers that one then, else empty. */
    Optional<Asset> addUnlessKnown(Asset asset);

    Optional<Asset> find(String tenantId, String assetId);

    /** The asset whose bytes are that media, if any. */
    Optional<Asset> findByMedia(String tenantId, String mediaId);

    /** One page of the search, newest first; {@code limit + 1} rows at most, so the caller sees whether more follow. */
    List<Asset> search(String tenantId, AssetQuery query);

    /** Stores the changed name, tags, approval and update time; false when the asset is gone. */
    boolean update(Asset asset);

    /** Deletes the record; false when there was none. */
    boolean delete(String tenantId, String assetId);

    /** The media ids of the tenant's assets: kept out of retention. */
    Set<String> mediaIds(String tenantId);
}
