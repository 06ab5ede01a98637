-- The operator console (ARCHITECTURE §17).
-- What a customer was answered when their media was refused (the inbox's rejection message on MEDIA_DISABLED), shown
-- with the inbound message.
ALTER TABLE messages ADD COLUMN customer_message text;
-- GET /v1/webhooks/{id}/attempts: an endpoint's deliveries in any state (V2's index covers PENDING ones only).
CREATE INDEX webhook_deliveries_endpoint_all_idx ON webhook_deliveries (endpoint_id, tenant_id);
