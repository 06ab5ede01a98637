package io.mediaplatform.ingest.media.core;

/**
 * Makes a client's file name safe to show and to use in names: no path (only the part after the last
 * {@code /} or {@code \}), no control, format (bidi overrides, zero-width) or line-separator characters, no
 * leading dots, at most {@link #MAX_LENGTH} characters (keeping the extension when it has to cut).
 */
public final class FileNames {

    /** Longest sanitised name, in characters. */
    public static final int MAX_LENGTH = 200;
    private static final String FALLBACK = "file";

    private FileNames() {
    }

    /** The sanitised name, or {@code "file"} when nothing usable is left. */
    public static String sanitize(String name) {
        if (name == null) {
            return FALLBACK;
        }
        String base = name;
        int slash = Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\'));
        if (slash >= 0) {
            base = base.substring(slash + 1);
        }
        StringBuilder out = new StringBuilder(base.length());
        base.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            boolean unsafe = Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.UNASSIGNED || type == Character.SURROGATE
                    || type == Character.PRIVATE_USE || cp == '"' || cp == ':' || cp == '*' || cp == '?' || cp == '<'
                    || cp == '>' || cp == '|';
            out.appendCodePoint(unsafe ? '_' : cp);
        });
        String cleaned = out.toString().strip();
        while (cleaned.startsWith(".")) {
            cleaned = cleaned.substring(1);
        }
        if (cleaned.isBlank() || cleaned.chars().allMatch(c -> c == '_')) {
            return FALLBACK;
        }
        return truncate(cleaned);
    }

    private static String truncate(String name) {
        if (name.codePointCount(0, name.length()) <= MAX_LENGTH) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
        int keep = MAX_LENGTH - ext.codePointCount(0, ext.length());
        String stem = name.substring(0, name.offsetByCodePoints(0, keep));
        return stem + ext;
    }
}
