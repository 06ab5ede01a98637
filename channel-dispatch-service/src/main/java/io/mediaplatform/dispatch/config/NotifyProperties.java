package io.mediaplatform.dispatch.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Generic HTTP notification API connector ({@code POST <base>/notification}), its status callbacks and inbound
 * messages.
 *
 * @param baseUrl        API base URL ({@code NOTIFY_BASE_URL}); blank: channels not configured
 * @param apiKey         sent as {@code Authorization: Bearer} ({@code NOTIFY_API_KEY})
 * @param webhookSecret  Standard Webhooks secret of the status callbacks ({@code NOTIFY_WEBHOOK_SECRET}); blank:
 *                       every callback refused
 * @param sender         the business's sender id on the notification API ({@code NOTIFY_SENDER}): the business
 *                       address ({@code to}) of an inbound message whose body names none; blank: none
 * @param channels       channels it carries ({@code NOTIFY_CHANNELS}, comma-separated)
 * @param rateLimit      messages per second per sender ({@code NOTIFY_RATE_LIMIT}); 0: no limit
 * @param connectTimeout TCP connect timeout ({@code NOTIFY_CONNECT_TIMEOUT})
 * @param requestTimeout time for a whole answer ({@code NOTIFY_REQUEST_TIMEOUT})
 */
@ConfigurationProperties("dispatch.notify")
public record NotifyProperties(
        String baseUrl,
        String apiKey,
        String webhookSecret,
        String sender,
        @DefaultValue({"RCS", "WEBCHAT"}) List<String> channels,
        @DefaultValue("50") int rateLimit,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("15s") Duration requestTimeout) {

    /** Whether sends can be made. */
    public boolean sendConfigured() {
        return baseUrl != null && !baseUrl.isBlank() && channels != null && !channels.isEmpty();
    }

    @Override
    public String toString() {
        return "NotifyProperties[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null || apiKey.isBlank() ? "<unset>" : "<set>")
                + ", webhookSecret=" + (webhookSecret == null || webhookSecret.isBlank() ? "<unset>" : "<set>")
                + ", sender=" + sender + ", channels=" + channels + ", rateLimit=" + rateLimit + "]";
    }
}
