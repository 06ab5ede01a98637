package io.mediaplatform.ingest.media.jdbc;

import io.mediaplatform.ingest.media.core.MediaNameIndex;
import io.mediaplatform.ingest.media.core.MediaNames;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/** {@link MediaNameIndex} in PostgreSQL ({@code ingest_media_names}, ingest's schema). */
@Component
public class JdbcMediaNameIndex implements MediaNameIndex {

    private final JdbcClient jdbc;

    public JdbcMediaNameIndex(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void record(String tenantId, String name, String mediaId, Instant createdAt) {
        jdbc.sql("""
                        INSERT INTO ingest_media_names (tenant_id, media_id, name, created_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (tenant_id, media_id) DO UPDATE SET name = EXCLUDED.name, created_at = EXCLUDED.created_at""")
                .params(tenantId, mediaId, name, Timestamp.from(createdAt))
                .update();
    }

    @Override
    public List<MediaNames.Candidate> candidates(String tenantId, String name, int limit) {
        return jdbc.sql("""
                        SELECT media_id, created_at FROM ingest_media_names WHERE tenant_id = ? AND name = ?
                        ORDER BY created_at DESC, media_id DESC LIMIT ?""")
                .params(tenantId, name, limit)
                .query((rs, row) -> new MediaNames.Candidate(rs.getString(1), rs.getTimestamp(2).toInstant()))
                .list();
    }

    @Override
    public void forget(String tenantId, String mediaId) {
        jdbc.sql("DELETE FROM ingest_media_names WHERE tenant_id = ? AND media_id = ?").params(tenantId, mediaId).update();
    }
}
