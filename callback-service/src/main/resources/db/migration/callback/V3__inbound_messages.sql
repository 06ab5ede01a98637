-- Inbound messages: a customer's media message, recorded from validation's decision
-- (media.accepted.v1 / media.rejected.v1, direction INBOUND) and told to the tenant's endpoints as message.received.
-- They live in `messages` next to the outbound ones, told apart by `direction`, so that GET /v1/messages/{id},
-- the search and the webhook outbox (whose deliveries reference messages) serve both without a second table.

ALTER TABLE messages ADD COLUMN direction text NOT NULL DEFAULT 'OUTBOUND'
    CONSTRAINT messages_direction_check CHECK (direction IN ('INBOUND', 'OUTBOUND'));
-- The customer's address (the recipient column holds the business address the customer wrote to).
ALTER TABLE messages ADD COLUMN sender text;
ALTER TABLE messages ADD COLUMN inbox_id text;
ALTER TABLE messages ADD COLUMN kind text;
ALTER TABLE messages ADD COLUMN caption text;
ALTER TABLE messages ADD COLUMN file_name text;
ALTER TABLE messages ADD COLUMN provider text;
ALTER TABLE messages ADD COLUMN provider_message_id text;
ALTER TABLE messages ADD COLUMN body_text text;
ALTER TABLE messages ADD COLUMN reason_message text;
-- Detected content type, size and lower-case hex SHA-256 of the stored media (null when it could not be fetched).
ALTER TABLE messages ADD COLUMN media_type text;
ALTER TABLE messages ADD COLUMN media_size bigint;
ALTER TABLE messages ADD COLUMN media_sha256 text;
-- When the customer sent it, as the provider stamped it; when validation decided; the decision event recorded.
ALTER TABLE messages ADD COLUMN received_at timestamptz;
ALTER TABLE messages ADD COLUMN decided_at timestamptz;
ALTER TABLE messages ADD COLUMN decision_event_id text;

-- GET /v1/messages?direction=..., newest first.
CREATE INDEX messages_direction_created_idx ON messages (tenant_id, direction, created_at DESC, message_id DESC);

-- What a delivery tells: message.status.updated (event_status = the status) or message.received (event_status =
-- ACCEPTED or REJECTED). link_media_id: the media a fresh signed download link is made for at each attempt
-- (message.received of accepted media); the link itself is never stored.
ALTER TABLE webhook_deliveries ADD COLUMN event_type text NOT NULL DEFAULT 'message.status.updated';
ALTER TABLE webhook_deliveries ADD COLUMN link_media_id text;

-- An endpoint registered without a filter is now stored with an empty one: every event type, message.received
-- and those added later included. Before, such an endpoint was stored as ["message.status.updated"], then the only
-- event type, which cannot be told apart from the same filter given explicitly; both meant "every event", so
-- they keep getting every event.
UPDATE webhook_endpoints SET events = '[]'::jsonb WHERE events = '["message.status.updated"]'::jsonb;
