package io.mediaplatform.dispatch.inbound.provider;

import io.mediaplatform.common.core.DownloadFailure;
import io.mediaplatform.common.core.DownloadFailure.Cause;
import io.mediaplatform.dispatch.inbound.core.InboundProvider;
import io.mediaplatform.dispatch.inbound.core.MediaRequest;
import io.mediaplatform.dispatch.inbound.core.TrustedHosts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Twilio media: {@code GET MediaUrlN} with HTTP basic auth (account SID : auth token), on the REST API's own origin
 * or an {@code INBOUND_MEDIA_HOSTS_TWILIO} host only. Twilio answers a redirect to its CDN; it is followed only to a
 * trusted origin, and without the credentials once the origin changes.
 */
public final class TwilioMediaSource implements MediaSource {

    private static final String NAME = InboundProvider.TWILIO.displayName();

    private final InboundHttp http;
    private final String accountSid;
    private final String authToken;
    private final TrustedHosts trusted;

    /**
     * @param accountSid {@code TWILIO_ACCOUNT_SID}; blank: not configured
     * @param authToken  {@code TWILIO_AUTH_TOKEN}; blank: not configured
     */
    public TwilioMediaSource(InboundHttp http, String accountSid, String authToken, TrustedHosts trusted) {
        this.http = http;
        this.accountSid = accountSid;
        this.authToken = authToken;
        this.trusted = trusted;
    }

    @Override
    public InboundProvider provider() {
        return InboundProvider.TWILIO;
    }

    @Override
    public Opened open(MediaRequest request, long deadlineNanos) {
        if (blank(accountSid) || blank(authToken)) {
            return new Failed(new DownloadFailure(Cause.NOT_CONFIGURED,
                    "Twilio media cannot be fetched yet: the platform has no Twilio credentials configured"));
        }
        if (blank(request.ref())) {
            return new Failed(new DownloadFailure(Cause.BAD_ANSWER, "Twilio gave no media URL"));
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString((accountSid + ":" + authToken)
                .getBytes(StandardCharsets.UTF_8));
        InboundHttp.Response response;
        try {
            response = http.get(trusted, request.ref(), InboundHttp.Credentials.header("Authorization", basic), deadlineNanos);
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
