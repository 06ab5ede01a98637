package io.mediaplatform.ingest.media.core;

/**
 * What ingest does with a deleted message's media ({@code message.deleted.v1}, ARCHITECTURE §10). Callback, which knows
 * which messages name which media, decides whether another live message still names it; ingest deletes the media
 * unless so, and keeps whatever is not a media id it could have stored.
 */
public sealed interface MediaDisposal {

    /** Delete the media's bytes, outcome sidecar and name. */
    record Delete(String mediaId) implements MediaDisposal {
    }

    /** Keep it (or there is nothing to delete), for this reason. */
    record Keep(String reason) implements MediaDisposal {
    }

    /**
     * The disposal of a deleted message's media.
     *
     * @param mediaId              the message's media, or null
     * @param mediaStillReferenced whether another live message of the tenant still names it
     */
    static MediaDisposal of(String mediaId, boolean mediaStillReferenced) {
        return of(mediaId, mediaStillReferenced, false);
    }

    /**
     * The disposal of a deleted message's media that may be an asset of the library (ARCHITECTURE §14): an asset's media
     * outlives the messages that sent it; deleting the asset deletes it.
     */
    static MediaDisposal of(String mediaId, boolean mediaStillReferenced, boolean asset) {
        if (asset && mediaId != null && !mediaId.isBlank()) {
            return new Keep("it is an asset of the library");
        }
        if (mediaId == null || mediaId.isBlank()) {
            return new Keep("the message had no media");
        }
        if (mediaStillReferenced) {
            return new Keep("another live message names it");
        }
        if (!MediaKeys.isMediaId(mediaId)) {
            return new Keep("not a media id ingest stores");
        }
        return new Delete(mediaId);
    }
}
