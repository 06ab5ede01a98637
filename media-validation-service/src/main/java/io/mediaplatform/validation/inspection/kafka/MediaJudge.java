package io.mediaplatform.validation.inspection.kafka;

import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.MediaRendition;
import io.mediaplatform.validation.antivirus.clamd.MalwareGate;
import io.mediaplatform.validation.conversion.core.FitPlan;
import io.mediaplatform.validation.conversion.core.FitPlanner;
import io.mediaplatform.validation.conversion.storage.AutoFitter;
import io.mediaplatform.validation.inbox.core.InboxSettingsBook;
import io.mediaplatform.validation.inspection.storage.RecentInspections;
import io.mediaplatform.validation.inspection.storage.StoredMediaInspector;
import io.mediaplatform.validation.inspection.storage.UpstreamMedia;
import io.mediaplatform.validation.policy.core.ContentProbe;
import io.mediaplatform.validation.policy.core.Decision;
import io.mediaplatform.validation.policy.core.Reason;
import io.mediaplatform.validation.policy.core.ValidationRequest;
import io.mediaplatform.validation.policy.core.Validator;

import java.util.Optional;

/**
 * The decision flow on one received media, in the order the listener has always taken it: what the event says (a
 * fetch failure), the upstream bucket it names, the stored bytes (or what was read of them lately), the policy of its
 * channel and inbox ({@link Validator}), the auto-fit plan ({@link FitPlanner}), the antivirus and the conversion. The
 * rules themselves are the cores'; this class only reads the event, calls them and the adapters in turn, and says
 * what it found.
 */
final class MediaJudge {

    private final StoredMediaInspector inspector;
    private final RecentInspections inspections;
    private final UpstreamMedia upstream;
    private final Validator validator;
    private final InboxSettingsBook inboxes;
    private final MalwareGate malware;
    private final ObjectStorage storage;
    private final FitPlanner fitPlanner;
    private final AutoFitter autoFitter;

    MediaJudge(StoredMediaInspector inspector, RecentInspections inspections, UpstreamMedia upstream,
               Validator validator, InboxSettingsBook inboxes, MalwareGate malware, ObjectStorage storage,
               FitPlanner fitPlanner, AutoFitter autoFitter) {
        this.inspector = inspector;
        this.inspections = inspections;
        this.upstream = upstream;
        this.validator = validator;
        this.inboxes = inboxes;
        this.malware = malware;
        this.storage = storage;
        this.fitPlanner = fitPlanner;
        this.autoFitter = autoFitter;
    }

    /**
     * A decision, the type detected on the way (null when the bytes were not read), the event it answers (naming
     * the copy of media an upstream system stored in a bucket of its own) and the converted copy to send instead of
     * the media (auto-fit), or null.
     */
    record Judged(Decision decision, String detected, MediaReceived received, MediaRendition rendition) {
        Judged(Decision decision, String detected, MediaReceived received) {
            this(decision, detected, received, null);
        }
    }

    /** The decision on one received media: what the event says, the stored bytes, the policy and the antivirus. */
    Judged decide(MediaReceived received) {
        if (received.getFetchFailure() != null) {
            return new Judged(new Decision.Rejected(Reason.FETCH_FAILED,
                    "The media could not be fetched: " + received.getFetchFailure()), null, received);
        }
        UpstreamMedia.Placed placed = upstream.place(received);
        if (placed.refused() != null) {
            return new Judged(placed.refused(), null, received);
        }
        return judgeStored(placed.received());
    }

    /** The decision on media whose bytes are in the platform's bucket. */
    private Judged judgeStored(MediaReceived received) {
        String detected = null;
        Decision decision;
        MediaRendition rendition = null;
        MediaRef media = received.getMedia();
        String key = media.getStorage().getKey();
        RecentInspections.Id object = new RecentInspections.Id(key, media.getSize(), media.getSha256(),
                media.getStorage().getEtag());
        try {
            Optional<RecentInspections.Known> known = inspections.stillStored(object);
            StoredMediaInspector.Inspection inspection = known.map(RecentInspections.Known::inspection)
                    .orElseGet(() -> inspector.inspect(key, media.getSize()));
            boolean scanned = known.map(RecentInspections.Known::scanned).orElse(false);
            detected = inspection.detectedType();
            ValidationRequest request = request(received, detected, inspection.probe());
            decision = validator.decide(request);
            FitPlan plan = fitPlanner.plan(request, decision);
            boolean fitting = !(plan instanceof FitPlan.Keep);
            if ((decision instanceof Decision.Accepted || fitting) && !scanned) {
                MalwareGate.Scan scan = malware.scan(key, inspection.whole());
                scanned = scan.scanned();
                if (scan.rejection().isPresent()) {
                    decision = scan.rejection().get();
                    fitting = false;
                }
            }
            if (fitting) {
                AutoFitter.Fitted fitted = autoFitter.fit(plan, received, request);
                decision = fitted.decision();
                rendition = fitted.rendition();
            }
            if (decision instanceof Decision.Rejected rejected && rejected.reason() == Reason.MALWARE) {
                inspections.forget(object);
            } else {
                inspections.remember(object, inspection, scanned);
            }
        } catch (StoredMediaInspector.MediaMissingException e) {
            decision = storage.head(MalwareGate.QUARANTINE_PREFIX + key).isPresent()
                    ? new Decision.Rejected(Reason.MALWARE, "Malware found; the media was quarantined")
                    : new Decision.Rejected(Reason.FETCH_FAILED, "The stored media is gone");
        }
        return new Judged(decision, detected, received, rendition);
    }

    private ValidationRequest request(MediaReceived received, String detected, ContentProbe probe) {
        MediaRef media = received.getMedia();
        return new ValidationRequest(
                received.getTenantId(),
                DecisionEvents.channel(media.getChannel()),
                DecisionEvents.direction(media.getDirection()),
                received.getMessage() == null ? null : DecisionEvents.kind(received.getMessage().getKind()),
                media.getDeclaredContentType(),
                media.getDeclaredFileName(),
                detected,
                media.getSize(),
                inboxes.rulesFor(received.getTenantId(), media.getInboxId()),
                probe);
    }
}
