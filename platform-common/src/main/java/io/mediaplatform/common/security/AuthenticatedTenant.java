package io.mediaplatform.common.security;

import io.mediaplatform.common.web.ProblemException;

import java.util.Set;

/**
 * The tenant an API key belongs to, and what the key may do. Controllers take it as a method parameter;
 * without a valid key the request never reaches them (401).
 */
public record AuthenticatedTenant(String tenantId, Set<String> scopes) {

    public static final String MEDIA_WRITE = "media:write";
    public static final String MEDIA_READ = "media:read";
    public static final String MESSAGES_SEND = "messages:send";
    public static final String MESSAGES_READ = "messages:read";
    public static final String SETTINGS_ADMIN = "settings:admin";
    public static final String WEBHOOKS_ADMIN = "webhooks:admin";
    /** Deleting messages and erasing a contact's data (callback-service). */
    public static final String MESSAGES_DELETE = "messages:delete";
    /** Every scope: what a key without an explicit scope list gets. */
    public static final Set<String> ALL_SCOPES = Set.of(MEDIA_WRITE, MEDIA_READ, MESSAGES_SEND, MESSAGES_READ, SETTINGS_ADMIN,
            WEBHOOKS_ADMIN, MESSAGES_DELETE);

    public boolean has(String scope) {
        return scopes.contains(scope);
    }

    /** Throws 403 problem when the key lacks the scope. */
    public AuthenticatedTenant require(String scope) {
        if (!has(scope)) {
            throw ProblemException.forbidden("This API key lacks the scope " + scope);
        }
        return this;
    }
}
