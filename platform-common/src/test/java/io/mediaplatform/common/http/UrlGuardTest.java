package io.mediaplatform.common.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The outbound URL guard's allow-list: hosts on every port, or on one port only. */
class UrlGuardTest {

    private final UrlGuard simulatorPortOnly = new UrlGuard(List.of("127.0.0.1:8099", "localhost:8099"));

    @Test
    void an_entry_with_a_port_allows_that_host_on_that_port() {
        // Given loopback allowed on the simulators' port only
        // When a URL on that port is checked
        // Then it passes with its loopback address
        assertThat(simulatorPortOnly.check("http://127.0.0.1:8099/whatsapp/media").addresses())
                .allSatisfy(a -> assertThat(a.isLoopbackAddress()).isTrue());
        assertThat(simulatorPortOnly.check("http://localhost:8099/x").uri().getPort()).isEqualTo(8099);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:9092/", "http://localhost/", "http://2130706433/", "http://127.1:8080/",
            "http://0x7f000001:8083/", "http://[::1]:8099/", "https://127.0.0.1/", "http://127.0.0.1:80/",
            "http://127.0.0.2:8099/", "http://10.0.0.1:8099/"})
    void loopback_on_any_other_port_or_spelling_is_refused(String url) {
        // Given loopback allowed on the simulators' port only
        // When any other loopback or private URL is checked
        // Then it is refused
        assertThatThrownBy(() -> simulatorPortOnly.check(url)).isInstanceOf(BlockedUrlException.class);
    }

    @Test
    void an_entry_without_a_port_allows_every_port_and_bracketed_ipv6_takes_a_port() {
        // Given a host-only entry and a bracketed IPv6 entry with a port
        UrlGuard guard = new UrlGuard(List.of("localhost", "[::1]:8099"));

        // When URLs on several ports are checked
        // Then the host-only entry allows them all, the IPv6 entry its port only
        assertThat(guard.check("http://localhost:1234/").uri().getHost()).isEqualTo("localhost");
        assertThat(guard.check("http://localhost/").uri().getHost()).isEqualTo("localhost");
        assertThat(guard.check("http://[::1]:8099/").uri().getPort()).isEqualTo(8099);
        assertThatThrownBy(() -> guard.check("http://[::1]:8100/")).isInstanceOf(BlockedUrlException.class);
    }

    @Test
    void without_an_allow_list_only_public_addresses_pass() {
        // Given the production default
        UrlGuard closed = new UrlGuard(List.of());

        // When loopback and a public literal are checked
        // Then loopback is refused and the public address passes
        assertThatThrownBy(() -> closed.check("http://127.0.0.1:8099/")).isInstanceOf(BlockedUrlException.class);
        assertThat(closed.check("http://93.184.215.14/").addresses()).hasSize(1);
    }
}
