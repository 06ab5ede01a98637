package io.mediaplatform.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a customer's media misbehaves when the platform fetches it from a simulator (the {@code fault=} parameter of
 * the {@code /simulator/<provider>/customer-messages} control endpoints, several comma separated; or
 * {@link CustomerMedia.Builder#faults(String)}). Faults combine: {@code download-5xx:2,oversize} answers the first two
 * downloads 500 and then streams the oversize body.
 *
 * <ul>
 *   <li>{@code download-5xx:N} — the first {@code N} downloads of the media answer 500 (a resolve of a WhatsApp
 *       media id is not a download and is not failed).</li>
 *   <li>{@code expired-url} — WhatsApp only: the first download URL the Graph resolve hands out is already expired,
 *       so downloading it answers 404; resolving again gives a fresh one. No effect on Twilio and the notification
 *       API (their media URLs do not expire).</li>
 *   <li>{@code wrong-sha256} — the sha256 the provider reports (WhatsApp webhook and resolve, notification API
 *       callback) is not that of the bytes served. No effect on Twilio, which reports no digest.</li>
 *   <li>{@code oversize} — the download streams {@code oversizeBytes} bytes (simulator builder setting, default
 *       {@link #DEFAULT_OVERSIZE_BYTES}, 101 MiB), generated lazily (never held in memory): the customer's bytes
 *       repeated. The reported size and sha256 are those of that long body.</li>
 *   <li>{@code gone} — the media was deleted: resolve and download answer 404.</li>
 * </ul>
 *
 * @param download5xx how many downloads answer 500 before the media is served
 * @param expiredUrl  the first WhatsApp download URL handed out is already expired
 * @param wrongSha256 the reported sha256 does not match the bytes
 * @param oversize    the download streams the simulator's {@code oversizeBytes}
 * @param gone        the media is deleted (404)
 */
public record MediaFaults(int download5xx, boolean expiredUrl, boolean wrongSha256, boolean oversize, boolean gone) {

    /** Default size of an {@code oversize} download: 101 MiB, just above the platform's 100 MB inbound limit. */
    public static final long DEFAULT_OVERSIZE_BYTES = 101L * 1024 * 1024;

    /** No fault. */
    public static final MediaFaults NONE = new MediaFaults(0, false, false, false, false);

    public MediaFaults {
        if (download5xx < 0) {
            throw new IllegalArgumentException("download-5xx count must not be negative: " + download5xx);
        }
    }

    /**
     * Parses the {@code fault=} syntax: comma-separated {@code download-5xx:N} ({@code download-5xx} alone is
     * {@code :1}), {@code expired-url}, {@code wrong-sha256}, {@code oversize}, {@code gone}; null or blank is
     * {@link #NONE}.
     *
     * @throws IllegalArgumentException for an unknown fault name or a bad count
     */
    public static MediaFaults parse(String spec) {
        MediaFaults faults = NONE;
        if (spec == null || spec.isBlank()) {
            return faults;
        }
        for (String raw : spec.split(",")) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (name.equals("download-5xx") || name.startsWith("download-5xx:")) {
                int count;
                try {
                    count = name.contains(":") ? Integer.parseInt(name.substring(name.indexOf(':') + 1).trim()) : 1;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("fault download-5xx:N needs a whole number N: '" + raw.trim() + "'");
                }
                faults = faults.withDownload5xx(count);
                continue;
            }
            faults = switch (name) {
                case "expired-url" -> faults.withExpiredUrl();
                case "wrong-sha256" -> faults.withWrongSha256();
                case "oversize" -> faults.withOversize();
                case "gone" -> faults.withGone();
                default -> throw new IllegalArgumentException("unknown fault '" + raw.trim()
                        + "' (known: download-5xx:N, expired-url, wrong-sha256, oversize, gone)");
            };
        }
        return faults;
    }

    /** These faults, with the first {@code count} downloads answering 500. */
    public MediaFaults withDownload5xx(int count) {
        return new MediaFaults(count, expiredUrl, wrongSha256, oversize, gone);
    }

    /** These faults, with an already expired first WhatsApp download URL. */
    public MediaFaults withExpiredUrl() {
        return new MediaFaults(download5xx, true, wrongSha256, oversize, gone);
    }

    /** These faults, with a reported sha256 that does not match. */
    public MediaFaults withWrongSha256() {
        return new MediaFaults(download5xx, expiredUrl, true, oversize, gone);
    }

    /** These faults, with an oversize download. */
    public MediaFaults withOversize() {
        return new MediaFaults(download5xx, expiredUrl, wrongSha256, true, gone);
    }

    /** These faults, with the media deleted. */
    public MediaFaults withGone() {
        return new MediaFaults(download5xx, expiredUrl, wrongSha256, oversize, true);
    }

    /** Whether there is no fault at all. */
    public boolean none() {
        return equals(NONE);
    }

    /** The {@code fault=} syntax of these faults ({@link #parse(String)} gives them back); empty for none. */
    public String spec() {
        List<String> names = new ArrayList<>();
        if (download5xx > 0) {
            names.add("download-5xx:" + download5xx);
        }
        if (expiredUrl) {
            names.add("expired-url");
        }
        if (wrongSha256) {
            names.add("wrong-sha256");
        }
        if (oversize) {
            names.add("oversize");
        }
        if (gone) {
            names.add("gone");
        }
        return String.join(",", names);
    }
}
