package io.mediaplatform.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a simulated customer sends the business: one message carrying one or more media files, given to
 * {@link WhatsAppSimulator#customerSends}, {@link TwilioSimulator#customerSends} or {@link NotifySimulator#customerSends}.
 * Every field but the file is optional; each simulator uses what its provider carries:
 *
 * <ul>
 *   <li>{@code from} — the customer, E.164 ({@code +15557654321}; digits alone get a {@code +}). Default
 *       {@link #DEFAULT_FROM}.</li>
 *   <li>{@code to} — the business address: WhatsApp phone number id (default the simulator's), Twilio number
 *       (default the simulator's), notification-API sender id (default the simulator's).</li>
 *   <li>{@code channel} — Twilio {@code mms} (default) or {@code whatsapp}; notification API {@code RCS} (default)
 *       or {@code WEBCHAT}. WhatsApp ignores it.</li>
 *   <li>{@code type} — {@code image}, {@code video}, {@code audio}, {@code document}, {@code sticker} (WhatsApp,
 *       notification API); derived from the file's content type when null.</li>
 *   <li>{@code text} — Twilio {@code Body} (the caption is used when there is no text), notification API
 *       {@code text}.</li>
 *   <li>{@code caption}, {@code fileName} (WhatsApp documents, notification API), {@code voice} (WhatsApp audio),
 *       {@code animated} (WhatsApp sticker), {@code profileName} (WhatsApp contact name, Twilio
 *       {@code ProfileName}).</li>
 *   <li>{@code attachments} — the files, each with its bytes and content type (WhatsApp: exactly one; Twilio: 0..10,
 *       none only with a text; notification API: one or more).</li>
 *   <li>{@code faults} — how the media misbehaves when fetched ({@link MediaFaults}), for every file.</li>
 * </ul>
 */
public record CustomerMedia(String from, String to, String channel, String type, String text, String caption,
                            String fileName, boolean voice, boolean animated, String profileName,
                            List<Attachment> attachments, MediaFaults faults) {

    /** The customer number used when none is given. */
    public static final String DEFAULT_FROM = "+15557654321";

    /** One file: its bytes, content type (null: the type's default) and file name (may be null). */
    public record Attachment(byte[] bytes, String mimeType, String fileName) {
        public Attachment {
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    public CustomerMedia {
        attachments = List.copyOf(attachments);
        faults = faults == null ? MediaFaults.NONE : faults;
        from = from == null || from.isBlank() ? DEFAULT_FROM : CustomerMedia.normalisePhone(from);
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder of one file of this type: {@code CustomerMedia.of("image", jpeg, "image/jpeg").caption("x").build()}. */
    public static Builder of(String type, byte[] bytes, String mimeType) {
        return new Builder().type(type).bytes(bytes).mimeType(mimeType);
    }

    /** The media kind a content type stands for: {@code image}, {@code video}, {@code audio} or {@code document}. */
    public static String typeOf(String contentType) {
        String base = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (base.startsWith("image/")) {
            return "image";
        }
        if (base.startsWith("video/")) {
            return "video";
        }
        if (base.startsWith("audio/")) {
            return "audio";
        }
        return "document";
    }

    /** The content type of a media type when the file came without one. */
    public static String defaultMimeType(String type) {
        return switch (type == null ? "" : type) {
            case "image" -> "image/jpeg";
            case "video" -> "video/mp4";
            case "audio" -> "audio/ogg; codecs=opus";
            case "sticker" -> "image/webp";
            case "document" -> "application/pdf";
            default -> "application/octet-stream";
        };
    }

    /** The type of attachment {@code index}: {@link #type()} when given, else derived from its content type. */
    String typeOf(int index) {
        if (type != null && !type.isBlank()) {
            return type.trim().toLowerCase(Locale.ROOT);
        }
        Attachment attachment = attachments.get(index);
        if (attachment.mimeType() == null && voice) {
            return "audio";
        }
        return typeOf(attachment.mimeType());
    }

    /** The content type of attachment {@code index}, defaulted from its type. */
    String mimeTypeOf(int index) {
        String given = attachments.get(index).mimeType();
        return given != null && !given.isBlank() ? given : defaultMimeType(typeOf(index));
    }

    /** The file name of attachment {@code index}: {@link #fileName()} for the first, else the file's own. */
    String fileNameOf(int index) {
        if (index == 0 && fileName != null && !fileName.isBlank()) {
            return fileName;
        }
        return attachments.get(index).fileName();
    }

    /** Builder of a {@link CustomerMedia}. */
    public static final class Builder {
        private String from;
        private String to;
        private String channel;
        private String type;
        private String text;
        private String caption;
        private String fileName;
        private boolean voice;
        private boolean animated;
        private String profileName;
        private byte[] bytes;
        private String mimeType;
        private final List<Attachment> more = new ArrayList<>();
        private MediaFaults faults = MediaFaults.NONE;

        private Builder() {
        }

        /** The customer, E.164 (default {@link #DEFAULT_FROM}). */
        public Builder from(String from) {
            this.from = from;
            return this;
        }

        /** The business address (default: the simulator's). */
        public Builder to(String to) {
            this.to = to;
            return this;
        }

        /** Twilio {@code mms}/{@code whatsapp}, notification API {@code RCS}/{@code WEBCHAT}. */
        public Builder channel(String channel) {
            this.channel = channel;
            return this;
        }

        /** {@code image}, {@code video}, {@code audio}, {@code document} or {@code sticker}. */
        public Builder type(String type) {
            this.type = type;
            return this;
        }

        /** Message text (Twilio {@code Body}, notification API {@code text}). */
        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public Builder caption(String caption) {
            this.caption = caption;
            return this;
        }

        /** File name of the (first) file. */
        public Builder fileName(String fileName) {
            this.fileName = fileName;
            return this;
        }

        /** A WhatsApp voice note (audio with {@code voice:true}). */
        public Builder voice(boolean voice) {
            this.voice = voice;
            return this;
        }

        /** An animated WhatsApp sticker. */
        public Builder animated(boolean animated) {
            this.animated = animated;
            return this;
        }

        /** The customer's profile name (WhatsApp contact, Twilio {@code ProfileName}). */
        public Builder profileName(String profileName) {
            this.profileName = profileName;
            return this;
        }

        /** The bytes of the (first) file. */
        public Builder bytes(byte[] bytes) {
            this.bytes = bytes;
            return this;
        }

        /** The content type of the (first) file (default: from the type). */
        public Builder mimeType(String mimeType) {
            this.mimeType = mimeType;
            return this;
        }

        /** Adds a further file after the first (Twilio: up to 10 in all). */
        public Builder attach(byte[] bytes, String mimeType) {
            more.add(new Attachment(bytes, mimeType, null));
            return this;
        }

        /** Adds a further file with its name. */
        public Builder attach(Attachment attachment) {
            more.add(Objects.requireNonNull(attachment));
            return this;
        }

        public Builder faults(MediaFaults faults) {
            this.faults = Objects.requireNonNull(faults);
            return this;
        }

        /** Faults in the {@code fault=} syntax, e.g. {@code "download-5xx:2,wrong-sha256"}. */
        public Builder faults(String spec) {
            this.faults = MediaFaults.parse(spec);
            return this;
        }

        public CustomerMedia build() {
            List<Attachment> all = new ArrayList<>();
            if (bytes != null) {
                all.add(new Attachment(bytes, mimeType, null));
            }
            all.addAll(more);
            return new CustomerMedia(from, to, channel, type, text, caption, fileName, voice, animated, profileName,
                    all, faults);
        }
    }

    /**
     * A phone number as E.164: surrounding blanks dropped, a bare digit string (or one whose {@code +} a query string
     * turned into a space) gets its {@code +}; a {@code whatsapp:} prefix is kept. Anything else is left as it is.
     */
    static String normalisePhone(String value) {
        if (value == null) {
            return null;
        }
        String s = value.trim();
        String prefix = "";
        if (s.regionMatches(true, 0, "whatsapp:", 0, 9)) {
            prefix = "whatsapp:";
            s = s.substring(9).trim();
        }
        if (s.matches("\\d{3,}")) {
            s = "+" + s;
        }
        return prefix + s;
    }
}
