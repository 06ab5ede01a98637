package io.mediaplatform.callback.deletion.core;

/** Why messages are deleted; travels on {@code message.deleted.v1} (ARCHITECTURE §10). */
public enum DeletionReason {
    /** {@code DELETE /v1/messages/{id}}. */
    MESSAGE_DELETED,
    /** {@code DELETE /v1/contacts/{channel}/{address}}: the customer's data erased. */
    CONTACT_ERASURE,
    /** Older than the tenant's message retention. */
    RETENTION
}
