-- Download by name (ARCHITECTURE §4): the `<conversationId>_<fileName>` name an upload answers, mapped to its media id, so
-- GET /v1/media/by-name/{name} works on every ingest instance. Written before the object is committed; a row whose
-- media is gone (deleted, swept by retention, or a commit that failed) is skipped and dropped when a lookup meets it.
CREATE TABLE ingest_media_names (
    tenant_id  TEXT        NOT NULL,
    media_id   TEXT        NOT NULL,
    name       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, media_id)
);

-- the lookup: one tenant's media of that name, newest first
CREATE INDEX ingest_media_names_lookup ON ingest_media_names (tenant_id, name, created_at DESC, media_id DESC);
