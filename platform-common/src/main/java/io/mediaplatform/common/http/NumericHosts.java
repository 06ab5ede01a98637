package io.mediaplatform.common.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Reads host names that are IPv4 addresses in a spelling other than dotted decimal, the way C's
 * {@code inet_aton} (and so curl, browsers and most HTTP libraries) does: one to four parts, each decimal,
 * octal (leading {@code 0}) or hexadecimal ({@code 0x}), the last part filling the remaining bytes. So
 * {@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.0.0.1} and {@code 127.1} are all {@code 127.0.0.1}.
 * The JDK reads some of these differently ({@code 0177.0.0.1} as {@code 177.0.0.1}) or not at all
 * ({@code 0x7f.0.0.1} is no host for {@link java.net.URI}); {@link GuardedHttpClient} normalises them with this
 * class before the {@link UrlGuard} check, so they are refused as non-public rather than called.
 */
public final class NumericHosts {

    private NumericHosts() {
    }

    /** The IPv4 address the host spells in inet_aton form, or empty when it is a name (or not a valid number). */
    public static Optional<InetAddress> parse(String host) {
        if (host == null || host.isEmpty()) {
            return Optional.empty();
        }
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String[] parts = h.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long value = number(parts[i]);
            if (value == null) {
                return Optional.empty();
            }
            values[i] = value;
        }
        long address = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 0xff) {
                return Optional.empty();
            }
            address |= values[i] << (8 * (3 - i));
        }
        long last = values[values.length - 1];
        int lastBytes = 4 - (values.length - 1);
        if (last >= (1L << (8 * lastBytes))) {
            return Optional.empty();
        }
        address |= last;
        try {
            return Optional.of(InetAddress.getByAddress(new byte[]{(byte) (address >>> 24), (byte) (address >>> 16),
                    (byte) (address >>> 8), (byte) address}));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Long number(String part) {
        if (part.isEmpty() || part.length() > 12) {
            return null;
        }
        int radix = 10;
        String digits = part;
        if (part.length() > 1 && (part.startsWith("0x") || part.startsWith("0X"))) {
            radix = 16;
            digits = part.substring(2);
            if (digits.isEmpty()) {
                return 0L;
            }
        } else if (part.length() > 1 && part.startsWith("0")) {
            radix = 8;
            digits = part.substring(1);
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), radix) < 0) {
                return null;
            }
        }
        return Long.parseLong(digits, radix);
    }
}
