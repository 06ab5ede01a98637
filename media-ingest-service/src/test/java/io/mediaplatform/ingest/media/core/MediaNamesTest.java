package io.mediaplatform.ingest.media.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MediaNamesTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void the_newest_stored_media_of_a_name_wins_and_every_stored_one_counts() {
        // Given three media of one name, in no particular order
        List<MediaNames.Candidate> candidates = List.of(new MediaNames.Candidate("a", T),
                new MediaNames.Candidate("c", T.plusSeconds(20)), new MediaNames.Candidate("b", T.plusSeconds(10)));

        // When the name is resolved with all of them stored
        List<String> gone = new ArrayList<>();
        var resolved = MediaNames.resolve(candidates, id -> true, gone);

        // Then the newest is chosen out of three
        assertThat(resolved).contains(new MediaNames.Resolved("c", 3));
        assertThat(gone).isEmpty();
    }

    @Test
    void media_no_longer_stored_neither_win_nor_count_and_are_handed_back_to_be_forgotten() {
        // Given the newest of three media deleted meanwhile
        List<MediaNames.Candidate> candidates = List.of(new MediaNames.Candidate("a", T),
                new MediaNames.Candidate("b", T.plusSeconds(10)), new MediaNames.Candidate("c", T.plusSeconds(20)));

        // When the name is resolved
        List<String> gone = new ArrayList<>();
        var resolved = MediaNames.resolve(candidates, id -> !id.equals("c"), gone);

        // Then the next newest wins out of the two left, and the deleted one is reported gone
        assertThat(resolved).contains(new MediaNames.Resolved("b", 2));
        assertThat(gone).containsExactly("c");
    }

    @Test
    void a_tie_in_time_goes_to_the_greater_id_so_every_instance_picks_the_same() {
        var resolved = MediaNames.resolve(List.of(new MediaNames.Candidate("x1", T), new MediaNames.Candidate("x2", T)),
                id -> true, new ArrayList<>());

        assertThat(resolved).contains(new MediaNames.Resolved("x2", 2));
    }

    @Test
    void a_name_whose_media_are_all_gone_resolves_to_nothing() {
        List<String> gone = new ArrayList<>();
        var resolved = MediaNames.resolve(List.of(new MediaNames.Candidate("a", T)), id -> false, gone);

        assertThat(resolved).isEmpty();
        assertThat(Set.copyOf(gone)).containsExactly("a");
        assertThat(MediaNames.resolve(List.of(), id -> true, new ArrayList<>())).isEmpty();
    }
}
