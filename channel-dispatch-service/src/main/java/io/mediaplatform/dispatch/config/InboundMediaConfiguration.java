package io.mediaplatform.dispatch.config;

import io.mediaplatform.common.http.OutboundProperties;
import io.mediaplatform.common.signing.InboundMediaSigner;
import io.mediaplatform.dispatch.inbound.core.TrustedHosts;
import io.mediaplatform.dispatch.inbound.provider.InboundHttp;
import io.mediaplatform.dispatch.inbound.provider.MediaSource;
import io.mediaplatform.dispatch.inbound.provider.NotifyMediaSource;
import io.mediaplatform.dispatch.inbound.provider.ProviderMedia;
import io.mediaplatform.dispatch.inbound.provider.TwilioMediaSource;
import io.mediaplatform.dispatch.inbound.provider.WhatsAppMediaSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Wires the download of customers' media for ingest ({@code GET /v1/providers/{provider}/inbound-media}, ARCHITECTURE
 * §9): the providers' trusted hosts, the pinned provider client, one media source per provider with dispatch's own
 * credentials, and the verifier of ingest's signed requests ({@code LINK_SIGNING_KEY}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutboundProperties.class)
public class InboundMediaConfiguration {

    /** Trusted hosts per provider (base URL's origin and its {@code INBOUND_MEDIA_HOSTS_*}). */
    public record ProviderHosts(TrustedHosts whatsapp, TrustedHosts twilio, TrustedHosts notificationApi) {
        public Set<String> hostNames() {
            Set<String> all = new LinkedHashSet<>(whatsapp.hostNames());
            all.addAll(twilio.hostNames());
            all.addAll(notificationApi.hostNames());
            return all;
        }
    }

    @Bean
    ProviderHosts inboundMediaHosts(InboundProperties inbound, WhatsAppProperties whatsApp, TwilioProperties twilio,
                                    NotifyProperties notify) {
        InboundProperties.Media media = inbound.media();
        return new ProviderHosts(
                TrustedHosts.of(whatsApp.baseUrl(), media.whatsappHosts()),
                TrustedHosts.of(twilio.baseUrl(), media.twilioHosts()),
                TrustedHosts.of(notify.baseUrl(), media.notifyHosts()));
    }

    /** The provider client: resolves only the trusted hosts, connect/read timeouts from {@code platform.outbound}. */
    @Bean(destroyMethod = "close")
    InboundHttp inboundHttp(ProviderHosts hosts, OutboundProperties outbound) {
        return new InboundHttp(hosts.hostNames(), outbound.connectTimeout(), outbound.readTimeout());
    }

    @Bean
    ProviderMedia providerMedia(InboundHttp http, ProviderHosts hosts, InboundProperties inbound,
                                WhatsAppProperties whatsApp, TwilioProperties twilio, NotifyProperties notify) {
        List<MediaSource> sources = List.of(
                new WhatsAppMediaSource(http, whatsApp.baseUrl(), whatsApp.apiVersion(), whatsApp.accessToken(),
                        hosts.whatsapp()),
                new TwilioMediaSource(http, twilio.accountSid(), twilio.authToken(), hosts.twilio()),
                new NotifyMediaSource(http, notify.baseUrl(), notify.apiKey(), hosts.notificationApi()));
        return new ProviderMedia(sources, inbound.media().timeout());
    }

    /** Verifies ingest's signed requests; the key is the one shared with ingest ({@code LINK_SIGNING_KEY}). */
    @Bean
    InboundMediaSigner inboundMediaSigner(LinkProperties links) {
        return new InboundMediaSigner(links.signingKey());
    }
}
