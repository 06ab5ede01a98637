package io.mediaplatform.validation.policy.core;

import io.mediaplatform.validation.inbox.core.InboxMediaRules;

/**
 * Everything the {@link Validator} judges one media by.
 *
 * @param channel             channel whose rules apply (null when the event named a channel this build does not know)
 * @param direction           INBOUND or OUTBOUND (null when unknown: no inbox switch applies)
 * @param declaredKind        the message kind the sender asked for, or null for a plain upload or inbound media
 * @param declaredContentType content type as the sender declared it (may be null)
 * @param declaredFileName    file name as the sender gave it (may be null)
 * @param detectedContentType content type detected from the bytes (null when nothing could be read)
 * @param size                stored size in bytes
 * @param inbox               the inbox's media switches (open ones when no inbox or no settings)
 */
public record ValidationRequest(
        MediaChannel channel,
        MediaDirection direction,
        Kind declaredKind,
        String declaredContentType,
        String declaredFileName,
        String detectedContentType,
        long size,
        InboxMediaRules inbox) {
}
