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
import java.nio.ByteBuffer;
import java.net.URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.lang.ref.Cleaner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private final UploadMemory memory;

    /** With the default upload memory: {@value #DEFAULT_UPLOAD_MEMORY} bytes, a chunk waiting at most 30 s. */
    public ObjectStorage(S3AsyncClient s3, S3Presigner presigner, String bucket, int partSize) {
        this(s3, presigner, bucket, partSize, DEFAULT_UPLOAD_MEMORY, Duration.ofSeconds(30));
    }

    public ObjectStorage(S3AsyncClient s3, S3Presigner presigner, String bucket, int partSize, long uploadMemoryBytes,
                         Duration uploadMemoryWait) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.partSize = Math.max(partSize, 5 * 1024 * 1024);
        this.memory = new UploadMemory(uploadMemoryBytes, this.partSize, uploadMemoryWait);
    }

    /** The memory all uploads may hold at once by default, as {@code S3_UPLOAD_MEMORY}'s default. */
    public static final long DEFAULT_UPLOAD_MEMORY = 256L * 1024 * 1024;

    /** The memory uploads hold at once, and the most they may. */
    public UploadMemory uploadMemory() {
        return memory;
    }

    public String bucket() {
        return bucket;
    }

    /**
     * Streams {@code in} to {@code key}. Memory is held in {@value #CHUNK}-byte chunks as the bytes arrive (a small
     * upload holds about its own size, not a whole part), and a large one holds at most two parts: the one being
     * uploaded while the next is read, so receiving and uploading overlap.
     *
     * @throws ObjectTooLargeException when more than {@code maxBytes} arrive (nothing is stored)
     */
    public StoredObject put(String key, InputStream in, String contentType, Map<String, String> metadata, long maxBytes) {
        return switch (read(key, in, contentType, metadata, maxBytes)) {
            case Held held -> write(key, held, contentType, metadata);
            case Written written -> written.object();
        };
    }

    /** What {@link #read} took of an upload: the whole of a small one, in memory, or a large one written to its key. */
    public sealed interface Upload permits Held, Written {
        long size();

        /** Lower-case hex SHA-256 of the bytes. */
        String sha256();
    }

    /**
     * An upload smaller than a part, read whole and not written anywhere yet ({@link #write}, or {@link #release} when
     * it will not be). Its room in the upload memory is given back when it is written or released, and, should a
     * caller drop it without either, when it is collected.
     */
    public static final class Held implements Upload {
        private static final Cleaner CLEANER = Cleaner.create();

        private final Part part;
        private final String sha256;
        private final Cleaner.Cleanable room;

        private Held(Part part, String sha256) {
            this.part = part;
            this.sha256 = sha256;
            this.room = CLEANER.register(this, part::release);
        }

        /** Gives its memory back: the held bytes will not be written. Once only; writing after it is a mistake. */
        public void release() {
            room.clean();
        }

        @Override
        public long size() {
            return part.size();
        }

        @Override
        public String sha256() {
            return sha256;
        }
    }

    /** An upload of a part or more, streamed to its key as it arrived. */
    public record Written(StoredObject object) implements Upload {
        @Override
        public long size() {
            return object.size();
        }

        @Override
        public String sha256() {
            return object.sha256();
        }
    }

    /**
     * Reads {@code in} as {@link #put} does, but writes nothing of an upload that ends within its first part: that one
     * is answered {@link Held}, for the caller to {@link #write} once, where and with the metadata it knows by then
     * (one request, where a write to a staging key and a copy take three). A larger upload streams to {@code key}
     * with {@code metadata} and is answered {@link Written}.
     *
     * @throws ObjectTooLargeException when more than {@code maxBytes} arrive (nothing is stored)
     */
    public Upload read(String key, InputStream in, String contentType, Map<String, String> metadata, long maxBytes) {
        return read(key, in, contentType, metadata, maxBytes, -1);
    }

    /**
     * {@link #read} of an upload announced as about {@code expectedBytes} (a request's Content-Length; -1 when not
     * known): it reserves the room that many bytes need in the upload memory instead of a whole part, so that many
     * small uploads can be held at once.
     */
    public Upload read(String key, InputStream in, String contentType, Map<String, String> metadata, long maxBytes,
                       long expectedBytes) {
        MessageDigest sha256 = sha256();
        Part first = readPart(in, sha256, maxBytes, 0, expectedBytes);
        if (first.size() < partSize) {
            return new Held(first, HexFormat.of().formatHex(sha256.digest()));
        }
        return new Written(streamParts(key, in, contentType, metadata, maxBytes, sha256, first));
    }

    /** Writes a held upload to {@code key} in one request. */
    public StoredObject write(String key, Held held, String contentType, Map<String, String> metadata) {
        try {
            var response = join(s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).metadata(metadata)
                    .contentLength(held.size()), held.part.body()));
            return new StoredObject(bucket, key, held.size(), held.sha256, response.eTag());
        } finally {
            held.release();
        }
    }

    /** Gives back what an upload read by {@link #read} holds when it will not be written (a held one's memory). */
    public static void release(Upload upload) {
        if (upload instanceof Held held) {
            held.release();
        }
    }

    private StoredObject streamParts(String key, InputStream in, String contentType, Map<String, String> metadata,
                                     long maxBytes, MessageDigest sha256, Part first) {
        long total = first.size();
        String uploadId;
        try {
            uploadId = join(s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType).metadata(metadata))).uploadId();
        } catch (RuntimeException e) {
            first.release();
            throw e;
        }
        List<CompletableFuture<CompletedPart>> uploads = new ArrayList<>();
        try {
            Part part = first;
            while (part.size() > 0) {
                int number = uploads.size() + 1;
                Part sending = part;
                CompletableFuture<software.amazon.awssdk.services.s3.model.UploadPartResponse> uploading;
                try {
                    uploading = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                            .contentLength((long) sending.size()), sending.body());
                } catch (RuntimeException e) {
                    sending.release();
                    throw e;
                }
                // the part's memory is given back once the SDK is done with its bytes, however the upload ended
                uploading.whenComplete((uploaded, failure) -> sending.release());
                uploads.add(uploading.thenApply(uploaded -> CompletedPart.builder().partNumber(number).eTag(uploaded.eTag()).build()));
                if (uploads.size() >= 2) {
                    join(uploads.get(uploads.size() - 2));   // at most two parts in memory
                }
                part = readPart(in, sha256, maxBytes, total, -1);
                total += part.size();
            }
            List<CompletedPart> parts = uploads.stream().map(ObjectStorage::join).toList();
            var done = join(s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())));
            return new StoredObject(bucket, key, total, HexFormat.of().formatHex(sha256.digest()), done.eTag());
        } catch (RuntimeException e) {
            uploads.forEach(upload -> upload.cancel(true));
            try {
                join(s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)));
            } catch (RuntimeException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            throw e;
        }
    }

    /** Bytes a part of an upload holds while it is read and uploaded. */
    static final int CHUNK = 64 * 1024;

    /** Up to one part of an upload, in chunks, and the room they take in the upload memory until {@link #release}. */
    private static final class Part {
        private final List<ByteBuffer> chunks;
        private final int size;
        private final UploadMemory memory;
        private final AtomicBoolean released = new AtomicBoolean();

        Part(List<ByteBuffer> chunks, int size, UploadMemory memory) {
            this.chunks = chunks;
            this.size = size;
            this.memory = memory;
        }

        int size() {
            return size;
        }

        AsyncRequestBody body() {
            return AsyncRequestBody.fromByteBuffersUnsafe(chunks.toArray(ByteBuffer[]::new));
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                memory.give(chunks.size());
            }
        }
    }

    /**
     * Reads up to one part of {@code in}, hashing it; {@code before} bytes came earlier.
     *
     * @throws ObjectTooLargeException as soon as more than {@code maxBytes} arrived in all
     */
    private Part readPart(InputStream in, MessageDigest sha256, long maxBytes, long before, long expectedBytes) {
        List<ByteBuffer> chunks = new ArrayList<>();
        int size = 0;
        // the part's room is reserved before a byte is read (UploadMemory#take(int)): a whole part, or the chunks the
        // announced size needs and one more for the read that finds the end; a chunk's room is spent when it is
        // kept, more is taken chunk by chunk only when more arrives than was announced, and what is left goes back
        int wholePart = Math.ceilDiv(partSize, CHUNK);
        int credits = expectedBytes < 0 ? wholePart
                : (int) Math.min(wholePart, Math.ceilDiv(Math.max(expectedBytes, 0), CHUNK) + 1L);
        memory.take(credits);
        try {
            while (size < partSize) {
                if (credits == 0) {
                    memory.take();
                    credits = 1;
                }
                byte[] chunk = new byte[Math.min(CHUNK, partSize - size)];
                int filled = readFully(in, chunk);
                if (filled > 0) {
                    sha256.update(chunk, 0, filled);
                    chunks.add(ByteBuffer.wrap(chunk, 0, filled));
                    credits--;
                    size += filled;
                }
                checkLimit(before + size, maxBytes);
                if (filled < chunk.length) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            memory.give(chunks.size() + credits);
            throw e;
        }
        memory.give(credits);
        return new Part(chunks, size, memory);
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

    /**
     * The whole object, streaming, with its metadata on the response, or empty when there is none under that key: one
     * round trip where {@link #head} and then {@link #open} take two.
     */
    public Optional<ResponseInputStream<GetObjectResponse>> openIfExists(String key) {
        return unlessMissing(() -> open(key, null));
    }

    /** Metadata of the object, or empty when there is none under that key. */
    public Optional<HeadObjectResponse> head(String key) {
        return unlessMissing(() -> join(s3.headObject(b -> b.bucket(bucket).key(key))));
    }

    /** What {@code call} answers, or empty when S3 says the object is not there (no such key, or a 404). */
    public static <T> Optional<T> unlessMissing(java.util.function.Supplier<T> call) {
        try {
            return Optional.of(call.get());
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

    /**
     * Copies an object of another bucket (on the same storage) to a key of this one, server-side; answers the
     * copy's ETag (unquoted).
     */
    public String copyFrom(String sourceBucket, String sourceKey, String toKey) {
        return StoredObject.unquoteEtag(join(s3.copyObject(b -> b.sourceBucket(sourceBucket).sourceKey(sourceKey)
                .destinationBucket(bucket).destinationKey(toKey))).copyObjectResult().eTag());
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for an S3 call; its own failure is thrown as it is (not wrapped in a CompletionException). */
    public static <T> T join(CompletableFuture<T> future) {
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
