package io.mediaplatform.dispatch.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Twilio Messages API connector (MMS; WhatsApp when {@code WHATSAPP_PROVIDER=twilio}) and its status callbacks.
 *
 * @param baseUrl        API base URL ({@code TWILIO_BASE_URL}); the local stack points it at its simulator
 * @param accountSid     account SID ({@code TWILIO_ACCOUNT_SID}); blank: channel not configured
 * @param authToken      auth token, for basic auth and {@code X-Twilio-Signature} ({@code TWILIO_AUTH_TOKEN});
 *                       blank: channel not configured and every callback refused
 * @param from           sender number (or messaging sender) when a message names none ({@code TWILIO_FROM})
 * @param rateLimit      messages per second per sender ({@code TWILIO_RATE_LIMIT}); 0: no limit
 * @param connectTimeout TCP connect timeout ({@code TWILIO_CONNECT_TIMEOUT})
 * @param requestTimeout time for a whole answer ({@code TWILIO_REQUEST_TIMEOUT})
 */
@ConfigurationProperties("dispatch.twilio")
public record TwilioProperties(
        @DefaultValue("https://api.twilio.com") String baseUrl,
        String accountSid,
        String authToken,
        String from,
        @DefaultValue("10") int rateLimit,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("15s") Duration requestTimeout) {

    /** Whether sends can be made. */
    public boolean sendConfigured() {
        return accountSid != null && !accountSid.isBlank() && authToken != null && !authToken.isBlank();
    }

    @Override
    public String toString() {
        return "TwilioProperties[baseUrl=" + baseUrl + ", accountSid=" + accountSid + ", authToken="
                + (authToken == null || authToken.isBlank() ? "<unset>" : "<set>") + ", from=" + from
                + ", rateLimit=" + rateLimit + ", connectTimeout=" + connectTimeout + ", requestTimeout="
                + requestTimeout + "]";
    }
}
