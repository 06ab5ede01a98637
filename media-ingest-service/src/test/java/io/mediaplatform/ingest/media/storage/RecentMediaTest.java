package io.mediaplatform.ingest.media.storage;

import io.mediaplatform.ingest.media.core.MediaInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RecentMediaTest {

    private final AtomicLong now = new AtomicLong();

    @Test
    void answers_media_looked_up_within_the_ttl_and_forgets_it_after() {
        // Given a media kept for 30 s
        RecentMedia recent = new RecentMedia(10, Duration.ofSeconds(30), now::get);
        recent.put("k", media("m1"));

        // When 29 s have passed, then it is known; when 30 s have, it is not
        now.set(Duration.ofSeconds(29).toNanos());
        assertThat(recent.get("k")).map(MediaInfo::mediaId).contains("m1");
        now.set(Duration.ofSeconds(30).toNanos());
        assertThat(recent.get("k")).isEmpty();
    }

    @Test
    void keeps_at_most_its_capacity_dropping_the_least_recently_used_and_forgets_a_deleted_media() {
        // Given room for two, with a used after b
        RecentMedia recent = new RecentMedia(2, Duration.ofSeconds(30), now::get);
        recent.put("a", media("a"));
        recent.put("b", media("b"));
        recent.get("a");

        // When a third arrives, and a is deleted
        recent.put("c", media("c"));

        // Then b is the one dropped
        assertThat(recent.get("b")).isEmpty();
        assertThat(recent.get("c")).isPresent();
        recent.forget("a");
        assertThat(recent.get("a")).isEmpty();
    }

    @Test
    void keeps_nothing_when_turned_off() {
        RecentMedia off = new RecentMedia(10, Duration.ZERO, now::get);
        off.put("k", media("m1"));
        assertThat(off.enabled()).isFalse();
        assertThat(off.get("k")).isEmpty();
    }

    private static MediaInfo media(String id) {
        return new MediaInfo(id, "acme", "conv", "WHATSAPP", "OUTBOUND", null, "a.png", "a.png", "image/png", 10,
                "00", "etag", Instant.EPOCH);
    }
}
