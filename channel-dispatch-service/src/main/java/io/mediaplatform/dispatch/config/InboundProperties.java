package io.mediaplatform.dispatch.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Customers' inbound media messages ({@code dispatch.inbound}).
 *
 * @param routes which tenant and inbox a provider's business address belongs to ({@code INBOUND_ROUTES}):
 *               {@code ;}-separated {@code <provider>:<address>=<tenantId>[/<inboxId>]}, provider {@code whatsapp}
 *               (address: {@code phone_number_id}), {@code twilio} (the number, without {@code whatsapp:}) or
 *               {@code notify} (the sender id); empty: no routes, every inbound message is dead-lettered
 *               ({@code message.inbound.v1.dlt}, reason NO_ROUTE). A malformed entry stops the start-up.
 * @param media  downloading customers' media from the providers for ingest
 *               ({@code GET /v1/providers/{provider}/inbound-media})
 */
@ConfigurationProperties("dispatch.inbound")
public record InboundProperties(String routes, @DefaultValue Media media) {

    /**
     * Where the provider credentials may go, and how long one download may take. Credentials are sent only to the
     * provider's base-URL origin ({@code WHATSAPP_BASE_URL}, {@code TWILIO_BASE_URL}, {@code NOTIFY_BASE_URL}) and
     * to these hosts; a media URL or redirect anywhere else is refused before anything is sent. An entry is
     * {@code host} (https on 443), {@code host:port} (https) or {@code http(s)://host[:port]}.
     *
     * @param whatsappHosts trusted download hosts besides the Graph API's ({@code INBOUND_MEDIA_HOSTS_WHATSAPP})
     * @param twilioHosts   trusted download hosts besides the REST API's ({@code INBOUND_MEDIA_HOSTS_TWILIO}); Twilio
     *                      redirects its media URLs to its CDN, which is reached without the credentials
     * @param notifyHosts   trusted download hosts besides the notification API's ({@code INBOUND_MEDIA_HOSTS_NOTIFY})
     * @param timeout       one deadline for a whole download, lookups and every byte included
     *                      ({@code INBOUND_MEDIA_TIMEOUT})
     */
    public record Media(@DefaultValue("lookaside.fbsbx.com") List<String> whatsappHosts,
                        @DefaultValue({"media.twiliocdn.com", "mms.twiliocdn.com"}) List<String> twilioHosts,
                        @DefaultValue List<String> notifyHosts,
                        @DefaultValue("120s") Duration timeout) {
    }
}
