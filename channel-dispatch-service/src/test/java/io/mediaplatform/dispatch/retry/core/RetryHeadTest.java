package io.mediaplatform.dispatch.retry.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RetryHeadTest {

    private static final Instant DUE = Instant.parse("2026-12-01T12:00:30Z");
    private static final Instant TRIED = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void a_head_read_back_from_its_offset_metadata_is_the_same_head() {
        // Given a head waiting for round 2 at offset 41, last tried at TRIED
        RetryHead head = new RetryHead(41, 2, DUE, TRIED);

        // When its metadata is read back with the offset it was committed at
        // Then it is the same head, and without a last attempt too
        assertThat(RetryHead.parse(41, head.metadata())).contains(head);
        RetryHead untried = new RetryHead(41, 1, DUE, null);
        assertThat(RetryHead.parse(41, untried.metadata())).contains(untried);
    }

    @Test
    void metadata_of_another_offset_or_not_ours_names_no_head() {
        String metadata = new RetryHead(41, 2, DUE, TRIED).metadata();

        assertThat(RetryHead.parse(42, metadata)).isEmpty();
        assertThat(RetryHead.parse(41, null)).isEmpty();
        assertThat(RetryHead.parse(41, "")).isEmpty();
        assertThat(RetryHead.parse(41, "offset=41;round=x;due=1")).isEmpty();
        assertThat(RetryHead.parse(41, "someone else's")).isEmpty();
    }
}
