package io.mediaplatform.ingest.settings.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest known settings of every inbox, fed from the compacted settings topic (and by this instance's
 * own writes, so a PUT is visible at once). A value older than the one held is ignored.
 */
public final class InboxSettingsView {

    private final Map<String, InboxSettings> byInbox = new ConcurrentHashMap<>();

    /** Applies settings unless newer ones are already known. */
    public void apply(InboxSettings settings) {
        byInbox.merge(key(settings.tenantId(), settings.inboxId()), settings, (held, incoming) ->
                held.updatedAt() != null && incoming.updatedAt() != null && incoming.updatedAt().isBefore(held.updatedAt())
                        ? held : incoming);
    }

    /** Forgets an inbox (a tombstone on the topic). */
    public void remove(String tenantId, String inboxId) {
        byInbox.remove(key(tenantId, inboxId));
    }

    /** The inbox's settings, or the defaults (everything allowed). */
    public InboxSettings get(String tenantId, String inboxId) {
        return byInbox.getOrDefault(key(tenantId, inboxId), InboxSettings.defaults(tenantId, inboxId));
    }

    private static String key(String tenantId, String inboxId) {
        return tenantId + "/" + inboxId;
    }
}
