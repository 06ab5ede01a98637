package io.mediaplatform.common.logging;

import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;

import java.util.regex.Pattern;

/**
 * The services' JSON log lines (Spring Boot structured logging, {@code LOG_FORMAT}) never carry a full phone number:
 * an E.164 number in a message ({@code +} and 7 to 15 digits) is written with all but its last four digits masked
 * ({@code +*******0002}), so a support engineer can still tell two recipients apart.
 */
public final class PhoneNumberMasking implements StructuredLoggingJsonMembersCustomizer<Object> {

    private static final Pattern E164 = Pattern.compile("\\+\\d{3,11}(\\d{4})(?!\\d)");

    @Override
    public void customize(JsonWriter.Members<Object> members) {
        members.applyingValueProcessor(JsonWriter.ValueProcessor.of(String.class, PhoneNumberMasking::mask)
                .whenHasPath("message"));
    }

    /** The text with every E.164 number masked but for its last four digits. */
    public static String mask(String text) {
        if (text == null || text.indexOf('+') < 0) {
            return text;
        }
        return E164.matcher(text).replaceAll(match -> "+" + "*".repeat(match.group().length() - 5) + match.group(1));
    }
}
