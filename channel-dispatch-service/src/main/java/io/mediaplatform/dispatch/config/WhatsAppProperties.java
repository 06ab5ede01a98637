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
 * @param provider       who carries the WHATSAPP channel: {@code meta} (the Cloud API, default) or {@code twilio}
 *                       (Twilio's WhatsApp sender, {@code whatsapp:} addresses) ({@code WHATSAPP_PROVIDER})
 * @param rateLimit      messages per second per phone-number-id ({@code WHATSAPP_RATE_LIMIT}); 0: no limit
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
        @DefaultValue("meta") String provider,
        @DefaultValue("80") int rateLimit) {

    /** Whether Twilio, not the Cloud API, carries WhatsApp messages. */
    public boolean viaTwilio() {
        return "twilio".equalsIgnoreCase(provider == null ? "" : provider.trim());
    }

    /** Whether sends can be made: a phone number id and an access token are set. */
    public boolean sendConfigured() {
        return phoneNumberId != null && !phoneNumberId.isBlank() && accessToken != null && !accessToken.isBlank();
    }

    /** Without the secrets, so that logging the settings never leaks them. */
    @Override
    public String toString() {
        return "WhatsAppProperties[baseUrl=" + baseUrl + ", apiVersion=" + apiVersion + ", phoneNumberId=" + phoneNumberId
                + ", accessToken=" + (accessToken == null || accessToken.isBlank() ? "<unset>" : "<set>")
                + ", appSecret=" + (appSecret == null || appSecret.isBlank() ? "<unset>" : "<set>")
                + ", verifyToken=" + (verifyToken == null || verifyToken.isBlank() ? "<unset>" : "<set>")
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", provider=" + provider
                + ", rateLimit=" + rateLimit + "]";
    }
}
