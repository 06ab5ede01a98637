package io.mediaplatform.callback.audit.core;

import java.util.List;

/** The audit trail's store. */
public interface AuditTrail {

    /** Adds what {@code entry} knows of the tenant's message (null fields add nothing; a lower outcome is ignored). */
    void record(String tenantId, AuditEntry entry);

    /** One page, newest first: {@code limit + 1} entries at most, so the caller sees whether more follow. */
    List<AuditEntry> search(String tenantId, AuditQuery query);
}
