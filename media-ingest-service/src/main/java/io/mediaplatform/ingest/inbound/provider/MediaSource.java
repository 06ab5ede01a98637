package io.mediaplatform.ingest.inbound.provider;

import io.mediaplatform.ingest.inbound.core.DownloadFailure;
import io.mediaplatform.ingest.inbound.core.InboundMedia;
import io.mediaplatform.ingest.inbound.core.Provider;

import java.util.List;

/** One provider's way of handing out a customer's media: which request gives the bytes, with which credentials. */
public interface MediaSource {

    /** The provider served. */
    Provider provider();

    /**
     * Opens the download of the media: answers the 2xx response whose body are the bytes, or why not.
     *
     * @param deadlineNanos {@link System#nanoTime()} by which the whole attempt must be done
     */
    Opened open(InboundMedia media, long deadlineNanos);

    /** The outcome of {@link #open}. */
    sealed interface Opened {
    }

    /**
     * The bytes are on their way.
     *
     * @param response        the open 2xx response (the caller closes it)
     * @param announcedSha256 SHA-256 values the provider announced besides the webhook's (e.g. WhatsApp's media
     *                        lookup), to check too
     */
    record Body(InboundHttp.Response response, List<String> announcedSha256) implements Opened {
    }

    /** Nothing to download. */
    record Failed(DownloadFailure failure) implements Opened {
    }
}
