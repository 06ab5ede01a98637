package io.mediaplatform.validation.inbox.core;

/**
 * An inbox's media switches (docs/ARCHITECTURE.md §5).
 *
 * @param inboxId          the inbox
 * @param sendEnabled      agents may send media from the inbox
 * @param receiveEnabled   customers may send media to the inbox
 * @param rejectionMessage what the customer is told when receive is off (may be null)
 * @param profile          the named media profile the inbox's media is judged by besides its channel's rules
 *                         (e.g. {@code notification-api}), or null for the tenant's (or none)
 */
public record InboxMediaRules(String inboxId, boolean sendEnabled, boolean receiveEnabled, String rejectionMessage,
                              String profile) {

    /** Switches without a profile of their own. */
    public InboxMediaRules(String inboxId, boolean sendEnabled, boolean receiveEnabled, String rejectionMessage) {
        this(inboxId, sendEnabled, receiveEnabled, rejectionMessage, null);
    }

    /** Rules of an inbox nobody configured: media allowed both ways. */
    public static InboxMediaRules open(String inboxId) {
        return new InboxMediaRules(inboxId, true, true, null, null);
    }
}
