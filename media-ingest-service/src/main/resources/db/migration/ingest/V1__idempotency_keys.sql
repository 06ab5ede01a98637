-- Idempotency-Key memory of POST /v1/messages, POST /v1/media and POST /v1/media/from-url, shared by every ingest
-- instance and kept across restarts (docs/ARCHITECTURE.md §4). One row per (tenant, scope, key).
CREATE TABLE ingest_idempotency_keys (
    tenant_id    TEXT        NOT NULL,
    -- which endpoint the key belongs to: 'messages' or 'media'
    scope        TEXT        NOT NULL,
    idem_key     TEXT        NOT NULL,
    -- sha256 of the request (for uploads: of the content and fields), null while an upload is still being read
    request_hash TEXT,
    -- the message or media id the first request chose; a retry after that request's instance died reuses it
    resource_id  TEXT        NOT NULL,
    -- the first answer (JSON), null while the first request is in flight
    answer       TEXT,
    -- who holds the claim; a claim past lease_until without an answer may be taken over
    claim_token  TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    lease_until  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, scope, idem_key)
);

-- the sweep: expired keys, and the oldest beyond IDEMPOTENCY_MAX_KEYS_PER_TENANT
CREATE INDEX ingest_idempotency_keys_created ON ingest_idempotency_keys (created_at);
CREATE INDEX ingest_idempotency_keys_tenant_created ON ingest_idempotency_keys (tenant_id, created_at DESC);
