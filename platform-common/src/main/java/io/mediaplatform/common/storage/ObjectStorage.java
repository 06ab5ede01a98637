package io.mediaplatform.common.storage;

import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * The media bucket, through the S3 API. Writes stream: at most one part ({@code partSize}) is held in
 * memory, the SHA-256 is computed on the way, and the size limit stops the write as soon as it is passed
 * (a multipart upload is aborted, so nothing is left behind). Reads can be ranged.
 */
public class ObjectStorage {

    private final S3AsyncClient s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final int partSize;

    public ObjectStorage(S3AsyncClient s3, S3Presigner presigner, String bucket, int partSize) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.partSize = Math.max(partSize, 5 * 1024 * 1024);
    }

    public String bucket() {
        return bucket;
    }

    /**
     * Streams {@code in} to {@code key}.
     *
     * @throws ObjectTooLargeException when more than {@code maxBytes} arrive (nothing is stored)
     */
    public StoredObject put(String key, InputStream in, String contentType, Map<String, String> metadata, long maxBytes) {
        MessageDigest sha256 = sha256();
        byte[] buffer = new byte[partSize];
        int first = readFully(in, buffer);
        long total = first;
        checkLimit(total, maxBytes);
        sha256.update(buffer, 0, first);
        if (first < partSize) {
            var response = join(s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).metadata(metadata)
                    .contentLength((long) first), AsyncRequestBody.fromBytes(copy(buffer, first))));
            return new StoredObject(bucket, key, total, HexFormat.of().formatHex(sha256.digest()), response.eTag());
        }
        String uploadId = join(s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType).metadata(metadata))).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int length = first;
            int partNumber = 1;
            while (length > 0) {
                int number = partNumber++;
                byte[] part = copy(buffer, length);
                var uploaded = join(s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                        .contentLength((long) part.length), AsyncRequestBody.fromBytes(part)));
                parts.add(CompletedPart.builder().partNumber(number).eTag(uploaded.eTag()).build());
                length = readFully(in, buffer);
                total += length;
                checkLimit(total, maxBytes);
                sha256.update(buffer, 0, length);
            }
            var done = join(s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())));
            return new StoredObject(bucket, key, total, HexFormat.of().formatHex(sha256.digest()), done.eTag());
        } catch (RuntimeException e) {
            try {
                join(s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)));
            } catch (RuntimeException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            throw e;
        }
    }

    /** Bytes {@code [offset, offset + length)} of the object (fewer at its end). */
    public byte[] readRange(String key, long offset, long length) {
        if (length <= 0) {
            return new byte[0];
        }
        ResponseBytes<GetObjectResponse> bytes = join(s3.getObject(b -> b.bucket(bucket).key(key)
                .range("bytes=" + offset + "-" + (offset + length - 1)), AsyncResponseTransformer.toBytes()));
        return bytes.asByteArray();
    }

    /** Streams the object, or the given HTTP {@code Range} of it (null for all of it). */
    public ResponseInputStream<GetObjectResponse> open(String key, String range) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key);
        if (range != null) {
            request.range(range);
        }
        return join(s3.getObject(request.build(), AsyncResponseTransformer.toBlockingInputStream()));
    }

    /** Metadata of the object, or empty when there is none under that key. */
    public Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(join(s3.headObject(b -> b.bucket(bucket).key(key))));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Deletes the object (no error when it is already gone). */
    public void delete(String key) {
        join(s3.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    /** Copies an object inside the bucket (for example into a quarantine prefix). */
    public void copy(String fromKey, String toKey) {
        join(s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(fromKey).destinationBucket(bucket).destinationKey(toKey)));
    }

    /** A presigned GET URL of the object, valid for {@code ttl}. */
    public URL presignGet(String key, Duration ttl) {
        return presigner.presignGetObject(b -> b.signatureDuration(ttl).getObjectRequest(r -> r.bucket(bucket).key(key))).url();
    }

    private static void checkLimit(long total, long maxBytes) {
        if (total > maxBytes) {
            throw new ObjectTooLargeException(maxBytes);
        }
    }

    private static int readFully(InputStream in, byte[] buffer) {
        try {
            int filled = 0;
            while (filled < buffer.length) {
                int n = in.read(buffer, filled, buffer.length - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
            }
            return filled;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] copy(byte[] buffer, int length) {
        byte[] copy = new byte[length];
        System.arraycopy(buffer, 0, copy, 0, length);
        return copy;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }
}
