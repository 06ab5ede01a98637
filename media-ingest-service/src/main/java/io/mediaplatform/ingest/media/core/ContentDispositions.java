package io.mediaplatform.ingest.media.core;

import java.nio.charset.StandardCharsets;

/** {@code Content-Disposition} values for downloads (RFC 6266 with the RFC 8187 {@code filename*} form). */
public final class ContentDispositions {

    private ContentDispositions() {
    }

    /**
     * {@code attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded name>}; the name is
     * sanitised first so it can carry no path, quote or control character.
     */
    public static String attachment(String fileName) {
        String name = FileNames.sanitize(fileName);
        StringBuilder ascii = new StringBuilder();
        name.codePoints().forEach(cp -> ascii.append(cp >= 0x20 && cp < 0x7f && cp != '"' && cp != '\\' && cp != '%' ? (char) cp : '_'));
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encode(name);
    }

    private static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean attrChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0;
            if (attrChar) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
