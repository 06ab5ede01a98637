package io.mediaplatform.ingest.settings.core;

import io.mediaplatform.ingest.core.InvalidInputException;

import java.time.Instant;

/**
 * An inbox's media switches.
 *
 * @param tenantId         owning tenant
 * @param inboxId          inbox id
 * @param sendEnabled      agents may send media from the inbox
 * @param receiveEnabled   customers may send media to the inbox
 * @param rejectionMessage message sent back to a customer whose media was refused because receive is off
 * @param updatedAt        when the settings last changed; null for the defaults
 * @param profile          the named media profile the inbox's media must also pass (validation's
 *                         {@code media-profiles.yml}), or null for the tenant's
 */
public record InboxSettings(String tenantId, String inboxId, boolean sendEnabled, boolean receiveEnabled,
                            String rejectionMessage, Instant updatedAt, String profile) {

    /** Longest rejection message. */
    public static final int MAX_MESSAGE = 1000;
    private static final int MAX_INBOX_ID = 200;

    /** Settings of an inbox nobody configured: everything allowed. */
    public static InboxSettings defaults(String tenantId, String inboxId) {
        return new InboxSettings(tenantId, inboxId, true, true, null, null, null);
    }

    /** Checks an inbox id from a path: 1 to 200 of letters, digits and {@code . _ : -}. */
    public static String checkInboxId(String inboxId) {
        if (inboxId == null || inboxId.isEmpty() || inboxId.length() > MAX_INBOX_ID
                || !inboxId.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || ".:_-".indexOf(c) >= 0))) {
            throw new InvalidInputException("inboxId", "inboxId must be 1 to " + MAX_INBOX_ID
                    + " letters, digits, dots, colons, underscores or hyphens");
        }
        return inboxId;
    }

    /** New settings from a client: absent switches mean enabled, no profile means the tenant's. */
    public static InboxSettings of(String tenantId, String inboxId, Boolean sendEnabled, Boolean receiveEnabled,
                                   String rejectionMessage, Instant at, String profile) {
        if (rejectionMessage != null && rejectionMessage.length() > MAX_MESSAGE) {
            throw new InvalidInputException("rejectionMessage", "rejectionMessage must be at most " + MAX_MESSAGE + " characters");
        }
        String chosen = profile == null || profile.isBlank() ? null : profile.trim();
        if (chosen != null && !PROFILE.matcher(chosen).matches()) {
            throw new InvalidInputException("profile", "profile must be the name of a media profile (lower-case letters,"
                    + " digits and dashes, e.g. notification-api)");
        }
        return new InboxSettings(tenantId, checkInboxId(inboxId), sendEnabled == null || sendEnabled,
                receiveEnabled == null || receiveEnabled,
                rejectionMessage == null || rejectionMessage.isBlank() ? null : rejectionMessage, at, chosen);
    }

    private static final java.util.regex.Pattern PROFILE = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
}
