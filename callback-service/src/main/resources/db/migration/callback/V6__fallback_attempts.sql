-- Channel fallback (ARCHITECTURE §4): a follow-up attempt is a message of its own; it names the client's message it falls
-- back from and its attempt number, and the client's message lists its follow-ups by that column.
ALTER TABLE messages ADD COLUMN fallback_of text;
ALTER TABLE messages ADD COLUMN attempt integer;
CREATE INDEX messages_fallback_of_idx ON messages (tenant_id, fallback_of) WHERE fallback_of IS NOT NULL;
