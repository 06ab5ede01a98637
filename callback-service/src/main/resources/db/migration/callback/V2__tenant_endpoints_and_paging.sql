-- Tenant webhook endpoints (POST /v1/webhooks), their deliveries, message paging, and the callback gap fix.

CREATE TABLE webhook_endpoints (
    id                          uuid        PRIMARY KEY,
    tenant_id                   text        NOT NULL,
    url                         text        NOT NULL,
    events                      jsonb       NOT NULL,
    description                 text,
    -- Signing secrets, AES-256-GCM encrypted when WEBHOOK_ENCRYPTION_KEY is set ("v1:..."), else "plain:...".
    secret                      text,
    previous_secret             text,
    previous_secret_expires_at  timestamptz,
    created_at                  timestamptz NOT NULL,
    updated_at                  timestamptz NOT NULL,
    deleted_at                  timestamptz
);
CREATE INDEX webhook_endpoints_tenant_idx ON webhook_endpoints (tenant_id, created_at) WHERE deleted_at IS NULL;

-- A delivery to a tenant endpoint is signed with the endpoint's secret; without one, with the tenant's.
ALTER TABLE webhook_deliveries ADD COLUMN endpoint_id uuid REFERENCES webhook_endpoints (id);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id) WHERE status = 'PENDING';

-- Whether the message's own callback URLs were told of this status. A status recorded before the message's
-- ACCEPTED event (which alone carries the URLs) is told when the URLs arrive. Existing rows count as told.
ALTER TABLE status_history ADD COLUMN callbacks_enqueued boolean NOT NULL DEFAULT true;

-- Keyset paging of GET /v1/messages, newest first.
CREATE INDEX messages_created_idx ON messages (tenant_id, created_at DESC, message_id DESC);
CREATE INDEX messages_conversation_idx ON messages (tenant_id, conversation_id);
