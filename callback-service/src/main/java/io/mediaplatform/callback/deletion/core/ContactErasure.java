package io.mediaplatform.callback.deletion.core;

import io.mediaplatform.callback.audit.core.AuditRedaction;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * What erasing a contact covers (GDPR art. 17, ARCHITECTURE §10): on one channel of one tenant, every message of that
 * address in both directions (OUTBOUND messages sent to it, INBOUND messages it sent), with their status history,
 * their stored webhook payloads and attempts, and their media (the customer's inbound files included) unless another
 * live message still names it ({@link MediaFate}). What stays is an audit line that the erasure happened, with a
 * salted hash of the address instead of the address; the audit trail keeps its entries of the files shared with the
 * contact, without the address ({@link #auditRedaction()}).
 *
 * @param channel the channel name, upper case ({@code WHATSAPP}, {@code MMS}, {@code RCS}, {@code WEBCHAT},
 *                {@code EMAIL})
 * @param address the address as the messages carry it (phone number, e-mail address, chat id), trimmed
 */
public record ContactErasure(String channel, String address) {

    /** Channels a contact can be erased on (the platform's channels). */
    public static final Set<String> CHANNELS = Set.of("WHATSAPP", "MMS", "RCS", "WEBCHAT", "EMAIL");
    /** Longest address accepted. */
    public static final int MAX_ADDRESS_LENGTH = 320;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The erasure of {@code address} on {@code channel} (any case).
     *
     * @throws IllegalArgumentException for an unknown channel or a blank or overlong address (with the field's name)
     */
    public static ContactErasure of(String channel, String address) {
        String normalised = channel == null ? "" : channel.trim().toUpperCase(Locale.ROOT);
        if (!CHANNELS.contains(normalised)) {
            throw new Invalid("channel", "channel must be one of " + String.join(", ", CHANNELS.stream().sorted().toList()));
        }
        String trimmed = address == null ? "" : address.trim();
        if (trimmed.isEmpty() || trimmed.length() > MAX_ADDRESS_LENGTH) {
            throw new Invalid("address", "address must be 1 to " + MAX_ADDRESS_LENGTH + " characters");
        }
        return new ContactErasure(normalised, trimmed);
    }

    /**
     * Whether a message of that channel, direction, sender and recipient is the contact's ({@code MessageDeletions}
     * selects the messages with this rule written as SQL).
     */
    public boolean covers(String messageChannel, String direction, String sender, String recipient) {
        if (!channel.equals(messageChannel)) {
            return false;
        }
        return "INBOUND".equals(direction) ? address.equals(sender) : address.equals(recipient);
    }

    /** What the erasure takes out of the audit trail: the address, from every entry of this channel that names it. */
    public AuditRedaction auditRedaction() {
        return new AuditRedaction(channel, address);
    }

    /** A new random salt for one audit line (16 bytes, hex). */
    public static String newSalt() {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return HexFormat.of().formatHex(salt);
    }

    /**
     * The audit line's hash of the address: SHA-256 over salt, channel and address, hex. Without the address it tells
     * nothing; with an address in hand, an auditor can tell whether a line is that address's erasure.
     */
    public String addressHash(String salt) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((salt + "\n" + channel + "\n" + address).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request that does not name a contact. */
    public static final class Invalid extends IllegalArgumentException {
        private final String field;

        public Invalid(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
