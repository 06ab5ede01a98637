package io.mediaplatform.ingest.asset.core;

import io.mediaplatform.ingest.core.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The client's fields of an asset (on upload and {@code PATCH}): each null when not given. {@link #parse} checks them.
 *
 * @param name     display name, 1 to {@value #MAX_NAME} characters without control characters
 * @param tags     tags: letters, digits, {@code - _ . :}, at most {@value #MAX_TAG} characters each, at most
 *                 {@value #MAX_TAGS}; kept lower-case and sorted
 * @param approved the approval flag
 */
public record AssetChange(String name, List<String> tags, Boolean approved) {

    public static final int MAX_NAME = 200;
    public static final int MAX_TAG = 40;
    public static final int MAX_TAGS = 20;
    private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{N}_.:-]{1," + MAX_TAG + "}");

    public AssetChange {
        tags = tags == null ? null : List.copyOf(tags);
    }

    /**
     * Checks text fields as a form sends them: {@code tags} comma-separated, {@code approved} true or false.
     *
     * @throws InvalidInputException naming the first wrong field
     */
    public static AssetChange parse(String name, String tags, String approved) {
        return of(name, tags == null ? null : List.of(tags.split(",", -1)), approved == null ? null : flag(approved));
    }

    /** Checks the fields (tags given one by one; blank ones dropped). */
    public static AssetChange of(String name, List<String> tags, Boolean approved) {
        return new AssetChange(name == null ? null : name(name), tags == null ? null : tags(tags), approved);
    }

    /** A name made from a file name (control characters dropped, cut to {@value #MAX_NAME}); "asset" without one. */
    public static String nameFrom(String fileName) {
        String name = fileName == null ? "" : fileName.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        return name.isEmpty() ? "asset" : name.substring(0, Math.min(name.length(), MAX_NAME));
    }

    private static String name(String value) {
        String name = value.strip();
        if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("name", "name must be 1 to " + MAX_NAME + " characters, without control characters");
        }
        return name;
    }

    private static List<String> tags(List<String> values) {
        TreeSet<String> tags = new TreeSet<>();
        for (String value : values) {
            if (value == null || value.isBlank()) {
                continue;
            }
            String tag = value.strip().toLowerCase(Locale.ROOT);
            if (!TAG.matcher(tag).matches()) {
                throw new InvalidInputException("tags", "a tag is 1 to " + MAX_TAG
                        + " letters, digits or - _ . : characters; got '" + value.strip() + "'");
            }
            tags.add(tag);
        }
        if (tags.size() > MAX_TAGS) {
            throw new InvalidInputException("tags", "at most " + MAX_TAGS + " tags");
        }
        return new ArrayList<>(tags);
    }

    private static Boolean flag(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off", "" -> false;
            default -> throw new InvalidInputException("approved", "approved must be true or false");
        };
    }
}
