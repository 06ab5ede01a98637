package io.mediaplatform.dispatch.inbound.provider;

import io.mediaplatform.common.core.DownloadFailure;
import io.mediaplatform.dispatch.inbound.core.InboundProvider;
import io.mediaplatform.dispatch.inbound.core.MediaRequest;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The media sources by provider, and the one deadline ({@code INBOUND_MEDIA_TIMEOUT}) that bounds a whole download:
 * the lookups, the redirects and every byte of the body.
 */
public final class ProviderMedia {

    private final Map<InboundProvider, MediaSource> sources = new EnumMap<>(InboundProvider.class);
    private final Duration timeout;

    public ProviderMedia(List<MediaSource> sources, Duration timeout) {
        sources.forEach(s -> this.sources.put(s.provider(), s));
        this.timeout = timeout;
    }

    /** Opens the download; the caller closes the body's response. */
    public MediaSource.Opened open(MediaRequest request) {
        MediaSource source = sources.get(request.provider());
        if (source == null) {
            return new MediaSource.Failed(new DownloadFailure(DownloadFailure.Cause.NOT_CONFIGURED,
                    "No connector downloads media of " + request.provider().displayName()));
        }
        return source.open(request, System.nanoTime() + timeout.toNanos());
    }
}
