package io.mediaplatform.ingest.inbound.provider;

import io.mediaplatform.ingest.config.InboundProperties;
import io.mediaplatform.ingest.inbound.core.DownloadFailure;
import io.mediaplatform.ingest.inbound.core.DownloadFailure.Cause;
import io.mediaplatform.ingest.inbound.core.InboundMedia;
import io.mediaplatform.ingest.inbound.core.Provider;
import io.mediaplatform.ingest.inbound.core.TrustedHosts;

import java.io.IOException;
import java.util.List;

/**
 * Notification-API media: {@code GET url} with {@code Authorization: Bearer <NOTIFY_API_KEY>}, on the API's own
 * origin or an {@code INBOUND_MEDIA_HOSTS_NOTIFY} host only.
 */
public final class NotifyMediaSource implements MediaSource {

    private static final String NAME = "The notification API";

    private final InboundHttp http;
    private final InboundProperties.Notify settings;
    private final TrustedHosts trusted;

    public NotifyMediaSource(InboundHttp http, InboundProperties.Notify settings, TrustedHosts trusted) {
        this.http = http;
        this.settings = settings;
        this.trusted = trusted;
    }

    @Override
    public Provider provider() {
        return Provider.NOTIFY;
    }

    @Override
    public Opened open(InboundMedia media, long deadlineNanos) {
        if (blank(settings.apiKey()) || blank(settings.baseUrl())) {
            return new Failed(new DownloadFailure(Cause.NOT_CONFIGURED,
                    "Notification-API media cannot be fetched yet: the platform has no notification API configured"));
        }
        if (blank(media.url())) {
            return new Failed(new DownloadFailure(Cause.BAD_ANSWER, "The notification API gave no media URL"));
        }
        InboundHttp.Response response;
        try {
            response = http.get(trusted, media.url(), InboundHttp.Credentials.bearer(settings.apiKey()), deadlineNanos);
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
