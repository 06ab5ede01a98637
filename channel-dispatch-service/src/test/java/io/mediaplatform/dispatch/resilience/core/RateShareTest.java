package io.mediaplatform.dispatch.resilience.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RateShareTest {

    @Test
    void instances_sharing_the_partitions_allow_together_at_most_the_limit() {
        // Given 80/s and 3 partitions shared by two instances (2 + 1), then by three (1 + 1 + 1)
        assertThat(RateShare.limit(80, 2, 3) + RateShare.limit(80, 1, 3)).isLessThanOrEqualTo(80).isEqualTo(79);
        assertThat(3 * RateShare.limit(80, 1, 3)).isLessThanOrEqualTo(80);
        // And one instance owning all of them has the whole limit
        assertThat(RateShare.limit(80, 3, 3)).isEqualTo(80);
    }

    @Test
    void an_instance_follows_its_assignments_and_knows_the_whole_limit_until_it_learns_the_partition_count() {
        RateShare share = new RateShare(() -> 6);
        long before = share.version();
        assertThat(share.limit(60)).isEqualTo(60);

        // When it is given two of six partitions
        share.assigned(List.of(0, 1));
        // Then it allows a third
        assertThat(share.limit(60)).isEqualTo(20);
        assertThat(share.version()).isGreaterThan(before);

        // When one is taken away and three more come
        share.revoked(List.of(1));
        share.assigned(List.of(2, 3, 4));
        assertThat(share.limit(60)).isEqualTo(40);
    }

    @Test
    void a_tiny_limit_never_drops_to_zero() {
        assertThat(RateShare.limit(1, 1, 12)).isEqualTo(1);
    }
}
