package io.mediaplatform.ingest.retention.storage;

import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.ingest.media.core.MediaKeys;
import io.mediaplatform.ingest.retention.core.RetentionExemptions;
import io.mediaplatform.ingest.retention.core.RetentionPolicy;
import io.mediaplatform.ingest.retention.core.SweptMedia;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Deletes what outlived its time: under every {@code tenants/<t>/media/} the objects (media and their
 * {@code .outcome.json} sidecars) older than the tenant's retention, under every {@code tenants/<t>/staging/}
 * the objects older than the staging age (uploads that crashed between staging and commit), and multipart
 * uploads under a staging prefix that were started longer ago than that and never completed. Media of the
 * {@link RetentionExemptions} (the asset library) and its sidecars are kept whatever their age. Runs every
 * {@code sweepInterval} once started; {@link #sweep(Instant)} runs it once.
 */
public class RetentionSweeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);
    private static final String ROOT = "tenants/";

    private final S3AsyncClient s3;
    private final ObjectStorage storage;
    private final RetentionPolicy policy;
    private final Clock clock;
    private final SweptMedia sweptMedia;
    private final RetentionExemptions exemptions;
    private ScheduledExecutorService scheduler;

    public RetentionSweeper(S3AsyncClient s3, ObjectStorage storage, RetentionPolicy policy, Clock clock,
                            SweptMedia swept) {
        this(s3, storage, policy, clock, swept, RetentionExemptions.NONE);
    }

    public RetentionSweeper(S3AsyncClient s3, ObjectStorage storage, RetentionPolicy policy, Clock clock,
                            SweptMedia swept, RetentionExemptions exemptions) {
        this.exemptions = exemptions;
        this.s3 = s3;
        this.storage = storage;
        this.policy = policy;
        this.clock = clock;
        this.sweptMedia = swept;
    }

    /**
     * What one sweep deleted.
     *
     * @param media          objects deleted under {@code media/} (media and sidecars)
     * @param staging        staging objects deleted
     * @param abortedUploads stale multipart uploads aborted
     */
    public record Swept(int media, int staging, int abortedUploads) {
    }

    /** Starts sweeping every {@code interval} (first run after one interval); zero or negative: never. */
    public synchronized void start(java.time.Duration interval) {
        if (interval.isZero() || interval.isNegative() || scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("retention-sweeper").factory());
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                sweep(clock.instant());
            } catch (RuntimeException e) {
                log.warn("Retention sweep failed: {}", e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    /** One sweep as if the time were {@code now}. */
    public Swept sweep(Instant now) {
        int media = 0;
        int staging = 0;
        for (String tenant : tenants()) {
            String prefix = ROOT + tenant + "/media/";
            java.util.Set<String> kept = null;
            for (S3Object object : list(prefix)) {
                if (policy.expired(tenant, object.lastModified(), now)) {
                    if (kept == null) {
                        kept = exemptions.mediaIdsOf(tenant);
                    }
                    String name = object.key().substring(prefix.length());
                    if (kept.contains(name.contains(".") ? name.substring(0, name.indexOf('.')) : name)) {
                        continue;
                    }
                    storage.delete(object.key());
                    MediaKeys.mediaIdOf(tenant, object.key()).ifPresent(id -> {
                        storage.delete(MediaKeys.outcome(tenant, id));
                        sweptMedia.deleted(tenant, id);
                    });
                    media++;
                }
            }
            for (S3Object object : list(ROOT + tenant + "/staging/")) {
                if (policy.staleStaging(object.lastModified(), now)) {
                    storage.delete(object.key());
                    staging++;
                }
            }
        }
        int aborted = abortStaleUploads(now);
        if (media + staging + aborted > 0) {
            log.info("Retention sweep deleted media={} staging={} abortedUploads={}", media, staging, aborted);
        }
        return new Swept(media, staging, aborted);
    }

    private int abortStaleUploads(Instant now) {
        int aborted = 0;
        try {
            List<MultipartUpload> uploads = s3.listMultipartUploads(b -> b.bucket(storage.bucket()).prefix(ROOT)).join().uploads();
            for (MultipartUpload upload : uploads) {
                if (upload.key().contains("/staging/") && upload.initiated() != null
                        && policy.staleStaging(upload.initiated(), now)) {
                    s3.abortMultipartUpload(b -> b.bucket(storage.bucket()).key(upload.key()).uploadId(upload.uploadId())).join();
                    aborted++;
                }
            }
        } catch (RuntimeException e) {
            log.debug("Listing multipart uploads is not possible here: {}", e.toString());
        }
        return aborted;
    }

    private List<String> tenants() {
        List<String> tenants = new ArrayList<>();
        pages(ROOT, "/", page -> {
            for (CommonPrefix prefix : page.commonPrefixes()) {
                String p = prefix.prefix();
                String tenant = p.substring(ROOT.length(), p.length() - 1);
                if (!tenant.isEmpty() && !tenant.contains("/")) {
                    tenants.add(tenant);
                }
            }
        });
        return tenants;
    }

    private List<S3Object> list(String prefix) {
        List<S3Object> objects = new ArrayList<>();
        pages(prefix, null, page -> objects.addAll(page.contents()));
        return objects;
    }

    private void pages(String prefix, String delimiter, Consumer<ListObjectsV2Response> each) {
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(storage.bucket()).prefix(prefix)
                    .delimiter(delimiter).continuationToken(continuation)).join();
            each.accept(page);
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
    }
}
