-- Message deletion, contact erasure and message retention (ARCHITECTURE §10).

-- Deleted messages: a status or decision event arriving after the deletion (a late DELIVERED, a redelivery) must not
-- bring the message back. Only ids are kept.
CREATE TABLE deleted_messages (
    tenant_id  text        NOT NULL,
    message_id text        NOT NULL,
    deleted_at timestamptz NOT NULL,
    reason     text        NOT NULL,
    PRIMARY KEY (tenant_id, message_id)
);

-- One line per contact erasure (DELETE /v1/contacts/{channel}/{address}): that it happened, never whose address.
-- address_hash = sha256(salt || '\n' || channel || '\n' || address), hex; salt random per line.
CREATE TABLE contact_erasures (
    id                      uuid        PRIMARY KEY,
    tenant_id               text        NOT NULL,
    channel                 text        NOT NULL,
    address_salt            text        NOT NULL,
    address_hash            text        NOT NULL,
    erased_at               timestamptz NOT NULL,
    messages_deleted        integer     NOT NULL,
    media_deleted           integer     NOT NULL,
    media_kept              integer     NOT NULL,
    webhook_payloads_deleted integer    NOT NULL
);
CREATE INDEX contact_erasures_tenant_idx ON contact_erasures (tenant_id, erased_at);

-- A contact's messages: outbound to the address, inbound from it.
CREATE INDEX messages_recipient_idx ON messages (tenant_id, channel, recipient);
CREATE INDEX messages_sender_idx ON messages (tenant_id, channel, sender) WHERE sender IS NOT NULL;
-- Whether live messages still name a media.
CREATE INDEX messages_media_idx ON messages (tenant_id, media_id) WHERE media_id IS NOT NULL;

-- However a deleted message's id comes back (a status upsert, a redelivered decision), no row is made for it.
CREATE FUNCTION messages_skip_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM deleted_messages WHERE tenant_id = NEW.tenant_id AND message_id = NEW.message_id) THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER messages_skip_deleted BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION messages_skip_deleted();
