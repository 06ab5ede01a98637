package io.mediaplatform.common.storage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * S3-compatible object storage.
 *
 * @param endpoint  S3 endpoint ({@code S3_ENDPOINT}); empty means AWS's own endpoint for the region
 * @param region    region ({@code S3_REGION})
 * @param bucket    bucket holding the media ({@code S3_BUCKET})
 * @param accessKey access key ({@code S3_ACCESS_KEY}); empty means the SDK's default credential chain
 * @param secretKey secret key ({@code S3_SECRET_KEY})
 * @param pathStyle path-style addressing, needed by MinIO, Ceph and the local stack ({@code S3_PATH_STYLE})
 * @param partSize  part size of multipart uploads: the most memory one upload holds ({@code S3_PART_SIZE})
 * @param uploadMemory the most memory all uploads of the service hold at once ({@code S3_UPLOAD_MEMORY}); at least
 *                  two parts
 * @param uploadMemoryWait how long an upload waits for room in it before it is refused, 503 ({@code S3_UPLOAD_MEMORY_WAIT})
 */
@ConfigurationProperties("platform.storage")
public record StorageProperties(
        String endpoint,
        @DefaultValue("us-east-1") String region,
        @DefaultValue("media") String bucket,
        String accessKey,
        String secretKey,
        @DefaultValue("true") boolean pathStyle,
        @DefaultValue("8MB") DataSize partSize,
        @DefaultValue("256MB") DataSize uploadMemory,
        @DefaultValue("30s") java.time.Duration uploadMemoryWait) {
}
