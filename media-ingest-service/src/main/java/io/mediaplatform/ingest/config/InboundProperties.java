package io.mediaplatform.ingest.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;

/**
 * Fetching customers' media from the providers ({@code ingest.inbound.*} in {@code ingest.yml}). The provider
 * credentials have the same environment names as channel-dispatch-service's, so one secret serves both.
 *
 * @param whatsapp         WhatsApp Cloud API
 * @param twilio           Twilio
 * @param notificationApi  the notification API ({@code ingest.inbound.notify.*})
 * @param fetchBackoff     waits after attempt 1, 2, ... of a download that failed for a reason that may pass; the
 *                         last repeats ({@code INBOUND_FETCH_BACKOFF})
 * @param fetchGiveUpAfter age, from the first attempt, after which a failing download is given up and announced with
 *                         a fetch failure ({@code INBOUND_FETCH_GIVE_UP_AFTER})
 * @param retryHop         every record on {@code ingest.inbound-retry.v1} is read this long after it was written; a
 *                         record whose next attempt is later is written again ({@code INBOUND_RETRY_HOP})
 * @param maxSize          largest customer media fetched; a larger one is announced with a fetch failure
 *                         ({@code INBOUND_MAX_SIZE})
 */
@ConfigurationProperties("ingest.inbound")
public record InboundProperties(
        @DefaultValue WhatsApp whatsapp,
        @DefaultValue Twilio twilio,
        @Name("notify") @DefaultValue Notify notificationApi,
        @DefaultValue("10s,1m,5m,30m,1h") List<Duration> fetchBackoff,
        @DefaultValue("7d") Duration fetchGiveUpAfter,
        @DefaultValue("10s") Duration retryHop,
        @DefaultValue("100MB") DataSize maxSize) {

    /**
     * @param baseUrl     Graph API base URL ({@code WHATSAPP_BASE_URL})
     * @param apiVersion  Graph API version ({@code WHATSAPP_API_VERSION})
     * @param accessToken bearer token ({@code WHATSAPP_ACCESS_TOKEN})
     * @param mediaHosts  trusted download hosts besides the base URL's ({@code INBOUND_MEDIA_HOSTS_WHATSAPP})
     */
    public record WhatsApp(@DefaultValue("https://graph.facebook.com") String baseUrl,
                           @DefaultValue("v21.0") String apiVersion,
                           String accessToken,
                           @DefaultValue("lookaside.fbsbx.com") List<String> mediaHosts) {
        @Override
        public String toString() {
            return "WhatsApp[baseUrl=" + baseUrl + ", apiVersion=" + apiVersion + ", accessToken=***, mediaHosts=" + mediaHosts + "]";
        }
    }

    /**
     * @param baseUrl    REST API base URL ({@code TWILIO_BASE_URL})
     * @param accountSid account SID, the basic-auth user ({@code TWILIO_ACCOUNT_SID})
     * @param authToken  auth token, the basic-auth password ({@code TWILIO_AUTH_TOKEN})
     * @param mediaHosts trusted download hosts besides the base URL's ({@code INBOUND_MEDIA_HOSTS_TWILIO}); a redirect
     *                   to one of them is followed without the credentials
     */
    public record Twilio(@DefaultValue("https://api.twilio.com") String baseUrl,
                         String accountSid,
                         String authToken,
                         @DefaultValue("media.twiliocdn.com,mms.twiliocdn.com") List<String> mediaHosts) {
        @Override
        public String toString() {
            return "Twilio[baseUrl=" + baseUrl + ", accountSid=" + accountSid + ", authToken=***, mediaHosts=" + mediaHosts + "]";
        }
    }

    /**
     * @param baseUrl    notification API base URL ({@code NOTIFY_BASE_URL})
     * @param apiKey     bearer API key ({@code NOTIFY_API_KEY})
     * @param mediaHosts trusted download hosts besides the base URL's ({@code INBOUND_MEDIA_HOSTS_NOTIFY})
     */
    public record Notify(String baseUrl, String apiKey, @DefaultValue List<String> mediaHosts) {
        @Override
        public String toString() {
            return "Notify[baseUrl=" + baseUrl + ", apiKey=***, mediaHosts=" + mediaHosts + "]";
        }
    }
}
