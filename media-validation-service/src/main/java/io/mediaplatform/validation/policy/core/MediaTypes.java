package io.mediaplatform.validation.policy.core;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Content-type vocabulary of the policy: normalisation of aliases ({@code image/jpg} is {@code image/jpeg}),
 * the file-extension table, and which types are the same thing under different names (an ISO base media
 * file is {@code video/mp4}, {@code audio/mp4} or {@code video/3gpp} depending on who names it).
 */
public final class MediaTypes {

    /** What a detector answers when it cannot tell. */
    public static final String UNKNOWN = "application/octet-stream";
    /** Word document (OOXML). */
    public static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    /** Excel workbook (OOXML). */
    public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    /** PowerPoint presentation (OOXML). */
    public static final String PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    /** An OOXML package whose kind could not be told from the bytes read. */
    public static final String OOXML_CONTAINER = "application/x-tika-ooxml";
    /** An OLE2 compound file (legacy Office) whose kind cannot be told from magic bytes alone. */
    public static final String OLE2_CONTAINER = "application/x-tika-msoffice";

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("image/jpg", "image/jpeg"),
            Map.entry("image/pjpeg", "image/jpeg"),
            Map.entry("image/x-png", "image/png"),
            Map.entry("image/x-ms-bmp", "image/bmp"),
            Map.entry("audio/mp3", "audio/mpeg"),
            Map.entry("audio/mpeg3", "audio/mpeg"),
            Map.entry("audio/x-mpeg", "audio/mpeg"),
            Map.entry("audio/x-mp3", "audio/mpeg"),
            Map.entry("audio/m4a", "audio/mp4"),
            Map.entry("audio/x-m4a", "audio/mp4"),
            Map.entry("audio/x-aac", "audio/aac"),
            Map.entry("audio/aacp", "audio/aac"),
            Map.entry("audio/x-amr", "audio/amr"),
            Map.entry("audio/opus", "audio/ogg"),
            Map.entry("audio/vorbis", "audio/ogg"),
            Map.entry("audio/x-ogg", "audio/ogg"),
            Map.entry("audio/x-wav", "audio/wav"),
            Map.entry("audio/wave", "audio/wav"),
            Map.entry("audio/vnd.wave", "audio/wav"),
            Map.entry("video/3gp", "video/3gpp"),
            Map.entry("video/x-m4v", "video/mp4"),
            Map.entry("application/x-matroska", "video/x-matroska"),
            Map.entry("application/x-pdf", "application/pdf"),
            Map.entry("application/x-dosexec", "application/x-msdownload"),
            Map.entry("application/x-msdos-program", "application/x-msdownload"),
            Map.entry("application/vnd.microsoft.portable-executable", "application/x-msdownload"),
            Map.entry("application/x-zip-compressed", "application/zip"));

    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("jpe", "image/jpeg"),
            Map.entry("png", "image/png"), Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"),
            Map.entry("bmp", "image/bmp"), Map.entry("heic", "image/heic"),
            Map.entry("mp4", "video/mp4"), Map.entry("m4v", "video/mp4"), Map.entry("3gp", "video/3gpp"),
            Map.entry("3g2", "video/3gpp2"), Map.entry("mov", "video/quicktime"),
            Map.entry("webm", "video/webm"), Map.entry("mkv", "video/x-matroska"), Map.entry("mka", "audio/x-matroska"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("m4a", "audio/mp4"), Map.entry("aac", "audio/aac"),
            Map.entry("amr", "audio/amr"), Map.entry("ogg", "audio/ogg"), Map.entry("oga", "audio/ogg"),
            Map.entry("opus", "audio/ogg"), Map.entry("wav", "audio/wav"),
            Map.entry("pdf", "application/pdf"), Map.entry("txt", "text/plain"), Map.entry("csv", "text/csv"),
            Map.entry("doc", "application/msword"), Map.entry("docx", DOCX),
            Map.entry("xls", "application/vnd.ms-excel"), Map.entry("xlsx", XLSX),
            Map.entry("ppt", "application/vnd.ms-powerpoint"), Map.entry("pptx", PPTX),
            Map.entry("zip", "application/zip"),
            Map.entry("exe", "application/x-msdownload"), Map.entry("dll", "application/x-msdownload"),
            Map.entry("html", "text/html"), Map.entry("htm", "text/html"));

    /** Names one declared type never contradicts: senders use them when they do not know. */
    private static final Set<String> GENERIC = Set.of(UNKNOWN, "binary/octet-stream", "application/binary");

    private static final Set<String> ISO_BMFF = Set.of("video/mp4", "audio/mp4", "video/3gpp", "audio/3gpp",
            "video/3gpp2", "audio/3gpp2");
    private static final Set<String> WEBM = Set.of("video/webm", "audio/webm");
    private static final Set<String> MATROSKA = Set.of("video/x-matroska", "audio/x-matroska");
    private static final Set<String> OGG = Set.of("audio/ogg", "video/ogg", "application/ogg");
    private static final Set<String> OOXML = Set.of(DOCX, XLSX, PPTX);
    private static final Set<String> OLE2 = Set.of("application/msword", "application/vnd.ms-excel",
            "application/vnd.ms-powerpoint");

    private MediaTypes() {
    }

    /**
     * The bare, lower-case type of a declared or detected content type, parameters dropped and aliases
     * resolved ({@code "image/JPG; q=1"} is {@code image/jpeg}); null for null or blank.
     */
    public static String normalise(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String bare = (semicolon >= 0 ? contentType.substring(0, semicolon) : contentType).trim().toLowerCase(Locale.ROOT);
        if (bare.isEmpty()) {
            return null;
        }
        return ALIASES.getOrDefault(bare, bare);
    }

    /** The content type a file name's extension stands for, if the table knows the extension. */
    public static Optional<String> forFileName(String fileName) {
        if (fileName == null) {
            return Optional.empty();
        }
        String name = fileName.strip();
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(slash + 1);
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            return Optional.empty();
        }
        return Optional.ofNullable(EXTENSIONS.get(name.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }

    /** Whether a declared type says nothing about the content ({@code application/octet-stream}). */
    public static boolean isGeneric(String contentType) {
        return contentType == null || GENERIC.contains(contentType);
    }

    /**
     * Whether a claimed type (declared or from the extension) agrees with the detected one: the same type,
     * the same container family (ISO-BMFF, Ogg, WebM, Matroska), a legacy/OOXML Office type when the detector only saw the
     * container, or any {@code text/*} claim for plain text.
     */
    public static boolean agree(String claimed, String detected) {
        if (claimed == null || detected == null || claimed.equals(detected)) {
            return true;
        }
        return (ISO_BMFF.contains(claimed) && ISO_BMFF.contains(detected))
                || (OGG.contains(claimed) && OGG.contains(detected))
                || (WEBM.contains(claimed) && WEBM.contains(detected))
                || (MATROSKA.contains(claimed) && (MATROSKA.contains(detected) || WEBM.contains(detected)))
                || (OOXML.contains(claimed) && OOXML_CONTAINER.equals(detected))
                || (OLE2.contains(claimed) && OLE2_CONTAINER.equals(detected))
                || (claimed.startsWith("text/") && detected.equals("text/plain"));
    }

    /**
     * The type to judge the media by: the detected type, narrowed to the claimed Office type when the
     * detector could only see the container (an OLE2 file claimed to be {@code .doc} is a Word document),
     * an Ogg stream of unknown codec taken as audio when claimed so, and a WebM or Matroska file (whose head
     * does not say whether it holds video) taken as audio when claimed {@code audio/webm} or {@code audio/x-matroska}.
     */
    public static String effective(String detected, String claimed) {
        if (detected == null) {
            return UNKNOWN;
        }
        if (claimed != null && !claimed.equals(detected) && agree(claimed, detected)
                && (detected.equals(OLE2_CONTAINER) || detected.equals(OOXML_CONTAINER) || detected.equals("application/ogg")
                || (claimed.startsWith("audio/") && (WEBM.contains(detected) || MATROSKA.contains(detected))))) {
            return claimed;
        }
        return detected;
    }

    /**
     * The kind a media of that type is when nobody declared one: images, video and audio by their top-level
     * type, everything else a document. (A WebP is an image unless declared a sticker.)
     */
    public static Kind kindOf(String contentType) {
        if (contentType == null) {
            return Kind.DOCUMENT;
        }
        if (contentType.startsWith("image/")) {
            return Kind.IMAGE;
        }
        if (contentType.startsWith("video/")) {
            return Kind.VIDEO;
        }
        if (contentType.startsWith("audio/") || contentType.equals("application/ogg")) {
            return Kind.AUDIO;
        }
        return Kind.DOCUMENT;
    }
}
