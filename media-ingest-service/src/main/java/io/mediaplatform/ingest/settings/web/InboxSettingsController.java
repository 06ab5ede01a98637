package io.mediaplatform.ingest.settings.web;

import io.mediaplatform.common.kafka.EventPublisher;
import io.mediaplatform.common.security.AuthenticatedTenant;
import io.mediaplatform.common.web.ProblemException;
import io.mediaplatform.events.InboxMediaSettings;
import io.mediaplatform.ingest.core.InvalidInputException;
import io.mediaplatform.ingest.settings.core.InboxSettings;
import io.mediaplatform.ingest.settings.core.InboxSettingsView;
import io.mediaplatform.schemas.topics.Topics;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code PUT|GET /v1/inboxes/{inboxId}/media-settings}: an inbox's media switches, written to the compacted
 * {@code inbox.media-settings.v1} topic (read by validation) and read back from this service's view of it.
 */
@RestController
public class InboxSettingsController {

    private final EventPublisher publisher;
    private final InboxSettingsView view;
    private final Clock clock;

    public InboxSettingsController(EventPublisher publisher, InboxSettingsView view, Clock clock) {
        this.publisher = publisher;
        this.view = view;
        this.clock = clock;
    }

    /** Body of a PUT: absent switches mean enabled; no profile means the tenant's. */
    public record SettingsBody(Boolean sendEnabled, Boolean receiveEnabled, String rejectionMessage, String profile) {
    }

    /** The settings as answered. */
    public record SettingsView(String inboxId, boolean sendEnabled, boolean receiveEnabled, String rejectionMessage,
                               Instant updatedAt, String profile) {
        static SettingsView of(InboxSettings s) {
            return new SettingsView(s.inboxId(), s.sendEnabled(), s.receiveEnabled(), s.rejectionMessage(), s.updatedAt(),
                    s.profile());
        }
    }

    @PutMapping("/v1/inboxes/{inboxId}/media-settings")
    public SettingsView put(AuthenticatedTenant tenant, @PathVariable String inboxId, @RequestBody SettingsBody body) {
        tenant.require(AuthenticatedTenant.SETTINGS_ADMIN);
        InboxSettings settings;
        try {
            settings = InboxSettings.of(tenant.tenantId(), inboxId, body.sendEnabled(), body.receiveEnabled(),
                    body.rejectionMessage(), clock.instant().truncatedTo(ChronoUnit.MILLIS), body.profile());
        } catch (InvalidInputException e) {
            throw ProblemException.badRequest(e.getMessage()).with("field", e.field());
        }
        publisher.sendAndWait(Topics.INBOX_MEDIA_SETTINGS, Topics.inboxKey(tenant.tenantId(), settings.inboxId()),
                InboxMediaSettings.newBuilder()
                        .setTenantId(settings.tenantId())
                        .setInboxId(settings.inboxId())
                        .setSendEnabled(settings.sendEnabled())
                        .setReceiveEnabled(settings.receiveEnabled())
                        .setRejectionMessage(settings.rejectionMessage())
                        .setUpdatedAt(settings.updatedAt())
                        .setProfile(settings.profile())
                        .build());
        view.apply(settings);
        return SettingsView.of(settings);
    }

    @GetMapping("/v1/inboxes/{inboxId}/media-settings")
    public SettingsView get(AuthenticatedTenant tenant, @PathVariable String inboxId) {
        tenant.require(AuthenticatedTenant.SETTINGS_ADMIN);
        try {
            InboxSettings.checkInboxId(inboxId);
        } catch (InvalidInputException e) {
            throw ProblemException.badRequest(e.getMessage()).with("field", e.field());
        }
        return SettingsView.of(view.get(tenant.tenantId(), inboxId));
    }
}
