package io.mediaplatform.ingest.inbound.fetch;

import io.mediaplatform.common.http.OutboundTimeoutException;
import io.mediaplatform.common.storage.ObjectTooLargeException;
import io.mediaplatform.common.core.DownloadFailure;
import io.mediaplatform.common.core.DownloadFailure.Cause;
import io.mediaplatform.ingest.inbound.core.InboundContent;
import io.mediaplatform.ingest.inbound.core.InboundMedia;
import io.mediaplatform.ingest.inbound.core.Sha256Digests;
import io.mediaplatform.ingest.media.UploadMeters;
import io.mediaplatform.ingest.media.core.FileNames;
import io.mediaplatform.ingest.media.core.MediaDirection;
import io.mediaplatform.ingest.media.core.MediaInfo;
import io.mediaplatform.ingest.media.storage.MediaStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One download attempt of a customer's media into storage, under the attachment's deterministic media id.
 *
 * <ol>
 *   <li>Media already stored under that id (a redelivery after a crash, a webhook delivered twice) is not downloaded
 *   again: it is answered as it is, to be announced again.</li>
 *   <li>channel-dispatch-service opens the download ({@link DispatchMediaSource}): it fetches the media from the
 *   provider with its own credentials and streams it here; ingest holds none.</li>
 *   <li>The bytes stream into the staging key while they are hashed, stopped at {@code INBOUND_MAX_SIZE}
 *   (a {@code Content-Length} over it is refused before reading), then the SHA-256 is compared with what the provider
 *   announced (hex or base64); a mismatch discards the staged bytes.</li>
 *   <li>The staged bytes are committed to {@code tenants/<t>/media/<mediaId>} with their metadata (direction INBOUND),
 *   so a second download overwrites the same object and never makes a second media.</li>
 * </ol>
 * One deadline ({@code INGEST_FETCH_TOTAL_TIMEOUT}) bounds the whole attempt, lookups included.
 */
public final class InboundMediaFetcher {

    private static final Logger log = LoggerFactory.getLogger(InboundMediaFetcher.class);

    private final DispatchMediaSource source;
    private final MediaStore store;
    private final long maxBytes;
    private final Duration totalTimeout;
    private final Clock clock;
    private final MeterRegistry meters;

    public InboundMediaFetcher(DispatchMediaSource source, MediaStore store, long maxBytes, Duration totalTimeout,
                               Clock clock, MeterRegistry meters) {
        this.meters = meters;
        this.source = source;
        this.store = store;
        this.maxBytes = maxBytes;
        this.totalTimeout = totalTimeout;
        this.clock = clock;
    }

    /** The outcome of one attempt. */
    public sealed interface Outcome {
    }

    /** Stored (or found stored already: {@code existed}). */
    public record Stored(MediaInfo media, boolean existed) implements Outcome {
    }

    /** Nothing stored. */
    public record Failed(DownloadFailure failure) implements Outcome {
    }

    /** The media that is already stored under the attachment's id, if any. */
    public Optional<MediaInfo> existing(InboundMedia media) {
        return store.find(media.tenantId(), media.mediaId());
    }

    /** Tries once to download the media into storage. */
    public Outcome fetch(InboundMedia media) {
        Optional<MediaInfo> existing = existing(media);
        if (existing.isPresent()) {
            log.info("Inbound media already stored tenant={} mediaId={}: not downloaded again", media.tenantId(), media.mediaId());
            return new Stored(existing.get(), true);
        }
        long deadline = System.nanoTime() + totalTimeout.toNanos();
        switch (source.open(media, deadline)) {
            case DispatchMediaSource.Failed failed -> {
                Cause cause = failed.failure().cause();
                if (cause == Cause.CREDENTIALS_REFUSED || cause == Cause.NOT_CONFIGURED) {
                    log.warn("Inbound media of {} cannot be fetched: {} (check channel-dispatch-service's provider"
                            + " credentials and that both services share LINK_SIGNING_KEY); tenant={} mediaId={} will be"
                            + " retried", media.provider().wireName(), cause, media.tenantId(), media.mediaId());
                } else {
                    log.info("Inbound media download failed tenant={} mediaId={} provider={} cause={}", media.tenantId(),
                            media.mediaId(), media.provider().wireName(), cause);
                }
                return new Failed(failed.failure());
            }
            case DispatchMediaSource.Body body -> {
                try (DispatchMediaSource.Response response = body.response()) {
                    return store(media, response, body.announcedSha256());
                }
            }
        }
    }

    private Outcome store(InboundMedia media, DispatchMediaSource.Response response, List<String> moreSha256) {
        if (response.contentLength() > maxBytes) {
            return new Failed(tooLarge());
        }
        String contentType = InboundContent.contentType(media.contentType(), response.header("Content-Type").orElse(null));
        MediaStore.Staged staged;
        try {
            staged = store.stage(media.tenantId(), media.mediaId(), response.body(), contentType, maxBytes,
                    response.contentLength());
        } catch (ObjectTooLargeException e) {
            return new Failed(tooLarge());
        } catch (UncheckedIOException e) {
            return new Failed(e.getCause() instanceof OutboundTimeoutException
                    ? new DownloadFailure(Cause.TIMEOUT, "The provider did not send the media in time")
                    : new DownloadFailure(Cause.CONNECTION, "The download broke off before the media was complete"));
        }
        if (staged.size() == 0) {
            store.discard(staged);
            return new Failed(new DownloadFailure(Cause.BAD_ANSWER, "The provider answered no bytes"));
        }
        List<String> announced = new ArrayList<>();
        announced.add(media.sha256());
        announced.addAll(moreSha256);
        for (String sha : announced) {
            Optional<String> mismatch = Sha256Digests.mismatch(sha, staged.sha256());
            if (mismatch.isPresent()) {
                store.discard(staged);
                log.warn("Inbound media sha256 mismatch tenant={} mediaId={} provider={}", media.tenantId(),
                        media.mediaId(), media.provider().wireName());
                return new Failed(new DownloadFailure(Cause.SHA256_MISMATCH, mismatch.get()));
            }
        }
        String name = InboundContent.storedName(media.fileName(), media.kind(), media.voice(), contentType);
        MediaInfo draft = new MediaInfo(media.mediaId(), media.tenantId(), media.conversationId(), media.channel(),
                MediaDirection.INBOUND.name(), media.inboxId(), FileNames.sanitize(name), media.fileName(), contentType,
                0, null, null, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        MediaInfo stored = store.commit(staged, draft);
        log.info("Inbound media stored tenant={} mediaId={} provider={} size={}", media.tenantId(), media.mediaId(),
                media.provider().wireName(), stored.size());
        UploadMeters.record(meters, media.channel(), "inbound", "stored", stored.size());
        return new Stored(stored, false);
    }

    private DownloadFailure tooLarge() {
        return new DownloadFailure(Cause.TOO_LARGE, "The media is larger than the limit of " + maxBytes
                + " bytes for customer media");
    }
}
