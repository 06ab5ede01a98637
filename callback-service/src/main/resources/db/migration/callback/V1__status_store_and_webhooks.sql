-- Status store of callback-service (ARCHITECTURE §6): messages with their current status, the status history,
-- and the client webhook outbox with every attempt.

CREATE TABLE messages (
    tenant_id       text        NOT NULL,
    message_id      text        NOT NULL,
    channel         text,
    recipient       text,
    conversation_id text,
    external_id     text,
    client_id       text,
    media_id        text,
    status          text,
    reason          text,
    callback_urls   jsonb       NOT NULL DEFAULT '[]'::jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, message_id)
);
CREATE INDEX messages_external_id_idx ON messages (tenant_id, external_id);
CREATE INDEX messages_client_id_idx ON messages (tenant_id, client_id);

CREATE TABLE status_history (
    id                  bigserial   PRIMARY KEY,
    tenant_id           text        NOT NULL,
    message_id          text        NOT NULL,
    status              text        NOT NULL,
    at                  timestamptz NOT NULL,
    provider_message_id text,
    reason              text,
    detail              text,
    event_id            text        NOT NULL,
    recorded_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT status_history_event_id_key UNIQUE (event_id),
    CONSTRAINT status_history_message_fk FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, message_id)
);
CREATE INDEX status_history_message_idx ON status_history (tenant_id, message_id, at, id);

CREATE TABLE webhook_deliveries (
    id               uuid        PRIMARY KEY,
    tenant_id        text        NOT NULL,
    message_id       text        NOT NULL,
    url              text        NOT NULL,
    event_status     text        NOT NULL,
    payload          text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED', 'DISABLED')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    last_status_code integer,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT webhook_deliveries_message_fk FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, message_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_message_idx ON webhook_deliveries (tenant_id, message_id);
CREATE INDEX webhook_deliveries_url_idx ON webhook_deliveries (tenant_id, url) WHERE status = 'PENDING';

CREATE TABLE webhook_attempts (
    id          bigserial   PRIMARY KEY,
    delivery_id uuid        NOT NULL REFERENCES webhook_deliveries (id),
    attempt_no  integer     NOT NULL,
    at          timestamptz NOT NULL,
    status_code integer,
    latency_ms  bigint      NOT NULL,
    error       text,
    CONSTRAINT webhook_attempts_attempt_key UNIQUE (delivery_id, attempt_no)
);

-- Endpoints that answered 410 Gone: nothing more is sent to them for that tenant.
CREATE TABLE disabled_endpoints (
    tenant_id   text        NOT NULL,
    url         text        NOT NULL,
    disabled_at timestamptz NOT NULL DEFAULT now(),
    status_code integer     NOT NULL,
    PRIMARY KEY (tenant_id, url)
);
