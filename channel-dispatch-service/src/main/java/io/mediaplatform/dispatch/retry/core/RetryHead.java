package io.mediaplatform.dispatch.retry.core;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The head of a retry partition waiting for its next round, as kept in the metadata of the retry consumer's committed
 * offset (so a restart resumes the schedule): the record's offset, the round it waits for, when that round is due and
 * when it was last tried (null: unknown).
 */
public record RetryHead(long offset, int round, Instant due, Instant lastAttempt) {

    /** The offset metadata this head is committed with. */
    public String metadata() {
        return "offset=" + offset + ";round=" + round + ";due=" + due.toEpochMilli()
                + (lastAttempt != null ? ";tried=" + lastAttempt.toEpochMilli() : "");
    }

    /** The head recorded with a committed offset, if the metadata is ours and names that offset. */
    public static Optional<RetryHead> parse(long committedOffset, String metadata) {
        if (metadata == null || metadata.isBlank()) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        for (String part : metadata.split(";")) {
            String[] kv = part.split("=", 2);
            if (kv.length == 2) {
                fields.put(kv[0], kv[1]);
            }
        }
        try {
            long offset = Long.parseLong(fields.getOrDefault("offset", "-1"));
            if (offset != committedOffset) {
                return Optional.empty();
            }
            String tried = fields.get("tried");
            return Optional.of(new RetryHead(offset, Integer.parseInt(fields.get("round")),
                    Instant.ofEpochMilli(Long.parseLong(fields.get("due"))),
                    tried != null ? Instant.ofEpochMilli(Long.parseLong(tried)) : null));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
