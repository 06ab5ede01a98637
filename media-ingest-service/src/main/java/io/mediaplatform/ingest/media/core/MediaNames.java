package io.mediaplatform.ingest.media.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which media a name means (the Hybrid Chat way: a download names only {@code <conversationId>_<fileName>}). Uploads
 * of the same file name in the same conversation share a name; the newest one still stored wins, and the answer tells
 * how many stored media have that name, so a client can see it was not the only one.
 */
public final class MediaNames {

    /** Most media of one name a lookup looks at. */
    public static final int LOOKUP_LIMIT = 100;

    private MediaNames() {
    }

    /** One media of a name, as the index holds it. */
    public record Candidate(String mediaId, Instant createdAt) {
    }

    /**
     * What a name resolved to.
     *
     * @param mediaId the chosen media: the newest still stored
     * @param matches how many stored media have that name (at least 1)
     */
    public record Resolved(String mediaId, int matches) {
    }

    /**
     * Picks the newest candidate that is still stored (ties: the greater media id, so every instance picks the same).
     *
     * @param candidates the index's candidates, in any order
     * @param stored     whether a media id is still stored; candidates that are not are left out (and counted in
     *                   {@code gone}), so they neither win nor count
     * @param gone       receives the ids found not stored, for the caller to drop from the index
     * @return the chosen media and the match count, or empty when none of them is stored
     */
    public static Optional<Resolved> resolve(List<Candidate> candidates, Predicate<String> stored, List<String> gone) {
        List<Candidate> newestFirst = new ArrayList<>(candidates);
        newestFirst.sort(Comparator.comparing(Candidate::createdAt).thenComparing(Candidate::mediaId).reversed());
        String chosen = null;
        int matches = 0;
        for (Candidate candidate : newestFirst) {
            if (!stored.test(candidate.mediaId())) {
                gone.add(candidate.mediaId());
                continue;
            }
            matches++;
            if (chosen == null) {
                chosen = candidate.mediaId();
            }
        }
        return chosen == null ? Optional.empty() : Optional.of(new Resolved(chosen, matches));
    }
}
