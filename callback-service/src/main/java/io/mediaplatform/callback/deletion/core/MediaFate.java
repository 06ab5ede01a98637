package io.mediaplatform.callback.deletion.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which media dies with its messages (the Twilio Conversations rule: media cannot exist without an owning message).
 * A media is deleted when no live message of the tenant names it any more; a media that another live message still
 * names (one upload sent in several messages) is kept. Callback decides, because it alone holds which messages name
 * which media; ingest only carries out what the event says.
 */
public final class MediaFate {

    private MediaFate() {
    }

    /**
     * One deleted message and what becomes of its media.
     *
     * @param mediaStillReferenced true when another live message still names the media: it must be kept
     */
    public record Deletion(DeletedMessage message, boolean mediaStillReferenced) {

        /** Whether this deletion asks for the message's media to be deleted. */
        public boolean deletesMedia() {
            return message.mediaId() != null && !mediaStillReferenced;
        }
    }

    /** The distinct media the deleted messages named, in their order: those whose remaining references to look up. */
    public static Set<String> mediaOf(Collection<DeletedMessage> deleted) {
        Set<String> media = new LinkedHashSet<>();
        deleted.stream().map(DeletedMessage::mediaId).filter(id -> id != null && !id.isBlank()).forEach(media::add);
        return media;
    }

    /**
     * Decides the fate of each deleted message's media.
     *
     * @param deleted       the messages just deleted (all of them gone, so one that named the same media as another
     *                      deleted one does not keep it alive)
     * @param stillNamedBy  the media that live messages of the tenant still name, looked up after the deletion
     */
    public static List<Deletion> decide(List<DeletedMessage> deleted, Set<String> stillNamedBy) {
        List<Deletion> deletions = new ArrayList<>(deleted.size());
        for (DeletedMessage message : deleted) {
            boolean kept = message.mediaId() != null && stillNamedBy.contains(message.mediaId());
            deletions.add(new Deletion(message, kept));
        }
        return deletions;
    }

    /** How many distinct media the deletions delete. */
    public static int mediaDeleted(List<Deletion> deletions) {
        return (int) deletions.stream().filter(Deletion::deletesMedia).map(d -> d.message().mediaId()).distinct().count();
    }

    /** How many distinct media the deletions keep because another live message names them. */
    public static int mediaKept(List<Deletion> deletions) {
        return (int) deletions.stream().filter(Deletion::mediaStillReferenced).map(d -> d.message().mediaId()).distinct().count();
    }
}
