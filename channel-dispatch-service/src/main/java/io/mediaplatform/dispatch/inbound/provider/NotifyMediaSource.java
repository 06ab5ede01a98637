package io.mediaplatform.dispatch.inbound.provider;

import io.mediaplatform.common.core.DownloadFailure;
import io.mediaplatform.common.core.DownloadFailure.Cause;
import io.mediaplatform.dispatch.inbound.core.InboundProvider;
import io.mediaplatform.dispatch.inbound.core.MediaRequest;
import io.mediaplatform.dispatch.inbound.core.TrustedHosts;

import java.io.IOException;

/**
 * Notification-API media: {@code GET url} with {@code Authorization: Bearer <NOTIFY_API_KEY>}, on the API's own
 * origin or an {@code INBOUND_MEDIA_HOSTS_NOTIFY} host only.
 */
public final class NotifyMediaSource implements MediaSource {

    private static final String NAME = InboundProvider.NOTIFY.displayName();

    private final InboundHttp http;
    private final String baseUrl;
    private final String apiKey;
    private final TrustedHosts trusted;

    /**
     * @param baseUrl {@code NOTIFY_BASE_URL}; blank: not configured
     * @param apiKey  {@code NOTIFY_API_KEY}; blank: not configured
     */
    public NotifyMediaSource(InboundHttp http, String baseUrl, String apiKey, TrustedHosts trusted) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.trusted = trusted;
    }

    @Override
    public InboundProvider provider() {
        return InboundProvider.NOTIFY;
    }

    @Override
    public Opened open(MediaRequest request, long deadlineNanos) {
        if (blank(apiKey) || blank(baseUrl)) {
            return new Failed(new DownloadFailure(Cause.NOT_CONFIGURED,
                    "Notification-API media cannot be fetched yet: the platform has no notification API configured"));
        }
        if (blank(request.ref())) {
            return new Failed(new DownloadFailure(Cause.BAD_ANSWER, "The notification API gave no media URL"));
        }
        InboundHttp.Response response;
        try {
            response = http.get(trusted, request.ref(), InboundHttp.Credentials.bearer(apiKey), deadlineNanos);
        } catch (IOException e) {
            return new Failed(ProviderAnswer.transport(NAME, e));
        }
        if (response.status() / 100 == 2) {
            return new Body(response, null);
        }
        DownloadFailure failure = ProviderAnswer.status(NAME, "the media download", response);
        response.close();
        return new Failed(failure);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
