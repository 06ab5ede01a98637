package io.mediaplatform.callback.webhook.web;

import io.mediaplatform.callback.config.WebhookProperties;
import io.mediaplatform.callback.status.core.Status;
import io.mediaplatform.callback.webhook.WebhookEndpoints;
import io.mediaplatform.callback.webhook.WebhookReplay;
import io.mediaplatform.callback.webhook.core.EventFilter;
import io.mediaplatform.common.http.BlockedUrlException;
import io.mediaplatform.common.http.WebhookUrlGuard;
import io.mediaplatform.common.security.AuthenticatedTenant;
import io.mediaplatform.common.web.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Tenant webhook endpoints ({@code /v1/webhooks}, scope {@code webhooks:admin}) and webhook replay
 * ({@code POST /v1/messages/{id}/webhooks/replay}). An endpoint's secret is answered once, at creation and at
 * rotation; it is never listed or logged. Another tenant's endpoint or message is answered like an unknown one (404).
 */
@RestController
public class WebhookController {

    private static final Logger log = LoggerFactory.getLogger(WebhookController.class);
    private static final int MAX_URL_LENGTH = 2048;
    private static final int MAX_DESCRIPTION_LENGTH = 500;

    /** Body of {@code POST /v1/webhooks}. */
    public record CreateWebhook(String url, List<String> events, String description) {
        /** The members a body may have: any other is refused, not silently dropped (a client's own "secret"). */
        static final Set<String> FIELDS = Set.of("url", "events", "description");
    }

    /** Answer of a replay. */
    public record Replayed(String messageId, int count, int events) {
    }

    private final WebhookEndpoints endpoints;
    private final WebhookReplay replay;
    private final WebhookUrlGuard guard;
    private final Clock clock;
    private final Duration rotationOverlap;
    private final JsonMapper json;

    public WebhookController(WebhookEndpoints endpoints, WebhookReplay replay, WebhookUrlGuard guard, Clock clock,
                             WebhookProperties properties, JsonMapper json) {
        this.json = json;
        this.endpoints = endpoints;
        this.replay = replay;
        this.guard = guard;
        this.clock = clock;
        this.rotationOverlap = properties.secretRotationOverlap();
    }

    @PostMapping("/v1/webhooks")
    public ResponseEntity<Map<String, Object>> create(AuthenticatedTenant tenant, @RequestBody(required = false) JsonNode raw) {
        tenant.require(AuthenticatedTenant.WEBHOOKS_ADMIN);
        CreateWebhook body = read(raw);
        if (body == null || body.url() == null || body.url().isBlank()) {
            throw ProblemException.badRequest("Give the webhook endpoint's url");
        }
        String url = body.url().trim();
        if (url.length() > MAX_URL_LENGTH) {
            throw ProblemException.badRequest("The url is longer than " + MAX_URL_LENGTH + " characters");
        }
        if (body.description() != null && body.description().length() > MAX_DESCRIPTION_LENGTH) {
            throw ProblemException.badRequest("The description is longer than " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        try {
            guard.check(url);
        } catch (BlockedUrlException e) {
            throw ProblemException.badRequest("The url is not allowed: " + e.getMessage()).with("url", url);
        }
        EventFilter filter;
        try {
            filter = EventFilter.parse(body.events());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
        WebhookEndpoints.Created created = endpoints.create(tenant.tenantId(), url, filter, body.description(), clock.instant());
        WebhookEndpoints.Endpoint endpoint = created.endpoint();
        log.info("Webhook endpoint {} created for tenant {} ({} events)", endpoint.id(), tenant.tenantId(), endpoint.events());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", endpoint.id());
        answer.put("url", endpoint.url());
        answer.put("events", endpoint.events());
        if (endpoint.description() != null) {
            answer.put("description", endpoint.description());
        }
        answer.put("secret", created.secret());
        answer.put("createdAt", endpoint.createdAt());
        return ResponseEntity.created(URI.create("/v1/webhooks/" + endpoint.id())).body(answer);
    }

    /**
     * The body as a {@link CreateWebhook}, or null when there is none: a body that is not a JSON object, has a member
     * of the wrong type or one that is not a {@link CreateWebhook#FIELDS field} is a 400 problem naming it.
     */
    private CreateWebhook read(JsonNode raw) {
        if (raw == null || raw.isMissingNode() || raw.isNull()) {
            return null;
        }
        if (!raw.isObject()) {
            throw ProblemException.badRequest("The body must be a JSON object with url, and optionally events and description");
        }
        for (String name : raw.propertyNames()) {
            if (!CreateWebhook.FIELDS.contains(name)) {
                throw ProblemException.badRequest("Unknown field '" + name + "': a webhook endpoint takes url, events "
                        + "and description (its secret is made by the service)").with("field", name);
            }
        }
        try {
            return json.treeToValue(raw, CreateWebhook.class);
        } catch (JacksonException e) {
            throw ProblemException.badRequest("The body does not fit: url and description are strings, events a list "
                    + "of strings");
        }
    }

    @GetMapping("/v1/webhooks")
    public Map<String, List<WebhookEndpoints.Endpoint>> list(AuthenticatedTenant tenant) {
        tenant.require(AuthenticatedTenant.WEBHOOKS_ADMIN);
        return Map.of("items", endpoints.list(tenant.tenantId()));
    }

    @GetMapping("/v1/webhooks/{id}")
    public WebhookEndpoints.Endpoint get(AuthenticatedTenant tenant, @PathVariable String id) {
        tenant.require(AuthenticatedTenant.WEBHOOKS_ADMIN);
        return endpoints.find(tenant.tenantId(), id).orElseThrow(() -> ProblemException.notFound("Webhook endpoint", id));
    }

    /** Most attempts {@code GET /v1/webhooks/{id}/attempts} answers. */
    static final int MAX_ATTEMPTS = 500;

    @GetMapping("/v1/webhooks/{id}/attempts")
    public Map<String, List<WebhookEndpoints.EndpointAttempt>> attempts(AuthenticatedTenant tenant, @PathVariable String id,
                                                                        @RequestParam(required = false) String limit) {
        tenant.require(AuthenticatedTenant.WEBHOOKS_ADMIN);
        int max = 50;
        if (limit != null) {
            try {
                max = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                max = 0;
            }
            if (max < 1 || max > MAX_ATTEMPTS) {
                throw ProblemException.badRequest("limit must be a number from 1 to " + MAX_ATTEMPTS + ", not '" + limit + "'")
                        .with("field", "limit");
            }
        }
        return Map.of("items", endpoints.attempts(tenant.tenantId(), id, max)
                .orElseThrow(() -> ProblemException.notFound("Webhook endpoint", id)));
    }

    @DeleteMapping("/v1/webhooks/{id}")
    public ResponseEntity<Void> delete(AuthenticatedTenant tenant, @PathVariable String id) {
        tenant.require(AuthenticatedTenant.WEBHOOKS_ADMIN);
        if (!endpoints.delete(tenant.tenantId(), id, clock.instant())) {
            throw ProblemException.notFound("Webhook endpoint", id);
        }
        log.info("Webhook endpoint {} of tenant {} deleted", id, tenant.tenantId());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/v1/webhooks/{id}/rotate-secret")
    public WebhookEndpoints.Rotated rotate(AuthenticatedTenant tenant, @PathVariable String id) {
        tenant.require(AuthenticatedTenant.WEBHOOKS_ADMIN);
        WebhookEndpoints.Rotated rotated = endpoints.rotate(tenant.tenantId(), id, clock.instant(), rotationOverlap)
                .orElseThrow(() -> ProblemException.notFound("Webhook endpoint", id));
        log.info("Webhook endpoint {} of tenant {}: secret rotated, the previous one signs too until {}", id,
                tenant.tenantId(), rotated.previousSecretExpiresAt());
        return rotated;
    }

    @PostMapping("/v1/messages/{messageId}/webhooks/replay")
    public ResponseEntity<Replayed> replay(AuthenticatedTenant tenant, @PathVariable String messageId,
                                           @RequestParam(required = false) String status) {
        tenant.require(AuthenticatedTenant.WEBHOOKS_ADMIN);
        Status only = null;
        if (status != null && !status.isBlank()) {
            try {
                only = Status.valueOf(status.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("Unknown status '" + status + "': use one of " + List.of(Status.values()));
            }
        }
        WebhookReplay.Result result = replay.replay(tenant.tenantId(), messageId, only)
                .orElseThrow(() -> ProblemException.notFound("Message", messageId));
        log.info("Replayed {} status(es) of message {} of tenant {} as {} webhook deliveries", result.events(), messageId,
                tenant.tenantId(), result.deliveries());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Replayed(messageId, result.deliveries(), result.events()));
    }
}
