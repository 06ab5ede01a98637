-- Channel fallback (ARCHITECTURE §4): the plan of a message that has fallback channels, written when its send command is
-- resolved, claimed by the first FAILED or REJECTED of that message (an update only one instance can win) in the same
-- transaction that publishes the next attempt, so a failed publish leaves the plan to be claimed again.
CREATE TABLE ingest_fallback_plans (
    tenant_id       TEXT        NOT NULL,
    message_id      TEXT        NOT NULL,
    -- the client's message (the first attempt)
    root_message_id TEXT        NOT NULL,
    attempt         INTEGER     NOT NULL,
    channel         TEXT        NOT NULL,
    -- channels still to try, in order, comma separated
    remaining       TEXT        NOT NULL,
    -- message and media of the send (JSON of FallbackPlan.Send)
    send            TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    -- set by the trigger that acted on the plan; null while the attempt may still end FAILED or REJECTED
    claimed_at      TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, message_id)
);

CREATE INDEX ingest_fallback_plans_created ON ingest_fallback_plans (created_at);
