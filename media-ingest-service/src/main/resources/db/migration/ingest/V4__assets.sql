-- The asset library (ARCHITECTURE §14): one row per file a tenant keeps for sending in any conversation. The bytes are
-- stored media (media_id); the same bytes twice are one asset (UNIQUE tenant_id, sha256). Tags are kept as
-- ",a,b," so that a tag filter is one LIKE.
CREATE TABLE ingest_assets (
    tenant_id    TEXT        NOT NULL,
    asset_id     TEXT        NOT NULL,
    media_id     TEXT        NOT NULL,
    sha256       TEXT        NOT NULL,
    name         TEXT        NOT NULL,
    tags         TEXT        NOT NULL,
    kind         TEXT        NOT NULL,
    content_type TEXT        NOT NULL,
    size_bytes   BIGINT      NOT NULL,
    approved     BOOLEAN     NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, asset_id),
    UNIQUE (tenant_id, sha256),
    UNIQUE (tenant_id, media_id)
);

-- the library page: one tenant's assets, newest first
CREATE INDEX ingest_assets_list ON ingest_assets (tenant_id, created_at DESC, asset_id DESC);
