package io.mediaplatform.common.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a URL before the platform calls it for a client: http or https only, no user info, and every
 * address the host resolves to must be public (not loopback, private, CGNAT, link-local incl. cloud
 * metadata, multicast, unspecified, IPv6 unique-local, or IPv4-mapped forms of those) unless the host is
 * on the allow-list. An allow-list entry is a host name or IP literal, on every port ({@code localhost}), or on one
 * port only ({@code 127.0.0.1:8099}, {@code [::1]:8099}); a URL without a port is on 80 (http) or 443 (https). Returns the checked addresses so the caller can connect to them and nothing else.
 */
public final class UrlGuard {

    private final Set<String> allowHosts;

    public UrlGuard(List<String> allowHosts) {
        this.allowHosts = allowHosts.stream().map(UrlGuard::normalizeEntry).filter(h -> !h.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** A URL that passed the guard, with the addresses its host resolved to at the time of the check. */
    public record CheckedUrl(URI uri, List<InetAddress> addresses) {
    }

    public CheckedUrl check(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new BlockedUrlException("Not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new BlockedUrlException("Only http and https URLs are allowed");
        }
        if (uri.getRawUserInfo() != null) {
            throw new BlockedUrlException("Credentials in the URL are not allowed; pass them as source credentials");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new BlockedUrlException("The URL has no host");
        }
        String normalizedHost = host.toLowerCase(Locale.ROOT);
        if (normalizedHost.startsWith("[") && normalizedHost.endsWith("]")) {
            normalizedHost = normalizedHost.substring(1, normalizedHost.length() - 1);
        }
        List<InetAddress> addresses;
        try {
            addresses = List.of(InetAddress.getAllByName(normalizedHost));
        } catch (UnknownHostException e) {
            throw new BlockedUrlException("The host " + host + " could not be resolved");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        if (!allowed(normalizedHost, port)) {
            for (InetAddress address : addresses) {
                if (!isPublic(address) && !allowed(address.getHostAddress(), port)) {
                    throw new BlockedUrlException("The host " + host + " resolves to a non-public address");
                }
            }
        }
        return new CheckedUrl(uri, addresses);
    }

    private boolean allowed(String host, int port) {
        return allowHosts.contains(host) || allowHosts.contains(host + ":" + port);
    }

    /** {@code host} or {@code host:port}, lower case, IPv6 literals without brackets ({@code ::1:8099} reads as ::1 port 8099 only in brackets). */
    static String normalizeEntry(String entry) {
        String e = entry.trim().toLowerCase(Locale.ROOT);
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            if (close < 0) {
                return e;
            }
            String host = e.substring(1, close);
            String rest = e.substring(close + 1);
            return rest.startsWith(":") && rest.length() > 1 ? host + ":" + rest.substring(1) : host;
        }
        return e;
    }

    /** Whether the address is a public unicast address. */
    public static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return !(first == 0 || first == 10 || first == 127 || first >= 224
                    || (first == 100 && second >= 64 && second <= 127)      // CGNAT 100.64/10
                    || (first == 169 && second == 254)                      // link-local, cloud metadata
                    || (first == 172 && second >= 16 && second <= 31)
                    || (first == 192 && second == 168)
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0)  // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19)));   // benchmarking
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {                                   // unique local fc00::/7
                return false;
            }
            if (isMappedOrCompatibleV4(b)) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return false;                                               // documentation 2001:db8::/32
            }
            if (first == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
                return false;                                               // NAT64 64:ff9b::/96 may reach private v4
            }
        }
        return true;
    }

    private static boolean isMappedOrCompatibleV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0);
    }
}
