package io.mediaplatform.ingest.media.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MediaKeysTest {

    @Test
    void only_the_tenants_own_media_keys_yield_a_media_id() {
        String id = MediaKeys.newMediaId();
        assertThat(MediaKeys.mediaIdOf("acme", MediaKeys.media("acme", id))).contains(id);
        assertThat(MediaKeys.mediaIdOf("globex", MediaKeys.media("acme", id))).isEmpty();
        assertThat(MediaKeys.mediaIdOf("acme", MediaKeys.outcome("acme", id))).isEmpty();
        assertThat(MediaKeys.mediaIdOf("acme", "other/place/" + id)).isEmpty();
    }

    @Test
    void a_media_id_is_a_lower_case_uuid_and_nothing_else() {
        assertThat(MediaKeys.isMediaId(MediaKeys.newMediaId())).isTrue();
        assertThat(MediaKeys.isMediaId("../x")).isFalse();
        assertThat(MediaKeys.isMediaId(MediaKeys.newMediaId() + ".outcome.json")).isFalse();
    }

    @Test
    void a_tenant_id_cannot_climb_into_another_prefix() {
        assertThatThrownBy(() -> MediaKeys.media("acme/../globex", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
