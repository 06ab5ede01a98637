package io.mediaplatform.ingest.asset.jdbc;

import io.mediaplatform.ingest.asset.core.Asset;
import io.mediaplatform.ingest.asset.core.AssetCatalog;
import io.mediaplatform.ingest.asset.core.AssetQuery;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link AssetCatalog} in PostgreSQL ({@code ingest_assets}, ingest's schema). */
@Component
public class JdbcAssetCatalog implements AssetCatalog {

    private static final String COLUMNS = "asset_id, tenant_id, media_id, name, tags, kind, content_type, size_bytes, "
            + "sha256, approved, created_at, updated_at";
    private static final RowMapper<Asset> ROW = (rs, row) -> new Asset(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getString(4), tags(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getLong(8), rs.getString(9),
            rs.getBoolean(10), rs.getTimestamp(11).toInstant(), rs.getTimestamp(12).toInstant());

    private final JdbcClient jdbc;

    public JdbcAssetCatalog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Asset> addUnlessKnown(Asset asset) {
        int added = jdbc.sql("INSERT INTO ingest_assets (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (tenant_id, sha256) DO NOTHING")
                .params(asset.assetId(), asset.tenantId(), asset.mediaId(), asset.name(), column(asset.tags()), asset.kind(),
                        asset.contentType(), asset.size(), asset.sha256(), asset.approved(),
                        Timestamp.from(asset.createdAt()), Timestamp.from(asset.updatedAt()))
                .update();
        if (added == 1) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM ingest_assets WHERE tenant_id = ? AND sha256 = ?")
                .params(asset.tenantId(), asset.sha256()).query(ROW).optional();
    }

    @Override
    public Optional<Asset> find(String tenantId, String assetId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM ingest_assets WHERE tenant_id = ? AND asset_id = ?")
                .params(tenantId, assetId).query(ROW).optional();
    }

    @Override
    public Optional<Asset> findByMedia(String tenantId, String mediaId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM ingest_assets WHERE tenant_id = ? AND media_id = ?")
                .params(tenantId, mediaId).query(ROW).optional();
    }

    @Override
    public List<Asset> search(String tenantId, AssetQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM ingest_assets WHERE tenant_id = :tenant");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("tenant", tenantId);
        if (query.text() != null) {
            sql.append(" AND strpos(lower(name), :text) > 0");
            params.put("text", query.text());
        }
        if (query.tag() != null) {
            sql.append(" AND strpos(tags, :tag) > 0");
            params.put("tag", "," + query.tag() + ",");
        }
        if (query.kind() != null) {
            sql.append(" AND kind = :kind");
            params.put("kind", query.kind());
        }
        if (query.cursor() != null) {
            sql.append(" AND (created_at, asset_id) < (:cursorAt, :cursorId)");
            params.put("cursorAt", Timestamp.from(query.cursor().createdAt()));
            params.put("cursorId", query.cursor().assetId());
        }
        sql.append(" ORDER BY created_at DESC, asset_id DESC LIMIT :limit");
        params.put("limit", query.limit() + 1);
        return jdbc.sql(sql.toString()).params(params).query(ROW).list();
    }

    @Override
    public boolean update(Asset asset) {
        return jdbc.sql("UPDATE ingest_assets SET name = ?, tags = ?, approved = ?, updated_at = ? WHERE tenant_id = ? AND asset_id = ?")
                .params(asset.name(), column(asset.tags()), asset.approved(), Timestamp.from(asset.updatedAt()),
                        asset.tenantId(), asset.assetId())
                .update() == 1;
    }

    @Override
    public boolean delete(String tenantId, String assetId) {
        return jdbc.sql("DELETE FROM ingest_assets WHERE tenant_id = ? AND asset_id = ?").params(tenantId, assetId).update() == 1;
    }

    @Override
    public Set<String> mediaIds(String tenantId) {
        return new HashSet<>(jdbc.sql("SELECT media_id FROM ingest_assets WHERE tenant_id = ?").param(tenantId)
                .query(String.class).list());
    }

    private static String column(List<String> tags) {
        return "," + String.join(",", tags) + ",";
    }

    private static List<String> tags(String column) {
        return Arrays.stream(column.split(",")).filter(t -> !t.isEmpty()).toList();
    }
}
