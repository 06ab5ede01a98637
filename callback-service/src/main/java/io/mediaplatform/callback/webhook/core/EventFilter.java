package io.mediaplatform.callback.webhook.core;

import io.mediaplatform.callback.status.core.Status;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which events a tenant webhook endpoint wants: the event types {@value #ALL_STATUSES} (every status) and
 * {@value #MESSAGE_RECEIVED} (a customer's inbound message), and statuses such as {@code DELIVERED, READ, FAILED}
 * (status webhooks of those statuses only). No entry at all ({@link #ALL}) means every event type, those added
 * later included.
 *
 * @param entries    normalised entries: event types or upper-case status names, without repeats; for {@link #ALL}
 *                   the statuses' event type (it matches every status)
 * @param everyEvent whether no filter was given: every event type matches, whatever the entries
 */
public record EventFilter(List<String> entries, boolean everyEvent) {

    /** The event type of every status webhook; as a filter entry it matches every status. */
    public static final String ALL_STATUSES = "message.status.updated";

    /** The event type of an inbound (customer's) message; as a filter entry it matches those. */
    public static final String MESSAGE_RECEIVED = "message.received";

    /** No filter: every event type. */
    public static final EventFilter ALL = new EventFilter(List.of(ALL_STATUSES), true);

    public EventFilter {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("an event filter has at least one entry");
        }
    }

    /** A filter of exactly these entries (not {@link #ALL}, even when they name every event type). */
    public EventFilter(List<String> entries) {
        this(entries, false);
    }

    /**
     * Reads a filter as a client sends it (or as {@link #stored()} kept it); null or empty gives {@link #ALL}.
     *
     * @throws IllegalArgumentException naming the entry that is neither an event type nor a status
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
            if (trimmed.equalsIgnoreCase(MESSAGE_RECEIVED)) {
                entries.add(MESSAGE_RECEIVED);
                continue;
            }
            try {
                entries.add(Status.valueOf(trimmed.toUpperCase(Locale.ROOT)).name());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Unknown event '" + trimmed + "': use " + ALL_STATUSES + ", "
                        + MESSAGE_RECEIVED + " or statuses among " + List.of(Status.values()));
            }
        }
        return new EventFilter(new ArrayList<>(entries));
    }

    /** Whether an event telling {@code status} goes to the endpoint. */
    public boolean matches(Status status) {
        return everyEvent || entries.contains(ALL_STATUSES) || entries.contains(status.name());
    }

    /** Whether a {@value #MESSAGE_RECEIVED} event goes to the endpoint. */
    public boolean matchesMessageReceived() {
        return everyEvent || entries.contains(MESSAGE_RECEIVED);
    }

    /** What is stored and shown for the filter: its entries, or none for {@link #ALL} (every event type). */
    public List<String> stored() {
        return everyEvent ? List.of() : entries;
    }
}
