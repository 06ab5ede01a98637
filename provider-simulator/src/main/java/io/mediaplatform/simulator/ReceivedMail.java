package io.mediaplatform.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One mail as the SMTP sink received it, as the recipient's mail program would show it; the attachments' bytes are
 * not kept, only their size and SHA-256.
 *
 * @param receivedAt  when its DATA ended
 * @param mailFrom    the envelope sender ({@code MAIL FROM}, empty for a bounce)
 * @param rcptTo      the envelope recipients ({@code RCPT TO}), in order
 * @param from        the {@code From} header's addresses, as written
 * @param to          the {@code To} header's addresses, as written
 * @param subject     the decoded {@code Subject}, or null
 * @param messageId   the {@code Message-ID} header, or null
 * @param text        the first {@code text/plain} part that is not an attachment (at most 64 KiB), or null
 * @param attachments the attachments, in order
 */
public record ReceivedMail(Instant receivedAt, String mailFrom, List<String> rcptTo, List<String> from,
                           List<String> to, String subject, String messageId, String text,
                           List<Attachment> attachments) {

    public ReceivedMail {
        rcptTo = List.copyOf(rcptTo);
        from = List.copyOf(from);
        to = List.copyOf(to);
        attachments = List.copyOf(attachments);
    }

    /** Whether the mail went to that address (an envelope recipient or in {@code To}), case aside. */
    public boolean addressedTo(String address) {
        String wanted = address.trim().toLowerCase(Locale.ROOT);
        return rcptTo.stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(wanted))
                || to.stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(wanted));
    }

    /**
     * One attachment, decoded from its transfer encoding.
     *
     * @param fileName    the decoded file name, or null
     * @param contentType its base content type, e.g. {@code image/png}
     * @param size        its decoded size in bytes
     * @param sha256      the lower-case hex SHA-256 of its decoded bytes
     */
    public record Attachment(String fileName, String contentType, long size, String sha256) {
    }
}
