package io.mediaplatform.callback.audit.web;

import io.mediaplatform.callback.audit.core.AuditCsv;
import io.mediaplatform.callback.audit.core.AuditEntry;
import io.mediaplatform.callback.audit.core.AuditQuery;
import io.mediaplatform.callback.audit.core.AuditTrail;
import io.mediaplatform.common.security.AuthenticatedTenant;
import io.mediaplatform.common.web.KeysetCursor;
import io.mediaplatform.common.web.ProblemException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * {@code GET /v1/audit?mediaId=|assetId=|to=|recipient=|from=&to=&limit=&cursor=} (scope messages:read): who shared which
 * media with whom, newest first, as JSON pages, or as CSV with {@code Accept: text/csv} or {@code ?format=csv}
 * (the page's entries; {@code Audit-Next-Cursor} names the next page).
 */
@RestController
public class AuditController {

    static final String NEXT_CURSOR = "Audit-Next-Cursor";

    private final AuditTrail trail;

    public AuditController(AuditTrail trail) {
        this.trail = trail;
    }

    /** One page. */
    public record AuditPage(List<AuditEntry> items, String nextCursor) {
    }

    @GetMapping("/v1/audit")
    public ResponseEntity<?> search(AuthenticatedTenant tenant, @RequestParam(required = false) String mediaId,
                                    @RequestParam(required = false) String assetId,
                                    @RequestParam(required = false) String recipient,
                                    @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                    @RequestParam(required = false) String limit,
                                    @RequestParam(required = false) String cursor,
                                    @RequestParam(required = false) String format,
                                    @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        tenant.require(AuthenticatedTenant.MESSAGES_READ);
        AuditQuery query;
        KeysetCursor after = KeysetCursor.decode(cursor);
        try {
            query = AuditQuery.parse(mediaId, assetId, recipient, from, to,
                    KeysetCursor.limit(limit, AuditQuery.DEFAULT_LIMIT, AuditQuery.MAX_LIMIT),
                    after == null ? null : new AuditQuery.Cursor(after.at(), after.id()));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
        if (format != null && !format.isBlank() && !format.equalsIgnoreCase("csv") && !format.equalsIgnoreCase("json")) {
            throw ProblemException.badRequest("format must be csv or json").with("field", "format");
        }
        List<AuditEntry> rows = trail.search(tenant.tenantId(), query);
        List<AuditEntry> page = rows.size() > query.limit() ? rows.subList(0, query.limit()) : rows;
        String next = rows.size() > query.limit()
                ? new KeysetCursor(page.getLast().at(), page.getLast().messageId()).encode() : null;
        boolean csv = "csv".equalsIgnoreCase(format) || format == null && accept != null && accept.contains("text/csv");
        if (csv) {
            ResponseEntity.BodyBuilder answer = ResponseEntity.ok()
                    .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit.csv\"");
            if (next != null) {
                answer.header(NEXT_CURSOR, next);
            }
            return answer.body(AuditCsv.of(page));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(new AuditPage(page, next));
    }
}
