package io.mediaplatform.ingest.media.core;

import java.time.Instant;
import java.util.List;

/**
 * The tenant's media by their {@code <conversationId>_<fileName>} name (ARCHITECTURE §4, download by name), shared by every
 * ingest instance. Several media may share a name; {@link MediaNames#resolve} decides which one a name means.
 */
public interface MediaNameIndex {

    /** Remembers that {@code mediaId} is called {@code name}, stored at {@code createdAt}. */
    void record(String tenantId, String name, String mediaId, Instant createdAt);

    /** The media called {@code name}, newest first, at most {@code limit}. */
    List<MediaNames.Candidate> candidates(String tenantId, String name, int limit);

    /** Forgets the media's name (the media is deleted or was never committed). */
    void forget(String tenantId, String mediaId);
}
