-- The audit trail (ARCHITECTURE §16): one row per shared file (a message with media, either way), filled in by each of its
-- events; outcome_rank keeps the furthest status when statuses arrive out of order.
CREATE TABLE audit_trail (
    tenant_id      text        NOT NULL,
    message_id     text        NOT NULL,
    at             timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    direction      text,
    actor          text,
    media_id       text,
    asset_id       text,
    channel        text,
    sender         text,
    recipient      text,
    outcome        text        NOT NULL,
    outcome_rank   integer     NOT NULL,
    reason         text,
    reason_message text,
    PRIMARY KEY (tenant_id, message_id)
);
CREATE INDEX audit_trail_time_idx ON audit_trail (tenant_id, at DESC, message_id DESC);
CREATE INDEX audit_trail_media_idx ON audit_trail (tenant_id, media_id);
CREATE INDEX audit_trail_asset_idx ON audit_trail (tenant_id, asset_id) WHERE asset_id IS NOT NULL;
CREATE INDEX audit_trail_recipient_idx ON audit_trail (tenant_id, recipient);
