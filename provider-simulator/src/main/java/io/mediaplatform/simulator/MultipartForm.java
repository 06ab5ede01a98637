package io.mediaplatform.simulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Reading a {@code multipart/form-data} body (RFC 7578) held in memory into its parts. */
final class MultipartForm {

    private MultipartForm() {
    }

    /** One part of a {@code multipart/form-data} body. */
    record Part(String name, String fileName, String contentType, byte[] content) {
    }

    /**
     * Parses a {@code multipart/form-data} body (RFC 7578) held in memory: every part with its name, file name,
     * content type and bytes.
     *
     * @throws IllegalArgumentException when the boundary is missing or the body is not well formed
     */
    static List<Part> parseMultipart(String contentType, byte[] body) {
        String boundary = parameter(contentType, "boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw new IllegalArgumentException("multipart/form-data without a boundary");
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] nextDelimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        int pos = indexOf(body, delimiter, 0);
        if (pos < 0) {
            throw new IllegalArgumentException("multipart body without its boundary");
        }
        pos += delimiter.length;
        while (true) {
            if (pos + 1 < body.length && body[pos] == '-' && body[pos + 1] == '-') {
                return parts; // closing delimiter
            }
            int lineEnd = indexOf(body, new byte[]{'\r', '\n'}, pos);
            if (lineEnd < 0) {
                throw new IllegalArgumentException("multipart body ends without its closing boundary");
            }
            int headersEnd = indexOf(body, new byte[]{'\r', '\n', '\r', '\n'}, lineEnd);
            String name = null;
            String fileName = null;
            String partType = null;
            int contentStart;
            if (headersEnd == lineEnd) {
                contentStart = lineEnd + 4; // no headers at all
            } else if (headersEnd < 0) {
                throw new IllegalArgumentException("multipart part without the blank line after its headers");
            } else {
                contentStart = headersEnd + 4;
                String headers = new String(body, lineEnd + 2, headersEnd - lineEnd - 2, StandardCharsets.UTF_8);
                for (String line : headers.split("\r\n")) {
                    int colon = line.indexOf(':');
                    if (colon < 0) {
                        continue;
                    }
                    String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = line.substring(colon + 1).trim();
                    if (header.equals("content-disposition")) {
                        name = parameter(value, "name");
                        fileName = parameter(value, "filename");
                    } else if (header.equals("content-type")) {
                        partType = value;
                    }
                }
            }
            int end = indexOf(body, nextDelimiter, contentStart);
            if (end < 0) {
                throw new IllegalArgumentException("multipart part without a closing boundary");
            }
            parts.add(new Part(name, fileName, partType, Arrays.copyOfRange(body, contentStart, end)));
            pos = end + nextDelimiter.length;
        }
    }

    /** A parameter of a header value ({@code name=value} or {@code name="value"}), or null. */
    static String parameter(String headerValue, String name) {
        for (String piece : splitParameters(headerValue)) {
            int eq = piece.indexOf('=');
            if (eq > 0 && piece.substring(0, eq).trim().equalsIgnoreCase(name)) {
                String value = piece.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1).replace("\\\"", "\"");
                }
                return value;
            }
        }
        return null;
    }

    /** Splits on {@code ;} outside quotes. */
    private static List<String> splitParameters(String value) {
        List<String> pieces = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' && (i == 0 || value.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                pieces.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        pieces.add(current.toString());
        return pieces;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
