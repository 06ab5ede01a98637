package io.mediaplatform.callback.audit.core;

import java.util.List;

/**
 * An address blanked from the audit trail when its contact is erased (ARCHITECTURE §10, §16): the entries stay, as the
 * record of what was shared, but none names the address any more. An entry is the contact's when it is on that
 * channel (or on none known) and names the address as sender, recipient or actor, or inside its reason in words; the
 * address is taken out of each of those, the other fields are kept. {@code JdbcAuditTrail} writes this rule as SQL.
 *
 * @param channel the channel name, upper case
 * @param address the address as the messages carry it
 */
public record AuditRedaction(String channel, String address) {

    /** What stands in the reason in words where the address was. */
    public static final String ERASED = "[erased]";

    /**
     * How the address may be written inside a reason in words, longest first: as it is, and a phone number also
     * without its {@code +} (providers' error texts often write {@code 15551234567}).
     */
    public List<String> spellings() {
        return address.matches("\\+[0-9]{3,20}") ? List.of(address, address.substring(1)) : List.of(address);
    }

    /** Whether the entry names the contact. */
    public boolean covers(AuditEntry entry) {
        if (entry.channel() != null && !entry.channel().equals(channel)) {
            return false;
        }
        return address.equals(entry.from()) || address.equals(entry.to()) || address.equals(entry.actor())
                || (entry.reasonMessage() != null && spellings().stream().anyMatch(entry.reasonMessage()::contains));
    }

    /** The entry without the address (unchanged when it does not name the contact). */
    public AuditEntry apply(AuditEntry entry) {
        if (!covers(entry)) {
            return entry;
        }
        return new AuditEntry(entry.messageId(), entry.at(), entry.updatedAt(), entry.direction(), blank(entry.actor()),
                entry.mediaId(), entry.assetId(), entry.channel(), blank(entry.from()), blank(entry.to()),
                entry.outcome(), entry.reason(), reasonWithout(entry.reasonMessage()));
    }

    private String blank(String value) {
        return address.equals(value) ? null : value;
    }

    /** The reason in words with each spelling of the address replaced by {@link #ERASED}, longest first. */
    public String reasonWithout(String reasonMessage) {
        if (reasonMessage == null) {
            return null;
        }
        String redacted = reasonMessage;
        for (String spelling : spellings()) {
            redacted = redacted.replace(spelling, ERASED);
        }
        return redacted;
    }
}
