package io.mediaplatform.callback.audit.core;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The audit trail as CSV (RFC 4180): a header line, then one line per entry. A value starting with {@code = + - @}
 * (or a tab or carriage return) is prefixed with {@code '}, so a spreadsheet opening the export runs no formula (a
 * phone number such as {@code +15551234567} is left as it is).
 */
public final class AuditCsv {

    public static final String HEADER = "at,direction,actor,mediaId,assetId,channel,from,to,outcome,reason,reasonMessage,messageId";

    private AuditCsv() {
    }

    public static String of(List<AuditEntry> entries) {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (AuditEntry e : entries) {
            csv.append(Stream.of(e.at() == null ? null : e.at().toString(), e.direction(), e.actor(), e.mediaId(),
                    e.assetId(), e.channel(), e.from(), e.to(), e.outcome(), e.reason(), e.reasonMessage(), e.messageId())
                    .map(AuditCsv::cell).collect(Collectors.joining(","))).append("\r\n");
        }
        return csv.toString();
    }

    static String cell(String value) {
        if (value == null) {
            return "";
        }
        boolean phone = value.matches("\\+[0-9]{3,20}");
        String safe = !phone && !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r") || !safe.equals(value)
                ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }
}
