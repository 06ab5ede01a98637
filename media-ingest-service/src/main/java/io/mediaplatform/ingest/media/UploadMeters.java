package io.mediaplatform.ingest.media;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code ingest.uploads} by channel, direction and outcome, and {@code ingest.upload.bytes} of the stored ones: the
 * uploads of the HTTP edge and the customers' media fetched from providers alike (README's meter table).
 */
public final class UploadMeters {

    private UploadMeters() {
    }

    /** One media that ended {@code outcome} (stored, rejected, failed); {@code bytes} stored, 0 when none. */
    public static void record(MeterRegistry meters, String channel, String direction, String outcome, long bytes) {
        String tag = channel == null ? "none" : channel;
        meters.counter("ingest.uploads", "channel", tag, "direction", direction, "outcome", outcome).increment();
        if (bytes > 0) {
            DistributionSummary.builder("ingest.upload.bytes").baseUnit("bytes").description("Size of the media stored")
                    .tags("channel", tag, "direction", direction).register(meters).record(bytes);
        }
    }
}
