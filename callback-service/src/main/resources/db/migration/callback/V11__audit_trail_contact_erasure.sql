-- Contact erasure and the audit trail (ARCHITECTURE §10, §16): the erasure takes the address out of the entries
-- (MessageDeletions.erase, AuditRedaction); an event of an erased message arriving later (a late status naming the
-- recipient, a redelivery) must not write it back, so no row is made or filled in for such a message. Deleting a
-- message or the retention sweep leave its entry as it is (the auditor's record).
CREATE FUNCTION audit_trail_skip_erased() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM deleted_messages
               WHERE tenant_id = NEW.tenant_id AND message_id = NEW.message_id AND reason = 'CONTACT_ERASURE') THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;
-- BEFORE INSERT fires for the proposed row of INSERT ... ON CONFLICT DO UPDATE too: skipped, it updates nothing.
CREATE TRIGGER audit_trail_skip_erased BEFORE INSERT ON audit_trail FOR EACH ROW EXECUTE FUNCTION audit_trail_skip_erased();
