package io.mediaplatform.validation.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Settings of the validation service.
 *
 * @param policyFile   where the media policy YAML is ({@code MEDIA_POLICY_FILE}, default
 *                     {@code classpath:media-policy.yml}; {@code file:/path.yml} for an operator's own)
 * @param profilesFile where the named media profiles are ({@code MEDIA_PROFILES_FILE}, default
 *                     {@code classpath:media-profiles.yml}: chat-flow, occ, notification-api, hybrid-chat)
 * @param tenantProfiles the profile of each tenant that has one, {@code tenant=profile} pairs separated by {@code ;}
 *                     ({@code MEDIA_TENANT_PROFILES}, default none; an inbox's own profile wins over its tenant's)
 * @param headBytes    how many bytes of each media are read for type detection ({@code VALIDATION_HEAD_BYTES},
 *                     default 65536)
 * @param maxMoovBytes largest MP4 {@code moov} box read for the codec check ({@code VALIDATION_MAX_MOOV_SIZE},
 *                     default 8MB); a bigger one is CODEC_UNSUPPORTED
 * @param settingsWait how long media waits at startup for the inbox settings topic to be read to its end
 *                     ({@code VALIDATION_SETTINGS_WAIT}, default 30s)
 * @param transactionMaxTime how long one Kafka transaction of the media.received listener takes more records of
 *                     its poll; then it commits and the rest go on in the next ({@code VALIDATION_TX_MAX_TIME},
 *                     default 5s; well under the producer's transaction timeout, 60s)
 * @param prefetch     how many records of a poll are decided ahead of their turn (storage reads, antivirus scans)
 *                     so that they overlap; answers are still sent in order ({@code VALIDATION_PREFETCH}, default 8;
 *                     1 decides each in its turn)
 * @param upstreamBuckets buckets (on the same storage) whose media upstream systems may announce on media.received:
 *                     copied into the media bucket and validated ({@code VALIDATION_UPSTREAM_BUCKETS}, comma-separated,
 *                     default none: media anywhere else is refused FETCH_FAILED)
 * @param inspectionCacheSize bytes of recent inspections kept, so messages naming a media inspected and scanned
 *                     lately cost a HEAD instead of a read and a scan ({@code VALIDATION_INSPECTION_CACHE_SIZE}, default
 *                     16MB; 0 turns it off)
 * @param inspectionCacheTtl how long an inspection (and a clean scan) is used again ({@code
 *                     VALIDATION_INSPECTION_CACHE_TTL}, default 10m; after it the media is read and scanned again)
 */
@ConfigurationProperties("validation")
public record ValidationProperties(
        @DefaultValue("classpath:media-policy.yml") String policyFile,
        @DefaultValue("classpath:media-profiles.yml") String profilesFile,
        @DefaultValue("") String tenantProfiles,
        @DefaultValue("65536") int headBytes,
        @DefaultValue("8MB") DataSize maxMoovBytes,
        @DefaultValue("30s") Duration settingsWait,
        @DefaultValue("5s") Duration transactionMaxTime,
        @DefaultValue("8") int prefetch,
        @DefaultValue("") java.util.List<String> upstreamBuckets,
        @DefaultValue("16MB") DataSize inspectionCacheSize,
        @DefaultValue("10m") Duration inspectionCacheTtl) {

    public ValidationProperties {
        if (headBytes < 512) {
            throw new IllegalArgumentException("validation.head-bytes must be at least 512");
        }
        if (inspectionCacheSize.isNegative() || inspectionCacheTtl.isNegative()) {
            throw new IllegalArgumentException("validation.inspection-cache-size and -ttl must not be negative");
        }
        if (transactionMaxTime.isNegative()) {
            throw new IllegalArgumentException("validation.transaction-max-time must not be negative");
        }
    }
}
