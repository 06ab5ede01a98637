package io.mediaplatform.callback.audit.core;

import java.time.Instant;

/**
 * One shared file in the audit trail (ARCHITECTURE §16): who shared which media with whom, on which channel, when, and how
 * it ended. Each event of the message fills in what it knows; the outcome is the furthest status reached.
 *
 * @param messageId     the message
 * @param at            when it was first seen (sent, or received from the customer)
 * @param updatedAt     when its outcome last changed
 * @param direction     OUTBOUND (an agent or application sent it) or INBOUND (a customer sent it)
 * @param actor         who: {@code agent:<id>} or {@code key:<key hash prefix>} for outbound, the customer's address
 *                      for inbound; null when unknown
 * @param mediaId       the media
 * @param assetId       the asset of the library it was sent from, or null
 * @param channel       the channel
 * @param from          the sender's address on the channel, or null
 * @param to            the recipient's address
 * @param outcome       ACCEPTED, QUEUED, SENT, DELIVERED, READ, FAILED or REJECTED
 * @param reason        the reason code of a REJECTED or FAILED outcome, or null
 * @param reasonMessage the reason in words, or null
 */
public record AuditEntry(String messageId, Instant at, Instant updatedAt, String direction, String actor, String mediaId,
                         String assetId, String channel, String from, String to, String outcome, String reason,
                         String reasonMessage) {

    /** How far an outcome is: a status of lower rank arriving late does not replace it. */
    public static int rank(String outcome) {
        return switch (outcome) {
            case "ACCEPTED" -> 0;
            case "QUEUED" -> 1;
            case "SENT" -> 2;
            case "DELIVERED" -> 3;
            case "READ" -> 4;
            default -> 5; // FAILED, REJECTED: final
        };
    }
}
