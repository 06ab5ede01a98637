package io.mediaplatform.ingest.inbound.core;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Kind, content type and file name of a customer's media.
 *
 * <ul>
 *   <li>Content type: the provider's declaration in the webhook wins (validation checks it against the bytes), else
 *   the download's {@code Content-Type}, else {@code application/octet-stream}. It is kept as declared, with its
 *   parameters ({@code audio/ogg; codecs=opus} for a WhatsApp voice note), type and subtype lower-cased; a value that
 *   is not a {@code type/subtype} is ignored.</li>
 *   <li>Kind: the kind the provider gave; when it gave none (UNKNOWN), the kind the content type stands for
 *   (image, video, audio, else document).</li>
 *   <li>File name: the customer's, for display; the stored object gets a sanitised copy.</li>
 * </ul>
 */
public final class InboundContent {

    /** The fallback content type. */
    public static final String OCTET_STREAM = "application/octet-stream";

    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*");
    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("image/jpeg", "jpg"), Map.entry("image/png", "png"), Map.entry("image/webp", "webp"),
            Map.entry("image/gif", "gif"), Map.entry("video/mp4", "mp4"), Map.entry("video/3gpp", "3gp"),
            Map.entry("audio/ogg", "ogg"), Map.entry("audio/mpeg", "mp3"), Map.entry("audio/mp4", "m4a"),
            Map.entry("audio/aac", "aac"), Map.entry("audio/amr", "amr"), Map.entry("application/pdf", "pdf"));

    /** The kinds a customer's media can be (the event's MediaKind). */
    public enum Kind {
        IMAGE, VIDEO, AUDIO, DOCUMENT, STICKER, UNKNOWN
    }

    private InboundContent() {
    }

    /** The content type to declare: {@code declared}, else {@code served}, else octet-stream. */
    public static String contentType(String declared, String served) {
        return normalise(declared).or(() -> normalise(served)).orElse(OCTET_STREAM);
    }

    /** {@code type/subtype} lower-cased with its parameters kept, or empty when it is not a media type. */
    public static Optional<String> normalise(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return Optional.empty();
        }
        String value = contentType.trim();
        int semicolon = value.indexOf(';');
        String bare = (semicolon >= 0 ? value.substring(0, semicolon) : value).trim();
        if (!TYPE.matcher(bare).matches() || bare.contains("*") || value.chars().anyMatch(Character::isISOControl)) {
            return Optional.empty();
        }
        String parameters = semicolon >= 0 ? value.substring(semicolon).trim() : "";
        return Optional.of(bare.toLowerCase(Locale.ROOT) + (parameters.length() > 1 ? "; " + parameters.substring(1).trim() : ""));
    }

    /** {@code type/subtype} without parameters, lower case. */
    public static String bare(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon >= 0 ? contentType.substring(0, semicolon) : contentType).trim().toLowerCase(Locale.ROOT);
    }

    /** The kind: the provider's, or the one the content type stands for when the provider gave none. */
    public static Kind kind(Kind declared, String contentType) {
        if (declared != null && declared != Kind.UNKNOWN) {
            return declared;
        }
        String type = contentType == null ? "" : bare(contentType);
        if (type.startsWith("image/")) {
            return Kind.IMAGE;
        }
        if (type.startsWith("video/")) {
            return Kind.VIDEO;
        }
        if (type.startsWith("audio/")) {
            return Kind.AUDIO;
        }
        return Kind.DOCUMENT;
    }

    /**
     * The name to store the media under: the customer's file name when there is one, else
     * {@code <kind>.<extension of the content type>} (e.g. {@code image.jpg}, {@code voice.ogg}).
     */
    public static String storedName(String fileName, Kind kind, boolean voice, String contentType) {
        if (fileName != null && !fileName.isBlank()) {
            return fileName;
        }
        String stem = voice ? "voice" : kind.name().toLowerCase(Locale.ROOT);
        String extension = contentType == null ? null : EXTENSIONS.get(bare(contentType));
        return extension == null ? stem : stem + "." + extension;
    }
}
