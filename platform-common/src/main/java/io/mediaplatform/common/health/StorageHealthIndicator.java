package io.mediaplatform.common.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code storage}: UP when a HEAD of the media bucket succeeds within the check timeout, through the service's own
 * S3 client (endpoint, credentials, addressing); DOWN otherwise with the error (unreachable server, missing bucket,
 * refused credentials). Details name the bucket. Answers are cached ({@link CachedHealth}).
 */
public class StorageHealthIndicator implements HealthIndicator {

    private final S3AsyncClient s3;
    private final String bucket;
    private final Duration timeout;
    private final CachedHealth cached;

    public StorageHealthIndicator(S3AsyncClient s3, String bucket, Duration timeout, Duration cacheTtl) {
        this.s3 = s3;
        this.bucket = bucket;
        this.timeout = timeout;
        this.cached = new CachedHealth(this::check, cacheTtl);
    }

    @Override
    public Health health() {
        return cached.get();
    }

    private Health check() {
        try {
            s3.headBucket(b -> b.bucket(bucket).overrideConfiguration(o -> o.apiCallTimeout(timeout)))
                    .get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
            return Health.up().withDetail("bucket", bucket).build();
        } catch (ExecutionException | CompletionException e) {
            return Health.down(e.getCause() != null ? e.getCause() : e).withDetail("bucket", bucket).build();
        } catch (TimeoutException e) {
            return Health.down(e).withDetail("bucket", bucket).withDetail("timeout", timeout.toString()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down(e).withDetail("bucket", bucket).build();
        }
    }
}
