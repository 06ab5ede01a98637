package io.mediaplatform.dispatch.inbound.provider;

import io.mediaplatform.common.core.DownloadFailure;
import io.mediaplatform.dispatch.inbound.core.InboundProvider;
import io.mediaplatform.dispatch.inbound.core.MediaRequest;

/** Where one provider's customer media is downloaded, with which credentials (dispatch's own). */
public interface MediaSource {

    /** The provider served. */
    InboundProvider provider();

    /**
     * Opens the download of the media: answers the 2xx response whose body are the bytes, or why not.
     *
     * @param deadlineNanos {@link System#nanoTime()} by which the whole download must be done
     */
    Opened open(MediaRequest request, long deadlineNanos);

    /** The outcome of {@link #open}. */
    sealed interface Opened {
    }

    /**
     * The bytes are on their way.
     *
     * @param response       the open 2xx response (the caller closes it)
     * @param providerSha256 the SHA-256 the provider announced besides the webhook's (WhatsApp's media lookup), or null
     */
    record Body(InboundHttp.Response response, String providerSha256) implements Opened {
    }

    /** Nothing to download. */
    record Failed(DownloadFailure failure) implements Opened {
    }
}
