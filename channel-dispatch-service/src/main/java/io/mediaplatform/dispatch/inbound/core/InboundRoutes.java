package io.mediaplatform.dispatch.inbound.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which tenant and inbox a customer's message belongs to, by the provider and the business address it was written to
 * ({@code INBOUND_ROUTES}): {@code ;}-separated entries {@code <provider>:<address>=<tenantId>[/<inboxId>]}, e.g.
 * {@code whatsapp:106540352242922=demo/demo-inbox;twilio:+15550100002=demo/demo-inbox;notify:demo-sender=demo}.
 * The address is the WhatsApp {@code phone_number_id}, the Twilio number (without {@code whatsapp:}) or the
 * notification-API sender id. Providers are case-insensitive, addresses exact (trimmed).
 *
 * <p>A malformed entry is refused when the table is made (at start-up) with an {@link IllegalArgumentException}
 * naming the entry and what is wrong with it, so a typo never silently sends customers' media to the dead letters.
 */
public final class InboundRoutes {

    /** The providers an entry may name. */
    public static final List<String> PROVIDERS = List.of("whatsapp", "twilio", "notify");
    private static final String FORMAT = "expected <provider>:<address>=<tenantId>[/<inboxId>] with <provider> one of "
            + String.join(", ", PROVIDERS) + ", entries separated by ';'";

    private final Map<String, Route> routes;

    private InboundRoutes(Map<String, Route> routes) {
        this.routes = Collections.unmodifiableMap(routes);
    }

    /**
     * Where an address's messages go.
     *
     * @param tenantId tenant owning the inbox
     * @param inboxId  inbox whose receive settings apply, or null
     */
    public record Route(String tenantId, String inboxId) {
        public Route {
            Objects.requireNonNull(tenantId, "tenantId");
        }
    }

    /** No routes: every inbound message goes to the dead letters. */
    public static InboundRoutes none() {
        return new InboundRoutes(new LinkedHashMap<>());
    }

    /**
     * Parses the setting; null or blank gives no routes, empty entries (a trailing {@code ;}) are skipped.
     *
     * @throws IllegalArgumentException for a malformed or repeated entry
     */
    public static InboundRoutes parse(String spec) {
        Map<String, Route> routes = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return new InboundRoutes(routes);
        }
        String[] entries = spec.split(";");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw malformed(i, entry, "no '=' between the address and the tenant");
            }
            String left = entry.substring(0, eq).trim();
            String right = entry.substring(eq + 1).trim();
            int colon = left.indexOf(':');
            if (colon <= 0) {
                throw malformed(i, entry, "no '<provider>:' before the address");
            }
            String provider = left.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (!PROVIDERS.contains(provider)) {
                throw malformed(i, entry, "unknown provider '" + provider + "'");
            }
            String address = normaliseAddress(provider, left.substring(colon + 1));
            if (address.isEmpty()) {
                throw malformed(i, entry, "empty address");
            }
            int slash = right.indexOf('/');
            String tenant = (slash < 0 ? right : right.substring(0, slash)).trim();
            String inbox = slash < 0 ? null : right.substring(slash + 1).trim();
            if (tenant.isEmpty()) {
                throw malformed(i, entry, "empty tenant id");
            }
            if (inbox != null && (inbox.isEmpty() || inbox.contains("/"))) {
                throw malformed(i, entry, "the inbox id after '/' is empty or has another '/'");
            }
            if (tenant.chars().anyMatch(Character::isWhitespace)
                    || (inbox != null && inbox.chars().anyMatch(Character::isWhitespace))) {
                throw malformed(i, entry, "whitespace inside the tenant or inbox id");
            }
            Route previous = routes.putIfAbsent(provider + ":" + address, new Route(tenant, inbox));
            if (previous != null) {
                throw malformed(i, entry, provider + ":" + address + " is routed twice");
            }
        }
        return new InboundRoutes(routes);
    }

    /** The route of a provider's business address, if any. */
    public Optional<Route> find(String provider, String address) {
        if (provider == null || address == null) {
            return Optional.empty();
        }
        String p = provider.trim().toLowerCase(Locale.ROOT);
        return Optional.ofNullable(routes.get(p + ":" + normaliseAddress(p, address)));
    }

    /** How many addresses are routed. */
    public int size() {
        return routes.size();
    }

    /** The routed {@code <provider>:<address>} keys, for the start-up log. */
    public List<String> addresses() {
        return List.copyOf(routes.keySet());
    }

    @Override
    public String toString() {
        return "InboundRoutes" + routes;
    }

    private static String normaliseAddress(String provider, String address) {
        String trimmed = address.trim();
        return "twilio".equals(provider) ? InboundAddresses.withoutWhatsAppPrefix(trimmed) : trimmed;
    }

    private static IllegalArgumentException malformed(int index, String entry, String why) {
        return new IllegalArgumentException("Malformed INBOUND_ROUTES entry " + (index + 1) + " '" + entry + "': "
                + why + "; " + FORMAT);
    }
}
