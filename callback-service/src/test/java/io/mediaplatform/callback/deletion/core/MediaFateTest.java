package io.mediaplatform.callback.deletion.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MediaFateTest {

    private static DeletedMessage message(String id, String mediaId) {
        return new DeletedMessage(id, "conv", "WHATSAPP", "OUTBOUND", mediaId);
    }

    @Test
    void a_media_no_live_message_names_dies_with_its_message() {
        // Given a deleted message whose media nothing else names
        List<MediaFate.Deletion> deletions = MediaFate.decide(List.of(message("m1", "a")), Set.of());

        // Then its media is deleted
        assertThat(deletions).singleElement().satisfies(d -> {
            assertThat(d.mediaStillReferenced()).isFalse();
            assertThat(d.deletesMedia()).isTrue();
        });
        assertThat(MediaFate.mediaDeleted(deletions)).isEqualTo(1);
        assertThat(MediaFate.mediaKept(deletions)).isZero();
    }

    @Test
    void a_media_another_live_message_still_names_is_kept() {
        List<MediaFate.Deletion> deletions = MediaFate.decide(List.of(message("m1", "shared")), Set.of("shared"));

        assertThat(deletions.getFirst().mediaStillReferenced()).isTrue();
        assertThat(deletions.getFirst().deletesMedia()).isFalse();
        assertThat(MediaFate.mediaKept(deletions)).isEqualTo(1);
    }

    @Test
    void two_deleted_messages_of_one_media_delete_it_once_and_a_message_without_media_deletes_nothing() {
        // Given two deleted messages naming one media (nothing else names it) and one without media
        List<DeletedMessage> deleted = List.of(message("m1", "a"), message("m2", "a"), message("m3", null));

        // When their fate is decided
        List<MediaFate.Deletion> deletions = MediaFate.decide(deleted, Set.of());

        // Then the media is counted once and the message without media asks for nothing
        assertThat(MediaFate.mediaOf(deleted)).containsExactly("a");
        assertThat(MediaFate.mediaDeleted(deletions)).isEqualTo(1);
        assertThat(deletions.get(2).deletesMedia()).isFalse();
        assertThat(deletions.get(2).mediaStillReferenced()).isFalse();
    }
}
