package io.mediaplatform.callback.webhook.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * When each attempt of a webhook delivery is made: element {@code n} is the wait before attempt {@code n + 1}
 * (the first is normally {@code 0s}, i.e. at once). The number of elements is the number of attempts.
 *
 * @param delays waits before each attempt, none negative
 */
public record RetrySchedule(List<Duration> delays) {

    /** docs/ARCHITECTURE.md §6: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
    public static final RetrySchedule DEFAULT = parse("0s,5s,5m,30m,2h,5h,10h,10h");

    public RetrySchedule {
        delays = List.copyOf(delays);
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("a retry schedule needs at least one attempt");
        }
        if (delays.stream().anyMatch(Duration::isNegative)) {
            throw new IllegalArgumentException("a retry schedule has no negative waits: " + delays);
        }
    }

    /** Parses a comma-separated list like {@code 0s,200ms,5m,2h,1d} (or ISO-8601 {@code PT5M}). */
    public static RetrySchedule parse(String spec) {
        return new RetrySchedule(java.util.Arrays.stream(spec.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(RetrySchedule::duration).toList());
    }

    private static Duration duration(String text) {
        if (text.startsWith("P") || text.startsWith("p")) {
            return Duration.parse(text);
        }
        var matcher = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(text.toLowerCase(java.util.Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 200ms, 5s, 5m, 2h, 1d)");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** How many attempts a delivery gets at most. */
    public int maxAttempts() {
        return delays.size();
    }

    /** The wait before attempt {@code attemptNo} (1-based), or empty when there is no such attempt. */
    public Optional<Duration> waitBefore(int attemptNo) {
        return attemptNo >= 1 && attemptNo <= delays.size() ? Optional.of(delays.get(attemptNo - 1)) : Optional.empty();
    }
}
