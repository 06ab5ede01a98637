package io.mediaplatform.validation.inspection.storage;

import io.mediaplatform.common.cache.RecentValues;
import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.common.storage.StoredObject;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.time.Duration;
import java.util.Optional;

/**
 * What the inspections of stored objects found lately, and whether the antivirus passed them: a campaign names one
 * media in message after message, and each would otherwise read the object, detect its type and stream it through
 * clamd again. The bytes under a media key are immutable, so what they are does not change; whether they are still
 * there does, so a remembered inspection is used only after a HEAD finds the object still stored with the size (and
 * ETag, when the event gives one) the event names; anything else forgets it and the media is inspected as ever (a
 * deleted media is still FETCH_FAILED, a quarantined one MALWARE). Kept within {@code VALIDATION_INSPECTION_CACHE_SIZE}
 * (the bytes each inspection holds: the head read for detection, or the whole of a small media) and for
 * {@code VALIDATION_INSPECTION_CACHE_TTL}, after which a clean media is scanned again (with the signatures of then).
 */
public final class RecentInspections {

    /** The stored object an event names: its key, and the size, SHA-256 and ETag the event gives for it. */
    public record Id(String key, long size, String sha256, String etag) {
    }

    /**
     * A remembered inspection.
     *
     * @param inspection what the bytes are
     * @param scanned    whether the antivirus scanned them and found nothing (false when it is off, or accepted them
     *                   unscanned because it was down)
     */
    public record Known(StoredMediaInspector.Inspection inspection, boolean scanned) {
    }

    private static final int OVERHEAD_BYTES = 256;

    private final ObjectStorage storage;
    private final RecentValues<Id, Known> known;

    /**
     * @param headBytes how many bytes an inspection of a media larger than that holds (its head)
     */
    public RecentInspections(ObjectStorage storage, long capacityBytes, Duration ttl, int headBytes) {
        this.storage = storage;
        this.known = new RecentValues<>(capacityBytes, ttl, kept -> OVERHEAD_BYTES
                + (kept.inspection().whole() != null ? kept.inspection().whole().length : headBytes), System::nanoTime);
    }

    /** The remembered inspection of that object, if there is one and the object is still stored as the event says. */
    public Optional<Known> stillStored(Id id) {
        Optional<Known> remembered = known.get(id);
        if (remembered.isEmpty()) {
            return remembered;
        }
        Optional<HeadObjectResponse> head = storage.head(id.key());
        boolean same = head.filter(h -> h.contentLength() != null && h.contentLength() == id.size())
                .filter(h -> id.etag() == null || StoredObject.unquoteEtag(id.etag()).equals(StoredObject.unquoteEtag(h.eTag())))
                .isPresent();
        if (!same) {
            known.forget(id);
            return Optional.empty();
        }
        return remembered;
    }

    /** Remembers what the inspection of that object found. */
    public void remember(Id id, StoredMediaInspector.Inspection inspection, boolean scanned) {
        known.put(id, new Known(inspection, scanned));
    }

    /** Forgets that object (found infected: it is quarantined). */
    public void forget(Id id) {
        known.forget(id);
    }
}
