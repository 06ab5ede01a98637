package io.mediaplatform.callback.messages.web;

import io.mediaplatform.callback.messages.core.MessageSearch;
import io.mediaplatform.callback.messages.core.MessageViews.MessageDetail;
import io.mediaplatform.callback.messages.core.MessageViews.MessageList;
import io.mediaplatform.callback.messages.jdbc.MessageQueries;
import io.mediaplatform.common.security.AuthenticatedTenant;
import io.mediaplatform.common.web.ProblemException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The status query API (docs/ARCHITECTURE.md §4): {@code GET /v1/messages/{id}} and
 * {@code GET /v1/messages?externalId=|clientId=|conversationId=|direction=INBOUND|OUTBOUND|from=&to=&limit=&cursor=}
 * (newest first, keyset paging with an opaque cursor; no criterion lists the latest messages). Inbound messages (a
 * customer's, {@code direction} INBOUND) are shown next to the outbound ones.
 * Needs scope {@code messages:read}; another tenant's message is answered like an unknown one (404).
 */
@RestController
@RequestMapping("/v1/messages")
public class MessageController {

    private final MessageQueries queries;

    public MessageController(MessageQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/{messageId}")
    public MessageDetail get(AuthenticatedTenant tenant, @PathVariable String messageId) {
        tenant.require(AuthenticatedTenant.MESSAGES_READ);
        return queries.find(tenant.tenantId(), messageId).orElseThrow(() -> ProblemException.notFound("Message", messageId));
    }

    @GetMapping
    public MessageList search(AuthenticatedTenant tenant, @RequestParam(required = false) String externalId,
                              @RequestParam(required = false) String clientId,
                              @RequestParam(required = false) String conversationId,
                              @RequestParam(required = false) String direction,
                              @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                              @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
        tenant.require(AuthenticatedTenant.MESSAGES_READ);
        MessageSearch search;
        try {
            search = MessageSearch.parse(externalId, clientId, conversationId, from, to, limit, cursor, direction);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
        return queries.search(tenant.tenantId(), search);
    }
}
