package io.mediaplatform.dispatch.config;

import io.mediaplatform.common.core.TenantSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The SMS channel: the media goes as a signed link in the text (caption, newline, link), through Twilio's SMS or the
 * notification API's SMS channel.
 *
 * @param provider        who carries SMS for every tenant not named in {@code providerTenants}: {@code twilio}
 *                        (default) or {@code notify} ({@code SMS_PROVIDER})
 * @param providerTenants tenants whose SMS go through another provider, {@code tenant:provider} separated by
 *                        {@code ;}, e.g. {@code acme:notify;globex:twilio} ({@code SMS_PROVIDER_TENANTS})
 * @param linkTtl         validity of the link in the text, which the recipient opens when they read it
 *                        ({@code SMS_MEDIA_LINK_TTL})
 */
@ConfigurationProperties("dispatch.sms")
public record SmsProperties(
        @DefaultValue("twilio") String provider,
        String providerTenants,
        @DefaultValue("7d") Duration linkTtl) {

    /** The providers an SMS may go through. */
    public static final Set<String> PROVIDERS = Set.of("twilio", "notify");

    private static final TenantSettings TENANTS = new TenantSettings("SMS_PROVIDER_TENANTS", ':', "<provider>", false);

    public SmsProperties {
        provider = checked(provider == null || provider.isBlank() ? "twilio" : provider, "SMS_PROVIDER");
        tenants(providerTenants);
    }

    /** The per-tenant providers, checked; a malformed entry stops the start-up. */
    public Map<String, String> tenants() {
        return tenants(providerTenants);
    }

    private static Map<String, String> tenants(String spec) {
        Map<String, String> tenants = new LinkedHashMap<>();
        TENANTS.parse(spec).forEach((tenant, provider) -> tenants.put(tenant, checked(provider, TENANTS.setting())));
        return tenants;
    }

    private static String checked(String provider, String setting) {
        String name = provider.strip().toLowerCase(Locale.ROOT);
        if (!PROVIDERS.contains(name)) {
            throw new IllegalArgumentException(setting + " names twilio or notify, not '" + provider.strip() + "'");
        }
        return name;
    }
}
