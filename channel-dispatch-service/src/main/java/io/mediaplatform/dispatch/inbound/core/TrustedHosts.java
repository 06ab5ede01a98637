package io.mediaplatform.dispatch.inbound.core;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where one provider's credentials may go and its media may be downloaded from: the origin of the provider's base
 * URL (scheme, host and port exactly) and the configured download hosts ({@code INBOUND_MEDIA_HOSTS_<PROVIDER>}).
 * A configured entry is {@code host} (https on 443), {@code host:port} (https) or {@code http(s)://host[:port]}.
 * A URL on any other origin is refused before anything is sent to it, so it never sees a credential; a URL with
 * user info, or a scheme other than http/https, is refused too.
 *
 * <p>Redirects ({@link #redirect}) are followed only to a trusted origin, and keep the credentials only while the
 * origin stays the same: a provider API redirecting to its CDN (Twilio to {@code media.twiliocdn.com}) gets the
 * download without the account's secret.
 */
public final class TrustedHosts {

    /** Most redirects followed for one download. */
    public static final int MAX_REDIRECTS = 5;

    /** A scheme, host (lower case) and port. */
    public record Origin(String scheme, String host, int port) {
        @Override
        public String toString() {
            return scheme + "://" + host + ":" + port;
        }
    }

    private final Set<Origin> origins;

    private TrustedHosts(Set<Origin> origins) {
        this.origins = Set.copyOf(origins);
    }

    /**
     * @param baseUrl the provider's base URL (blank: none)
     * @param hosts   further trusted download hosts
     * @throws IllegalArgumentException when an entry cannot be read
     */
    public static TrustedHosts of(String baseUrl, List<String> hosts) {
        Set<Origin> origins = new LinkedHashSet<>();
        if (baseUrl != null && !baseUrl.isBlank()) {
            origins.add(origin(URI.create(baseUrl.trim()))
                    .orElseThrow(() -> new IllegalArgumentException("Not an http(s) base URL: " + baseUrl)));
        }
        for (String entry : hosts == null ? List.<String>of() : hosts) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            String url = e.contains("://") ? e : "https://" + e;
            origins.add(origin(URI.create(url)).orElseThrow(() -> new IllegalArgumentException("Not a host: " + entry)));
        }
        return new TrustedHosts(origins);
    }

    /** The trusted origins. */
    public Set<Origin> origins() {
        return origins;
    }

    /** The host names of the trusted origins (lower case). */
    public Set<String> hostNames() {
        Set<String> names = new LinkedHashSet<>();
        origins.forEach(o -> names.add(o.host()));
        return names;
    }

    /** Whether credentials may be sent to, and media downloaded from, {@code url}. */
    public boolean trusts(String url) {
        return parse(url).flatMap(TrustedHosts::origin).map(origins::contains).orElse(false);
    }

    /** Whether {@code url} is a trusted origin's URL; false for anything unreadable. */
    public boolean trusts(URI uri) {
        return origin(uri).map(origins::contains).orElse(false);
    }

    /** What to do with a redirect. */
    public sealed interface Redirect {
        /** Follow to {@code uri}, with the credentials only when {@code keepCredentials}. */
        record Follow(URI uri, boolean keepCredentials) implements Redirect {
        }

        /** Do not follow; {@code reason} is safe to show (no URL). */
        record Refuse(String reason) implements Redirect {
        }
    }

    /**
     * The rule for a redirect from {@code from} to {@code location} (absolute or relative).
     *
     * @param hops redirects already followed for this download
     */
    public Redirect redirect(URI from, String location, int hops) {
        if (hops >= MAX_REDIRECTS) {
            return new Redirect.Refuse("The provider redirected more than " + MAX_REDIRECTS + " times");
        }
        if (location == null || location.isBlank()) {
            return new Redirect.Refuse("The provider answered a redirect without a location");
        }
        URI target;
        try {
            target = from.resolve(location.trim());
        } catch (IllegalArgumentException e) {
            return new Redirect.Refuse("The provider redirected to an invalid location");
        }
        Optional<Origin> to = origin(target);
        if (to.isEmpty() || !origins.contains(to.get())) {
            return new Redirect.Refuse("The provider redirected to a host that is not trusted ("
                    + (target.getHost() == null ? "?" : target.getHost().toLowerCase(Locale.ROOT)) + ")");
        }
        return new Redirect.Follow(target, to.equals(origin(from)));
    }

    /** The origin of an http(s) URI without user info, or empty. */
    public static Optional<Origin> origin(URI uri) {
        if (uri == null || uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null) {
            return Optional.empty();
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.empty();
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        int port = uri.getPort() == -1 ? (scheme.equals("https") ? 443 : 80) : uri.getPort();
        return Optional.of(new Origin(scheme, host, port));
    }

    private static Optional<URI> parse(String url) {
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(URI.create(url.trim()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return new ArrayList<>(origins).toString();
    }
}
