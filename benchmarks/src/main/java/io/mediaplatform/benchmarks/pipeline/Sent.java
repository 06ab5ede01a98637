package io.mediaplatform.benchmarks.pipeline;

import java.time.Instant;

/** One sent message as the load generator saw it: when it went, when it was answered, the status and its id. */
record Sent(int index, Instant start, Instant answered, int status, String messageId) {
}
