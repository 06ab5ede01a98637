package io.mediaplatform.callback.webhook.core;

import io.mediaplatform.callback.status.core.Status;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which status events a tenant webhook endpoint wants: the event type {@value #ALL_STATUSES} (every status), or
 * a list of statuses such as {@code DELIVERED, READ, FAILED}. No entry at all means every status.
 *
 * @param entries normalised entries: {@value #ALL_STATUSES} or upper-case status names, without repeats
 */
public record EventFilter(List<String> entries) {

    /** The event type of every status webhook; as a filter entry it matches every status. */
    public static final String ALL_STATUSES = "message.status.updated";

    /** Every status. */
    public static final EventFilter ALL = new EventFilter(List.of(ALL_STATUSES));

    public EventFilter {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("an event filter has at least one entry");
        }
    }

    /**
     * Reads a filter as a client sends it; null or empty gives {@link #ALL}.
     *
     * @throws IllegalArgumentException naming the entry that is neither the event type nor a status
     */
    public static EventFilter parse(List<String> raw) {
        if (raw == null || raw.isEmpty()) {
            return ALL;
        }
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : raw) {
            String trimmed = entry == null ? "" : entry.trim();
            if (trimmed.equalsIgnoreCase(ALL_STATUSES)) {
                entries.add(ALL_STATUSES);
                continue;
            }
            try {
                entries.add(Status.valueOf(trimmed.toUpperCase(Locale.ROOT)).name());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Unknown event '" + trimmed + "': use " + ALL_STATUSES
                        + " or statuses among " + List.of(Status.values()));
            }
        }
        return new EventFilter(new ArrayList<>(entries));
    }

    /** Whether an event telling {@code status} goes to the endpoint. */
    public boolean matches(Status status) {
        return entries.contains(ALL_STATUSES) || entries.contains(status.name());
    }
}
