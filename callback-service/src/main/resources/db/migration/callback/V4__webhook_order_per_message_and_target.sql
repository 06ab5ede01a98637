-- Status webhooks of one message reach each target in order (WebhookOutbox): a message.status.updated delivery is
-- not claimed while an earlier-enqueued one of the same message to the same target (callback URL, or tenant
-- endpoint) is still PENDING. "Earlier" is the enqueue order, kept in `seq`.

-- Enqueue order: taken from a sequence at insert. Deliveries of one message are enqueued under the message's row
-- lock, so for one message this is the commit order, and within one transaction the order of the inserts.
ALTER TABLE webhook_deliveries ADD COLUMN seq bigint;
CREATE SEQUENCE webhook_deliveries_seq OWNED BY webhook_deliveries.seq;

-- The pending deliveries already there get their order as they were enqueued: by transaction (created_at), within
-- it by the status history (the order StatusRecorder and WebhookReplay enqueued in). Final deliveries keep NULL:
-- the order only ever compares pending deliveries, and this way the migration does not rewrite the whole outbox.
UPDATE webhook_deliveries d SET seq = o.n
FROM (SELECT p.id, row_number() OVER (ORDER BY p.created_at, h.at NULLS FIRST, h.id NULLS FIRST, p.id) AS n
      FROM webhook_deliveries p
      LEFT JOIN LATERAL (SELECT s.at, s.id FROM status_history s
                         WHERE s.tenant_id = p.tenant_id AND s.message_id = p.message_id AND s.status = p.event_status
                         ORDER BY s.at, s.id LIMIT 1) h ON true
      WHERE p.status = 'PENDING') o
WHERE d.id = o.id;

SELECT setval('webhook_deliveries_seq', COALESCE((SELECT max(seq) FROM webhook_deliveries), 0) + 1, false);
ALTER TABLE webhook_deliveries ALTER COLUMN seq SET DEFAULT nextval('webhook_deliveries_seq');

-- The claim's "no earlier pending delivery of this message to this target" probe, and the outbox's rescheduling of
-- the deliveries held behind one: the few pending deliveries of one message, in enqueue order.
CREATE INDEX webhook_deliveries_pending_order_idx ON webhook_deliveries (tenant_id, message_id, seq) WHERE status = 'PENDING';
