package io.mediaplatform.dispatch.inbound.core;

import java.util.Locale;

/** Customer and business addresses as providers write them, normalised to what the platform keys by. */
public final class InboundAddresses {

    /** Twilio's prefix of WhatsApp addresses ({@code whatsapp:+15557654321}). */
    public static final String WHATSAPP_PREFIX = "whatsapp:";

    private InboundAddresses() {
    }

    /**
     * A phone number in E.164 with its '+': WhatsApp's {@code wa_id} / {@code from} has none
     * ({@code 15557654321} becomes {@code +15557654321}); a number with its '+' stays as it is. Blank stays blank.
     */
    public static String e164(String number) {
        if (number == null) {
            return null;
        }
        String trimmed = number.trim();
        if (trimmed.isEmpty() || trimmed.startsWith("+")) {
            return trimmed;
        }
        return "+" + trimmed;
    }

    /** Whether a Twilio address is a WhatsApp one ({@code whatsapp:...}). */
    public static boolean isWhatsApp(String address) {
        return address != null && address.trim().toLowerCase(Locale.ROOT).startsWith(WHATSAPP_PREFIX);
    }

    /** A Twilio address without its {@code whatsapp:} prefix, trimmed. */
    public static String withoutWhatsAppPrefix(String address) {
        if (address == null) {
            return null;
        }
        String trimmed = address.trim();
        return isWhatsApp(trimmed) ? trimmed.substring(WHATSAPP_PREFIX.length()).trim() : trimmed;
    }
}
