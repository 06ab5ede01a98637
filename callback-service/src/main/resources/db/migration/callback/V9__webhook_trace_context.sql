-- The W3C trace context of each delivery's message (ARCHITECTURE §13), taken when it is enqueued: an attempt made after a
-- restart, from the outbox, is still a child span of the message's trace. Null for deliveries of a message whose trace
-- is not known (and for those enqueued before this column).
ALTER TABLE webhook_deliveries ADD COLUMN traceparent text, ADD COLUMN tracestate text;
