package io.mediaplatform.ingest.inbound.provider;

import io.mediaplatform.ingest.config.InboundProperties;
import io.mediaplatform.ingest.inbound.core.DownloadFailure;
import io.mediaplatform.ingest.inbound.core.DownloadFailure.Cause;
import io.mediaplatform.ingest.inbound.core.InboundMedia;
import io.mediaplatform.ingest.inbound.core.Provider;
import io.mediaplatform.ingest.inbound.core.TrustedHosts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Twilio media: {@code GET MediaUrlN} with HTTP basic auth (account SID : auth token), on the REST API's own origin
 * or an {@code INBOUND_MEDIA_HOSTS_TWILIO} host only. Twilio answers a redirect to its CDN; it is followed only to a
 * trusted origin, and without the credentials once the origin changes.
 */
public final class TwilioMediaSource implements MediaSource {

    private static final String NAME = "Twilio";

    private final InboundHttp http;
    private final InboundProperties.Twilio settings;
    private final TrustedHosts trusted;

    public TwilioMediaSource(InboundHttp http, InboundProperties.Twilio settings, TrustedHosts trusted) {
        this.http = http;
        this.settings = settings;
        this.trusted = trusted;
    }

    @Override
    public Provider provider() {
        return Provider.TWILIO;
    }

    @Override
    public Opened open(InboundMedia media, long deadlineNanos) {
        if (blank(settings.accountSid()) || blank(settings.authToken())) {
            return new Failed(new DownloadFailure(Cause.NOT_CONFIGURED,
                    "Twilio media cannot be fetched yet: the platform has no Twilio credentials configured"));
        }
        if (blank(media.url())) {
            return new Failed(new DownloadFailure(Cause.BAD_ANSWER, "Twilio gave no media URL"));
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString((settings.accountSid() + ":" + settings.authToken())
                .getBytes(StandardCharsets.UTF_8));
        InboundHttp.Response response;
        try {
            response = http.get(trusted, media.url(), InboundHttp.Credentials.header("Authorization", basic), deadlineNanos);
        } catch (IOException e) {
            return new Failed(ProviderAnswer.transport(NAME, e));
        }
        if (response.status() / 100 == 2) {
            return new Body(response, List.of());
        }
        DownloadFailure failure = ProviderAnswer.status(NAME, "the media download", response);
        response.close();
        return new Failed(failure);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
