package io.mediaplatform.dispatch.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * WhatsApp Cloud API connector and webhook settings.
 *
 * @param baseUrl        Graph base URL ({@code WHATSAPP_BASE_URL}); the local stack points it at its simulator
 * @param apiVersion     Graph API version ({@code WHATSAPP_API_VERSION})
 * @param phoneNumberId  business phone number id ({@code WHATSAPP_PHONE_NUMBER_ID}); blank: channel not configured
 * @param accessToken    system-user access token ({@code WHATSAPP_ACCESS_TOKEN}); blank: channel not configured
 * @param appSecret      app secret checking {@code X-Hub-Signature-256} of status webhooks ({@code WHATSAPP_APP_SECRET});
 *                       blank: every webhook is refused
 * @param verifyToken    token of the webhook subscription handshake ({@code WHATSAPP_VERIFY_TOKEN})
 * @param connectTimeout TCP connect timeout ({@code WHATSAPP_CONNECT_TIMEOUT})
 * @param requestTimeout time for a whole send answer ({@code WHATSAPP_REQUEST_TIMEOUT})
 * @param provider       who carries the WHATSAPP channel ({@code WHATSAPP_PROVIDER}): {@code cloud} (Meta's Cloud API,
 *                       default; {@code meta} is the same), {@code 360dialog} (the Cloud API through 360dialog) or
 *                       {@code twilio} (Twilio's WhatsApp sender, {@code whatsapp:} addresses)
 * @param rateLimit      messages per second per phone-number-id ({@code WHATSAPP_RATE_LIMIT}); 0: no limit
 * @param d360BaseUrl    360dialog's API base URL ({@code D360_BASE_URL})
 * @param d360ApiKey     360dialog API key of the number, sent as {@code D360-API-KEY} ({@code D360_API_KEY}); blank:
 *                       channel not configured when the provider is {@code 360dialog}
 * @param d360WebhookToken a secret the webhook URL registered at 360dialog carries ({@code ?token=}) or its
 *                       {@code X-Webhook-Token} header ({@code D360_WEBHOOK_TOKEN}): 360dialog does not sign its
 *                       webhooks with the app secret, so a notification with this token is taken without
 *                       {@code X-Hub-Signature-256}; blank: only signed webhooks are taken
 */
@ConfigurationProperties("dispatch.whatsapp")
public record WhatsAppProperties(
        @DefaultValue("https://graph.facebook.com") String baseUrl,
        @DefaultValue("v21.0") String apiVersion,
        String phoneNumberId,
        String accessToken,
        String appSecret,
        String verifyToken,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("15s") Duration requestTimeout,
        @DefaultValue("cloud") String provider,
        @DefaultValue("80") int rateLimit,
        @DefaultValue("https://waba-v2.360dialog.io") String d360BaseUrl,
        String d360ApiKey,
        String d360WebhookToken) {

    /** The providers {@code WHATSAPP_PROVIDER} may name. */
    public static final java.util.Set<String> PROVIDERS = java.util.Set.of("cloud", "meta", "360dialog", "twilio");

    public WhatsAppProperties {
        String name = provider == null || provider.isBlank() ? "cloud" : provider.trim().toLowerCase(java.util.Locale.ROOT);
        if (!PROVIDERS.contains(name)) {
            throw new IllegalArgumentException("WHATSAPP_PROVIDER must be cloud, 360dialog or twilio, not '" + provider + "'");
        }
        provider = "meta".equals(name) ? "cloud" : name;
    }

    /** Whether Twilio, not the Cloud API, carries WhatsApp messages. */
    public boolean viaTwilio() {
        return "twilio".equals(provider);
    }

    /** Whether 360dialog carries WhatsApp messages. */
    public boolean via360dialog() {
        return "360dialog".equals(provider);
    }

    /**
     * Whether sends can be made: a phone number id and an access token are set (Cloud API), or a 360dialog API key
     * (360dialog).
     */
    public boolean sendConfigured() {
        if (via360dialog()) {
            return d360ApiKey != null && !d360ApiKey.isBlank();
        }
        return phoneNumberId != null && !phoneNumberId.isBlank() && accessToken != null && !accessToken.isBlank();
    }

    /** Without the secrets, so that logging the settings never leaks them. */
    @Override
    public String toString() {
        return "WhatsAppProperties[baseUrl=" + baseUrl + ", apiVersion=" + apiVersion + ", phoneNumberId=" + phoneNumberId
                + ", accessToken=" + (accessToken == null || accessToken.isBlank() ? "<unset>" : "<set>")
                + ", appSecret=" + (appSecret == null || appSecret.isBlank() ? "<unset>" : "<set>")
                + ", d360WebhookToken=" + (d360WebhookToken == null || d360WebhookToken.isBlank() ? "<unset>" : "<set>")
                + ", verifyToken=" + (verifyToken == null || verifyToken.isBlank() ? "<unset>" : "<set>")
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", provider=" + provider
                + ", rateLimit=" + rateLimit + ", d360BaseUrl=" + d360BaseUrl
                + ", d360ApiKey=" + (d360ApiKey == null || d360ApiKey.isBlank() ? "<unset>" : "<set>") + "]";
    }
}
