package io.mediaplatform.ingest.cors.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllowedOriginsTest {

    @Test
    void nothing_configured_means_no_cors_at_all() {
        assertThat(AllowedOrigins.parse("").enabled()).isFalse();
        assertThat(AllowedOrigins.parse(null).enabled()).isFalse();
        assertThat(AllowedOrigins.parse(" , ").origins()).isEmpty();
    }

    @Test
    void origins_are_read_as_scheme_host_and_port_in_lower_case() {
        AllowedOrigins origins = AllowedOrigins.parse("http://127.0.0.1:8083/, HTTPS://Console.Example.com");

        assertThat(origins.enabled()).isTrue();
        assertThat(origins.origins()).containsExactly("http://127.0.0.1:8083", "https://console.example.com");
    }

    @Test
    void a_wildcard_a_path_or_another_scheme_is_refused_with_the_value_named() {
        assertThatThrownBy(() -> AllowedOrigins.parse("*")).hasMessageContaining("'*'").hasMessageContaining("no wildcard");
        assertThatThrownBy(() -> AllowedOrigins.parse("https://*.example.com")).hasMessageContaining("https://*.example.com");
        assertThatThrownBy(() -> AllowedOrigins.parse("http://127.0.0.1:8083/console")).hasMessageContaining("no path");
        assertThatThrownBy(() -> AllowedOrigins.parse("file:///tmp")).hasMessageContaining("file:///tmp");
        assertThatThrownBy(() -> AllowedOrigins.parse("http://user@host")).hasMessageContaining("http://user@host");
    }
}
