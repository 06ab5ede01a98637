package io.mediaplatform.callback.audit.core;

import java.util.List;

/** The audit trail's store. */
public interface AuditTrail {

    /** Adds what {@code entry} knows of the tenant's message (null fields add nothing; a lower outcome is ignored). */
    void record(String tenantId, AuditEntry entry);

    /** A tenant's entry. */
    record Tenanted(String tenantId, AuditEntry entry) {
    }

    /**
     * Adds each entry as {@link #record} would, in their order, in one transaction (a poll's statuses each update
     * their message's row: one commit for all of them instead of one each).
     */
    default void recordAll(List<Tenanted> entries) {
        entries.forEach(e -> record(e.tenantId(), e.entry()));
    }

    /**
     * Takes the erased contact's address out of the tenant's entries ({@link AuditRedaction}); later events of the
     * erased messages add nothing (their tombstones say CONTACT_ERASURE). Answers how many entries it changed.
     */
    int redact(String tenantId, AuditRedaction redaction);

    /** One page, newest first: {@code limit + 1} entries at most, so the caller sees whether more follow. */
    List<AuditEntry> search(String tenantId, AuditQuery query);
}
