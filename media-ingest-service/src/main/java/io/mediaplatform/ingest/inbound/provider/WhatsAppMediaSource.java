package io.mediaplatform.ingest.inbound.provider;

import io.mediaplatform.ingest.config.InboundProperties;
import io.mediaplatform.ingest.inbound.core.DownloadFailure;
import io.mediaplatform.ingest.inbound.core.DownloadFailure.Cause;
import io.mediaplatform.ingest.inbound.core.InboundMedia;
import io.mediaplatform.ingest.inbound.core.Provider;
import io.mediaplatform.ingest.inbound.core.TrustedHosts;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * WhatsApp Cloud API media: {@code GET {base}/{version}/{media-id}} with the bearer token resolves the media id to a
 * short-lived download URL, which is then fetched with the same bearer (on a trusted host only: the Graph API's own
 * or {@code INBOUND_MEDIA_HOSTS_WHATSAPP}). A download answered 404, 401 or 403 means the URL expired: the media id is
 * resolved once more in the same attempt and the fresh URL fetched; if that fails too, the status stands (404: gone;
 * 401/403: the token is refused).
 */
public final class WhatsAppMediaSource implements MediaSource {

    private static final int MAX_LOOKUP_BYTES = 64 * 1024;
    private static final String NAME = "WhatsApp";

    private final InboundHttp http;
    private final JsonMapper json;
    private final InboundProperties.WhatsApp settings;
    private final TrustedHosts trusted;

    public WhatsAppMediaSource(InboundHttp http, JsonMapper json, InboundProperties.WhatsApp settings, TrustedHosts trusted) {
        this.http = http;
        this.json = json;
        this.settings = settings;
        this.trusted = trusted;
    }

    @Override
    public Provider provider() {
        return Provider.WHATSAPP;
    }

    private record Lookup(String url, String sha256) {
    }

    @Override
    public Opened open(InboundMedia media, long deadlineNanos) {
        if (blank(settings.accessToken()) || blank(settings.baseUrl())) {
            return new Failed(new DownloadFailure(Cause.NOT_CONFIGURED,
                    "WhatsApp media cannot be fetched yet: the platform has no WhatsApp access token configured"));
        }
        if (blank(media.providerMediaId())) {
            return new Failed(new DownloadFailure(Cause.BAD_ANSWER, "WhatsApp gave no media id for the media"));
        }
        InboundHttp.Credentials bearer = InboundHttp.Credentials.bearer(settings.accessToken());
        for (int round = 0; ; round++) {
            Lookup lookup;
            try (InboundHttp.Response response = http.get(trusted, lookupUrl(media.providerMediaId()), bearer, deadlineNanos)) {
                if (response.status() / 100 != 2) {
                    return new Failed(ProviderAnswer.status(NAME, "the media lookup", response));
                }
                JsonNode answer = json.readTree(response.readAll(MAX_LOOKUP_BYTES));
                JsonNode url = answer.get("url");
                if (url == null || !url.isString() || url.asString().isBlank()) {
                    return new Failed(new DownloadFailure(Cause.BAD_ANSWER, "WhatsApp's media lookup answered no download URL"));
                }
                JsonNode sha = answer.get("sha256");
                lookup = new Lookup(url.asString(), sha != null && sha.isString() ? sha.asString() : null);
            } catch (IOException e) {
                return new Failed(ProviderAnswer.transport(NAME, e));
            } catch (JacksonException e) {
                return new Failed(new DownloadFailure(Cause.BAD_ANSWER, "WhatsApp's media lookup answered something that is not JSON"));
            }
            InboundHttp.Response download;
            try {
                download = http.get(trusted, lookup.url(), bearer, deadlineNanos);
            } catch (IOException e) {
                return new Failed(ProviderAnswer.transport(NAME, e));
            }
            int status = download.status();
            if (status / 100 == 2) {
                List<String> announced = new ArrayList<>();
                if (lookup.sha256() != null) {
                    announced.add(lookup.sha256());
                }
                return new Body(download, announced);
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
        String base = settings.baseUrl().trim();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + "/" + settings.apiVersion().trim() + "/" + URLEncoder.encode(mediaId, StandardCharsets.UTF_8);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
