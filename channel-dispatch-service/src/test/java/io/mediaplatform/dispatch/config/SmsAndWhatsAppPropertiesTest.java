package io.mediaplatform.dispatch.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The provider choices of SMS and WhatsApp: read case-insensitively, a wrong one stops the start-up. */
class SmsAndWhatsAppPropertiesTest {

    @Test
    void sms_goes_through_twilio_unless_told_otherwise_and_tenants_may_name_their_own_provider() {
        SmsProperties sms = new SmsProperties(" Notify ", "acme:twilio; globex : NOTIFY ;", Duration.ofDays(7));
        assertThat(sms.provider()).isEqualTo("notify");
        assertThat(sms.tenants()).isEqualTo(Map.of("acme", "twilio", "globex", "notify"));
        assertThat(new SmsProperties(null, null, Duration.ofDays(7)).provider()).isEqualTo("twilio");
    }

    @Test
    void an_unknown_sms_provider_or_a_malformed_tenant_entry_stops_the_start_up() {
        assertThatThrownBy(() -> new SmsProperties("sns", null, Duration.ofDays(1)))
                .hasMessageContaining("SMS_PROVIDER").hasMessageContaining("sns");
        assertThatThrownBy(() -> new SmsProperties("twilio", "acme", Duration.ofDays(1)))
                .hasMessageContaining("SMS_PROVIDER_TENANTS").hasMessageContaining("acme");
        assertThatThrownBy(() -> new SmsProperties("twilio", "acme:vonage", Duration.ofDays(1)))
                .hasMessageContaining("vonage");
    }

    @Test
    void whatsapp_is_the_cloud_api_by_default_meta_is_its_old_name_and_360dialog_needs_only_its_key() {
        assertThat(whatsApp(null, null, null, null).provider()).isEqualTo("cloud");
        assertThat(whatsApp("meta", "1", "token", null).provider()).isEqualTo("cloud");
        assertThat(whatsApp("meta", "1", "token", null).sendConfigured()).isTrue();
        WhatsAppProperties dialog = whatsApp("360Dialog", null, null, "d360-secret-value");
        assertThat(dialog.via360dialog()).isTrue();
        assertThat(dialog.sendConfigured()).isTrue();
        assertThat(whatsApp("360dialog", "1", "token", null).sendConfigured()).isFalse();
        assertThat(dialog.toString()).doesNotContain("d360-secret-value").contains("d360ApiKey=<set>");
        assertThatThrownBy(() -> whatsApp("gupshup", null, null, null)).hasMessageContaining("WHATSAPP_PROVIDER");
    }

    private static WhatsAppProperties whatsApp(String provider, String phoneNumberId, String token, String d360Key) {
        return new WhatsAppProperties("https://graph.facebook.com", "v21.0", phoneNumberId, token, null, null,
                Duration.ofSeconds(5), Duration.ofSeconds(15), provider, 80, "https://waba-v2.360dialog.io", d360Key, null);
    }
}
