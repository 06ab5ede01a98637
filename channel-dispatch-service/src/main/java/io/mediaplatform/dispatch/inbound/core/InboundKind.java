package io.mediaplatform.dispatch.inbound.core;

import java.util.Locale;
import java.util.Optional;

/** What a customer's media is as a message, as the provider announced it (the Avro {@code MediaKind} by name). */
public enum InboundKind {
    IMAGE, VIDEO, AUDIO, DOCUMENT, STICKER;

    /**
     * The kind of a WhatsApp message {@code type}; empty for a type that carries no media (text, location, contacts,
     * reaction, interactive, ...).
     */
    public static Optional<InboundKind> ofWhatsAppType(String type) {
        if (type == null) {
            return Optional.empty();
        }
        return switch (type.trim().toLowerCase(Locale.ROOT)) {
            case "image" -> Optional.of(IMAGE);
            case "video" -> Optional.of(VIDEO);
            case "audio" -> Optional.of(AUDIO);
            case "document" -> Optional.of(DOCUMENT);
            case "sticker" -> Optional.of(STICKER);
            default -> Optional.empty();
        };
    }

    /**
     * The kind a declared content type suggests (Twilio gives nothing else): {@code image/*} IMAGE, {@code video/*}
     * VIDEO, {@code audio/*} AUDIO, anything else (PDF, vCard, unknown, none) DOCUMENT.
     */
    public static InboundKind ofContentType(String contentType) {
        String type = contentType == null ? "" : contentType.trim().toLowerCase(Locale.ROOT);
        if (type.startsWith("image/")) {
            return IMAGE;
        }
        if (type.startsWith("video/")) {
            return VIDEO;
        }
        if (type.startsWith("audio/")) {
            return AUDIO;
        }
        return DOCUMENT;
    }

    /**
     * The kind of a notification-API attachment {@code type} (image, video, audio, document, sticker); an unknown or
     * missing type falls back to the content type.
     */
    public static InboundKind ofNotifyType(String type, String contentType) {
        return ofWhatsAppType(type).orElseGet(() -> ofContentType(contentType));
    }
}
