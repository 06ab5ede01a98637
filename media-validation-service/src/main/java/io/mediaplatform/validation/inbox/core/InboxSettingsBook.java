package io.mediaplatform.validation.inbox.core;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest media settings of every inbox, kept in memory (fed from the compacted settings topic) and keyed
 * by tenant and inbox, so one tenant's inbox id never picks up another tenant's settings.
 */
public final class InboxSettingsBook {

    private final Map<String, InboxMediaRules> byKey = new ConcurrentHashMap<>();

    /** Records the latest settings of an inbox. */
    public void put(String tenantId, InboxMediaRules rules) {
        byKey.put(key(tenantId, rules.inboxId()), rules);
    }

    /** Forgets an inbox (a tombstone on the compacted topic); its media is then allowed both ways. */
    public void remove(String tenantId, String inboxId) {
        byKey.remove(key(tenantId, inboxId));
    }

    /** Forgets an inbox by its record key ({@code tenantId/inboxId}). */
    public void removeKey(String key) {
        byKey.remove(key);
    }

    /** The inbox's settings, if any were published. */
    public Optional<InboxMediaRules> find(String tenantId, String inboxId) {
        if (tenantId == null || inboxId == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(byKey.get(key(tenantId, inboxId)));
    }

    /** The inbox's settings, or open ones when nothing was published (or there is no inbox). */
    public InboxMediaRules rulesFor(String tenantId, String inboxId) {
        return find(tenantId, inboxId).orElseGet(() -> InboxMediaRules.open(inboxId));
    }

    /** How many inboxes have settings. */
    public int size() {
        return byKey.size();
    }

    private static String key(String tenantId, String inboxId) {
        return tenantId + "/" + inboxId;
    }
}
