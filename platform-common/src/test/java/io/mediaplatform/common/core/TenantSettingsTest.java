package io.mediaplatform.common.core;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantSettingsTest {

    private static final TenantSettings PROFILES = new TenantSettings("MEDIA_TENANT_PROFILES", '=', "<profile>", true);
    private static final TenantSettings PROVIDERS = new TenantSettings("SMS_PROVIDER_TENANTS", ':', "<provider>", false);

    @Test
    void reads_entries_in_order_stripped_skipping_empty_ones() {
        // Given entries with blanks, an empty entry and both separators, When parsed, Then each tenant has its value
        assertThat(PROFILES.parse(" acme = occ ;; globex=chat-flow, initech=occ"))
                .containsExactly(Map.entry("acme", "occ"), Map.entry("globex", "chat-flow"), Map.entry("initech", "occ"));
        assertThat(PROFILES.parse(null)).isEmpty();
        assertThat(PROFILES.parse("  ")).isEmpty();
    }

    @Test
    void a_list_valued_setting_keeps_its_commas_and_a_colon_setting_splits_at_the_last_colon() {
        TenantSettings fallbacks = new TenantSettings("FALLBACK_TENANTS", '=', "<CHANNEL>[,<CHANNEL>...]", false);
        assertThat(fallbacks.parse("acme=MMS,SMS;globex=SMS"))
                .containsExactly(Map.entry("acme", "MMS,SMS"), Map.entry("globex", "SMS"));
        assertThat(PROVIDERS.parse("acme:twilio; globex : notify"))
                .containsExactly(Map.entry("acme", "twilio"), Map.entry("globex", "notify"));
    }

    @Test
    void a_malformed_entry_is_refused_naming_the_setting_the_entry_and_the_shape() {
        assertThatThrownBy(() -> PROFILES.parse("acme=occ;globex")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MEDIA_TENANT_PROFILES: 'globex' is not <tenantId>=<profile>");
        assertThatThrownBy(() -> PROVIDERS.parse("acme:")).hasMessage("SMS_PROVIDER_TENANTS: 'acme:' is not <tenantId>:<provider>");
        assertThatThrownBy(() -> PROVIDERS.parse(":twilio")).hasMessageContaining("':twilio'");
        assertThatThrownBy(() -> PROVIDERS.parse("acme=twilio")).hasMessageContaining("SMS_PROVIDER_TENANTS");
    }
}
