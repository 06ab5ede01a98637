package io.mediaplatform.benchmarks.pipeline;

import java.time.Instant;
import java.util.Map;

/** A message's history in the callback API: status → at. */
record History(Map<String, Instant> at) {
}
