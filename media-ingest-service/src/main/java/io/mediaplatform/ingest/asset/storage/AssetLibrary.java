package io.mediaplatform.ingest.asset.storage;

import io.mediaplatform.ingest.asset.core.Asset;
import io.mediaplatform.ingest.asset.core.AssetCatalog;
import io.mediaplatform.ingest.asset.core.AssetChange;
import io.mediaplatform.ingest.asset.core.AssetKind;
import io.mediaplatform.ingest.media.kafka.MediaIngestor;
import io.mediaplatform.ingest.media.core.FileNames;
import io.mediaplatform.ingest.media.core.MediaInfo;
import io.mediaplatform.ingest.media.core.MediaKeys;
import io.mediaplatform.ingest.media.core.ValidationOutcome;
import io.mediaplatform.ingest.media.storage.MediaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The asset library over stored media. A new file is staged like any upload; when the tenant already has an asset of
 * the same SHA-256 the staged bytes are dropped and that asset is the answer. Otherwise the record is claimed first
 * (the unique (tenant, sha256) row decides a race between two uploads of the same bytes), then the bytes are committed
 * as media of the conversation {@value #CONVERSATION} on {@value #CHANNEL} (the channel whose media policy takes any
 * type another channel takes) and announced on {@code media.received.v1}, so validation judges them like any upload.
 * Sending names the asset's media in the message's own conversation and channel, and validation judges it again for
 * that channel.
 */
@Component
public class AssetLibrary {

    /** The conversation of every asset's media. */
    public static final String CONVERSATION = "assets";
    /** The channel an asset is validated for at upload. */
    public static final String CHANNEL = "EMAIL";

    private static final Logger log = LoggerFactory.getLogger(AssetLibrary.class);

    private final MediaStore store;
    private final MediaIngestor ingestor;
    private final AssetCatalog catalog;
    private final Clock clock;

    public AssetLibrary(MediaStore store, MediaIngestor ingestor, AssetCatalog catalog, Clock clock) {
        this.store = store;
        this.ingestor = ingestor;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** An asset with what validation said of its media. */
    public record Viewed(Asset asset, ValidationOutcome validation) {
    }

    /** The answer to adding a file: the asset, and whether it is new (false: the same bytes were there). */
    public record Added(Viewed asset, boolean created) {
    }

    /** Where a new asset's media is staged (a fresh media id of the tenant). */
    public MediaStore.Staged stage(String tenantId, java.io.InputStream in, String contentType, long maxBytes) {
        return store.stage(tenantId, MediaKeys.newMediaId(), in, contentType, maxBytes);
    }

    /** Drops staged bytes that will not become an asset. */
    public void discard(MediaStore.Staged staged) {
        try {
            store.discard(staged);
        } catch (RuntimeException ignored) {
            // a leftover staging object is swept by retention (MEDIA_STAGING_MAX_AGE)
        }
    }

    /** The draft media of a new asset's bytes. */
    public MediaInfo draft(String tenantId, String mediaId, String fileName, String contentType) {
        return new MediaInfo(mediaId, tenantId, CONVERSATION, CHANNEL, "OUTBOUND", null, FileNames.sanitize(fileName),
                fileName, contentType, 0, null, null, now());
    }

    /** Adds staged bytes (refused when empty: {@link io.mediaplatform.ingest.core.InvalidInputException}). */
    public Added add(MediaStore.Staged staged, String fileName, String contentType, AssetChange fields) {
        if (staged.size() == 0) {
            discard(staged);
            throw new io.mediaplatform.ingest.core.InvalidInputException("file", "The file is empty (0 bytes)");
        }
        Asset asset = newAsset(staged.tenantId(), staged.mediaId(), fileName, contentType, staged.size(),
                staged.sha256(), fields);
        Optional<Asset> known = catalog.addUnlessKnown(asset);
        if (known.isPresent()) {
            discard(staged);
            return new Added(view(known.get()), false);
        }
        try {
            MediaInfo media = ingestor.commit(staged, draft(staged.tenantId(), staged.mediaId(), fileName, contentType));
            ingestor.announceUpload(media);
        } catch (RuntimeException e) {
            catalog.delete(asset.tenantId(), asset.assetId());
            discard(staged);
            throw e;
        }
        log.info("Asset added tenant={} assetId={} mediaId={} size={}", asset.tenantId(), asset.assetId(), asset.mediaId(),
                asset.size());
        return new Added(view(asset), true);
    }

    /** Adds media already stored (fetched from a URL) and not yet announced; drops it when the bytes are known. */
    public Added addStored(MediaInfo media, AssetChange fields) {
        Asset asset = newAsset(media.tenantId(), media.mediaId(), media.originalFileName(), media.contentType(),
                media.size(), media.sha256(), fields);
        Optional<Asset> known = catalog.addUnlessKnown(asset);
        if (known.isPresent()) {
            store.delete(media.tenantId(), media.mediaId());
            return new Added(view(known.get()), false);
        }
        try {
            ingestor.announceUpload(media);
        } catch (RuntimeException e) {
            catalog.delete(asset.tenantId(), asset.assetId());
            throw e;
        }
        return new Added(view(asset), true);
    }

    public Optional<Viewed> find(String tenantId, String assetId) {
        return catalog.find(tenantId, assetId).map(this::view);
    }

    /** Applies the change; empty when the asset is gone. */
    public Optional<Viewed> change(String tenantId, String assetId, AssetChange change) {
        return catalog.find(tenantId, assetId).map(asset -> asset.with(change, now()))
                .filter(catalog::update).map(this::view);
    }

    /** Deletes the asset and its media; false when there was none. */
    public boolean delete(String tenantId, String assetId) {
        Optional<Asset> asset = catalog.find(tenantId, assetId);
        if (asset.isEmpty() || !catalog.delete(tenantId, assetId)) {
            return false;
        }
        store.delete(tenantId, asset.get().mediaId());
        log.info("Asset deleted tenant={} assetId={} mediaId={}", tenantId, assetId, asset.get().mediaId());
        return true;
    }

    /** The assets of a search page with their validation. */
    public List<Viewed> views(List<Asset> assets) {
        return assets.stream().map(this::view).toList();
    }

    private Viewed view(Asset asset) {
        return new Viewed(asset, store.outcome(asset.tenantId(), asset.mediaId()).orElse(ValidationOutcome.pending()));
    }

    private Asset newAsset(String tenantId, String mediaId, String fileName, String contentType, long size, String sha256,
                           AssetChange fields) {
        Instant now = now();
        String name = fields.name() != null ? fields.name() : AssetChange.nameFrom(fileName);
        return new Asset(UUID.randomUUID().toString(), tenantId, mediaId, name,
                fields.tags() == null ? List.of() : fields.tags(), AssetKind.of(contentType), contentType, size, sha256,
                Boolean.TRUE.equals(fields.approved()), now, now);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
