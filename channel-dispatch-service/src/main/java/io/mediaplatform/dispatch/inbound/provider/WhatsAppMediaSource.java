package io.mediaplatform.dispatch.inbound.provider;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediaplatform.common.core.DownloadFailure;
import io.mediaplatform.common.core.DownloadFailure.Cause;
import io.mediaplatform.dispatch.inbound.core.InboundProvider;
import io.mediaplatform.dispatch.inbound.core.MediaRequest;
import io.mediaplatform.dispatch.inbound.core.TrustedHosts;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * WhatsApp Cloud API media: {@code GET {base}/{version}/{media-id}} with the bearer token resolves the media id to a
 * short-lived download URL, which is then fetched with the same bearer (on a trusted host only: the Graph API's own
 * or {@code INBOUND_MEDIA_HOSTS_WHATSAPP}). A download answered 404, 401 or 403 means the URL expired: the media id is
 * resolved once more in the same request and the fresh URL fetched; if that fails too, the status stands (404: gone;
 * 401/403: the token is refused).
 */
public final class WhatsAppMediaSource implements MediaSource {

    private static final int MAX_LOOKUP_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = InboundProvider.WHATSAPP.displayName();

    private final InboundHttp http;
    private final String baseUrl;
    private final String apiVersion;
    private final String accessToken;
    private final TrustedHosts trusted;

    /**
     * @param baseUrl     {@code WHATSAPP_BASE_URL}
     * @param apiVersion  {@code WHATSAPP_API_VERSION}
     * @param accessToken {@code WHATSAPP_ACCESS_TOKEN}; blank: not configured
     */
    public WhatsAppMediaSource(InboundHttp http, String baseUrl, String apiVersion, String accessToken,
                               TrustedHosts trusted) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.apiVersion = apiVersion;
        this.accessToken = accessToken;
        this.trusted = trusted;
    }

    @Override
    public InboundProvider provider() {
        return InboundProvider.WHATSAPP;
    }

    private record Lookup(String url, String sha256) {
    }

    @Override
    public Opened open(MediaRequest request, long deadlineNanos) {
        if (blank(accessToken) || blank(baseUrl)) {
            return new Failed(new DownloadFailure(Cause.NOT_CONFIGURED,
                    "WhatsApp media cannot be fetched yet: the platform has no WhatsApp access token configured"));
        }
        if (blank(request.ref())) {
            return new Failed(new DownloadFailure(Cause.BAD_ANSWER, "WhatsApp gave no media id for the media"));
        }
        InboundHttp.Credentials bearer = InboundHttp.Credentials.bearer(accessToken);
        for (int round = 0; ; round++) {
            Lookup lookup;
            try (InboundHttp.Response response = http.get(trusted, lookupUrl(request.ref()), bearer, deadlineNanos)) {
                if (response.status() / 100 != 2) {
                    return new Failed(ProviderAnswer.status(NAME, "the media lookup", response));
                }
                JsonNode answer = JSON.readTree(response.readAll(MAX_LOOKUP_BYTES));
                JsonNode url = answer == null ? null : answer.get("url");
                if (url == null || !url.isTextual() || url.asText().isBlank()) {
                    return new Failed(new DownloadFailure(Cause.BAD_ANSWER, "WhatsApp's media lookup answered no download URL"));
                }
                JsonNode sha = answer.get("sha256");
                lookup = new Lookup(url.asText(), sha != null && sha.isTextual() ? sha.asText() : null);
            } catch (JacksonException e) {
                return new Failed(new DownloadFailure(Cause.BAD_ANSWER, "WhatsApp's media lookup answered something that is not JSON"));
            } catch (IOException e) {
                return new Failed(ProviderAnswer.transport(NAME, e));
            }
            InboundHttp.Response download;
            try {
                download = http.get(trusted, lookup.url(), bearer, deadlineNanos);
            } catch (IOException e) {
                return new Failed(ProviderAnswer.transport(NAME, e));
            }
            int status = download.status();
            if (status / 100 == 2) {
                return new Body(download, lookup.sha256());
            }
            DownloadFailure failure = ProviderAnswer.status(NAME, "the media download", download);
            download.close();
            boolean expired = status == 404 || status == 401 || status == 403;
            if (!expired || round > 0) {
                return new Failed(failure);
            }
            // the short-lived URL expired (or was handed out stale): resolve the media id again for a fresh one
        }
    }

    private String lookupUrl(String mediaId) {
        String base = baseUrl.trim();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + "/" + apiVersion.trim() + "/" + URLEncoder.encode(mediaId, StandardCharsets.UTF_8);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
