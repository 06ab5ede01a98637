package io.mediaplatform.dispatch.inbound.core;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustedHostsTest {

    private final TrustedHosts twilio = TrustedHosts.of("https://api.twilio.com",
            List.of("media.twiliocdn.com", " mms.twiliocdn.com ", ""));
    private final TrustedHosts simulator = TrustedHosts.of("http://127.0.0.1:8090", List.of("http://localhost:9000"));

    @Test
    void trusts_the_base_urls_origin_and_the_configured_hosts() {
        assertThat(twilio.trusts("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1")).isTrue();
        assertThat(twilio.trusts("https://API.Twilio.com:443/x")).isTrue();
        assertThat(twilio.trusts("https://media.twiliocdn.com/AC1/abc")).isTrue();
        assertThat(twilio.trusts("https://mms.twiliocdn.com/abc")).isTrue();
        assertThat(simulator.trusts("http://127.0.0.1:8090/whatsapp/media-download/1")).isTrue();
        assertThat(simulator.trusts("http://localhost:9000/file")).isTrue();
    }

    @Test
    void refuses_any_other_host_port_or_scheme() {
        assertThat(twilio.trusts("https://evil.example/x")).isFalse();
        assertThat(twilio.trusts("https://api.twilio.com.evil.example/x")).isFalse();
        assertThat(twilio.trusts("http://api.twilio.com/x")).as("cleartext to the API host").isFalse();
        assertThat(twilio.trusts("https://media.twiliocdn.com:8443/x")).isFalse();
        assertThat(simulator.trusts("http://127.0.0.1:8091/x")).as("another loopback server").isFalse();
        assertThat(simulator.trusts("http://localhost:8090/x")).isFalse();
        assertThat(twilio.trusts("ftp://api.twilio.com/x")).isFalse();
        assertThat(twilio.trusts("not a url")).isFalse();
        assertThat(twilio.trusts((String) null)).isFalse();
    }

    @Test
    void refuses_a_url_carrying_user_info() {
        assertThat(twilio.trusts("https://user:pass@api.twilio.com/x")).isFalse();
        assertThat(twilio.trusts("https://api.twilio.com@evil.example/x")).isFalse();
    }

    @Test
    void a_redirect_to_another_trusted_origin_is_followed_without_the_credentials() {
        TrustedHosts.Redirect redirect = twilio.redirect(URI.create("https://api.twilio.com/2010-04-01/x/Media/ME1"),
                "https://media.twiliocdn.com/AC1/abc?sig=1", 0);
        assertThat(redirect).isEqualTo(new TrustedHosts.Redirect.Follow(
                URI.create("https://media.twiliocdn.com/AC1/abc?sig=1"), false));
    }

    @Test
    void a_redirect_on_the_same_origin_keeps_the_credentials_and_may_be_relative() {
        TrustedHosts.Redirect redirect = twilio.redirect(URI.create("https://api.twilio.com/2010-04-01/a/b"), "/other", 0);
        assertThat(redirect).isEqualTo(new TrustedHosts.Redirect.Follow(URI.create("https://api.twilio.com/other"), true));
    }

    @Test
    void a_redirect_to_an_untrusted_host_is_refused_naming_only_the_host() {
        TrustedHosts.Redirect redirect = twilio.redirect(URI.create("https://api.twilio.com/a"),
                "http://169.254.169.254/latest/meta-data/?token=secret", 0);
        assertThat(redirect).isInstanceOf(TrustedHosts.Redirect.Refuse.class);
        assertThat(((TrustedHosts.Redirect.Refuse) redirect).reason()).contains("169.254.169.254").doesNotContain("secret");
    }

    @Test
    void redirects_stop_after_the_limit_and_need_a_location() {
        assertThat(twilio.redirect(URI.create("https://api.twilio.com/a"), "/b", TrustedHosts.MAX_REDIRECTS))
                .isInstanceOf(TrustedHosts.Redirect.Refuse.class);
        assertThat(twilio.redirect(URI.create("https://api.twilio.com/a"), null, 0))
                .isInstanceOf(TrustedHosts.Redirect.Refuse.class);
    }

    @Test
    void no_base_url_and_no_hosts_trusts_nothing() {
        assertThat(TrustedHosts.of("", List.of()).trusts("https://anything.example/x")).isFalse();
    }

    @Test
    void an_unreadable_entry_is_a_configuration_error() {
        assertThatThrownBy(() -> TrustedHosts.of("mailto:x@example.com", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
