package io.mediaplatform.validation.policy.core;

import io.mediaplatform.validation.inbox.core.InboxMediaRules;

/**
 * Everything the {@link Validator} judges one media by.
 *
 * @param tenantId            the tenant (its policy overrides apply; may be null)
 * @param channel             channel whose rules apply (null when the event named a channel this build does not know)
 * @param direction           INBOUND or OUTBOUND (null when unknown: no inbox switch applies)
 * @param declaredKind        the message kind the sender asked for, or null for a plain upload or inbound media
 * @param declaredContentType content type as the sender declared it (may be null)
 * @param declaredFileName    file name as the sender gave it (may be null)
 * @param detectedContentType content type detected from the bytes (null when nothing could be read)
 * @param size                stored size in bytes
 * @param inbox               the inbox's media switches (open ones when no inbox or no settings)
 * @param probe               answers questions about the bytes (structure, animation, tracks) on demand
 */
public record ValidationRequest(
        String tenantId,
        MediaChannel channel,
        MediaDirection direction,
        Kind declaredKind,
        String declaredContentType,
        String declaredFileName,
        String detectedContentType,
        long size,
        InboxMediaRules inbox,
        ContentProbe probe) {

    public ValidationRequest {
        probe = probe == null ? ContentProbe.NONE : probe;
    }

    /** A request without tenant and without a look at the bytes beyond their type. */
    public ValidationRequest(MediaChannel channel, MediaDirection direction, Kind declaredKind, String declaredContentType,
                             String declaredFileName, String detectedContentType, long size, InboxMediaRules inbox) {
        this(null, channel, direction, declaredKind, declaredContentType, declaredFileName, detectedContentType, size,
                inbox, ContentProbe.NONE);
    }
}
