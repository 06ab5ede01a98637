package io.mediaplatform.common.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The opaque {@code cursor=} of a page sorted newest first by (time, id): where the previous page ended, as
 * URL-safe Base64 of {@code <epoch millis>_<id>}.
 *
 * @param at the last entry's time (millisecond precision)
 * @param id the last entry's id
 */
public record KeysetCursor(Instant at, String id) {

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (at.toEpochMilli() + "_" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor of {@code text}, or null when there is none; a 400 problem naming {@code cursor} when it is not one. */
    public static KeysetCursor decode(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text.strip()), StandardCharsets.UTF_8);
            int cut = plain.indexOf('_');
            return new KeysetCursor(Instant.ofEpochMilli(Long.parseLong(plain.substring(0, cut))), plain.substring(cut + 1));
        } catch (RuntimeException e) {
            throw ProblemException.badRequest("The cursor is not one this API gave out").with("field", "cursor");
        }
    }

    /** The {@code limit=} of a page: {@code fallback} when absent, else 1 to {@code max}, or a 400 problem naming it. */
    public static int limit(String text, int fallback, int max) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        int size;
        try {
            size = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 1 || size > max) {
            throw ProblemException.badRequest("limit must be a number from 1 to " + max).with("field", "limit");
        }
        return size;
    }
}
