package io.mediaplatform.ingest.media.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MediaDisposalTest {

    private static final String MEDIA = "0b9f3a52-6a43-4c4e-9a57-0f3d2f5e7c11";

    @Test
    void a_deleted_messages_media_that_nothing_else_names_is_deleted() {
        assertThat(MediaDisposal.of(MEDIA, false)).isEqualTo(new MediaDisposal.Delete(MEDIA));
    }

    @Test
    void a_media_still_named_by_a_live_message_is_kept() {
        assertThat(MediaDisposal.of(MEDIA, true)).isInstanceOf(MediaDisposal.Keep.class);
    }

    @Test
    void no_media_or_an_id_ingest_never_gives_deletes_nothing() {
        assertThat(MediaDisposal.of(null, false)).isInstanceOf(MediaDisposal.Keep.class);
        assertThat(MediaDisposal.of("../other-tenant", false)).isInstanceOf(MediaDisposal.Keep.class);
    }

    @Test
    void an_assets_media_is_kept_when_a_message_that_sent_it_is_deleted() {
        assertThat(MediaDisposal.of("8b0f3c2e-6f1a-4c4e-9d7b-2a1e5f6c7d8e", false, true))
                .isEqualTo(new MediaDisposal.Keep("it is an asset of the library"));
    }
}
