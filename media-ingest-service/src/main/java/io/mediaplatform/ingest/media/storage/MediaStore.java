package io.mediaplatform.ingest.media.storage;

import io.mediaplatform.common.cache.RecentValues;
import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.common.storage.StoredObject;
import io.mediaplatform.ingest.config.IngestProperties;
import io.mediaplatform.ingest.media.core.MediaInfo;
import io.mediaplatform.ingest.media.core.MediaKeys;
import io.mediaplatform.ingest.media.core.MediaNameIndex;
import io.mediaplatform.ingest.media.core.MediaNames;
import io.mediaplatform.ingest.media.core.ValidationOutcome;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's media in the bucket. Uploads are written in two steps: the bytes stream to a staging key
 * (hashing on the way, stopped at the size limit), then one server-side copy puts them at
 * {@code tenants/<t>/media/<id>} with the complete user metadata (which includes the SHA-256, known only
 * once the bytes are read, and the text fields of a multipart form that may follow the file) and the staging
 * object is deleted. Reads and deletes only ever address keys built from the caller's tenant. The media's name
 * ({@code <conversationId>_<fileName>}) goes to the {@link MediaNameIndex} before the commit, so a name never misses
 * committed media; a name left behind by a failed commit is dropped by the next lookup that meets it.
 */
@Component
public class MediaStore {

    private final ObjectStorage storage;
    private final S3AsyncClient s3;
    private final JsonMapper json;

    private final RecentMedia recent;
    /** The outcome this instance wrote lately per media key (without its time), so the same one is not written again. */
    private final RecentValues<String, ValidationOutcome> writtenOutcomes;
    /** Small media opened whole lately, bytes and metadata, by media key ({@code INGEST_MEDIA_CACHE_BYTES}). */
    private final RecentValues<String, Whole> wholes;
    private final long wholeMax;
    private final MediaNameIndex names;

    public MediaStore(ObjectStorage storage, S3AsyncClient s3, JsonMapper json, IngestProperties properties,
                      MediaNameIndex names) {
        this.storage = storage;
        this.s3 = s3;
        this.json = json;
        this.names = names;
        this.recent = new RecentMedia(properties.mediaCache().size(), properties.mediaCache().ttl(), System::nanoTime);
        this.writtenOutcomes = RecentValues.counted(properties.mediaCache().size(), properties.mediaCache().ttl());
        long wholeBytes = properties.mediaCache().bytes().toBytes();
        this.wholes = new RecentValues<>(wholeBytes, properties.mediaCache().ttl(),
                whole -> whole.bytes().length + WHOLE_OVERHEAD, System::nanoTime);
        this.wholeMax = wholeBytes / 16;
    }

    private static final int WHOLE_OVERHEAD = 512;

    /** A small media's metadata and bytes. */
    private record Whole(MediaInfo media, byte[] bytes) {
    }

    /**
     * An upload read and waiting for {@link #commit} or {@link #discard}: held in memory when smaller than a part,
     * else written to the staging key.
     */
    public record Staged(String tenantId, String mediaId, ObjectStorage.Upload upload) {
        public long size() {
            return upload.size();
        }

        /** Lower-case hex SHA-256 of the bytes. */
        public String sha256() {
            return upload.sha256();
        }
    }

    public String bucket() {
        return storage.bucket();
    }

    /**
     * Reads the bytes of a new media, hashing them: a media smaller than a part is held in memory (nothing written
     * yet), a larger one streams to its staging key.
     *
     * @throws io.mediaplatform.common.storage.ObjectTooLargeException past {@code maxBytes} (nothing kept)
     */
    public Staged stage(String tenantId, String mediaId, InputStream in, String contentType, long maxBytes) {
        return stage(tenantId, mediaId, in, contentType, maxBytes, -1);
    }

    /**
     * {@link #stage} of bytes announced as about {@code expectedBytes} (a Content-Length; -1 when not known), so that
     * the upload memory reserves what they need rather than a whole part.
     */
    public Staged stage(String tenantId, String mediaId, InputStream in, String contentType, long maxBytes,
                        long expectedBytes) {
        return new Staged(tenantId, mediaId, storage.read(MediaKeys.staging(tenantId, mediaId), in, contentType,
                Map.of(MediaInfo.TENANT, tenantId), maxBytes, expectedBytes));
    }

    /**
     * Stores staged bytes at the media key with the full metadata; answers the stored media. Held bytes are written
     * there in one request; bytes on the staging key are copied there server-side and the staging object deleted.
     */
    public MediaInfo commit(Staged staged, MediaInfo info) {
        MediaInfo complete = info.stored(staged.size(), staged.sha256(), null);
        String key = MediaKeys.media(staged.tenantId(), staged.mediaId());
        names.record(staged.tenantId(), complete.displayName(), staged.mediaId(), complete.createdAt());
        String etag = switch (staged.upload()) {
            case ObjectStorage.Held held -> storage.write(key, held, complete.contentType(), complete.toMetadata()).etag();
            case ObjectStorage.Written written -> {
                var copied = ObjectStorage.join(s3.copyObject(b -> b.sourceBucket(bucket()).sourceKey(written.object().key())
                        .destinationBucket(bucket()).destinationKey(key)
                        .metadataDirective(MetadataDirective.REPLACE)
                        .contentType(complete.contentType())
                        .metadata(complete.toMetadata())));
                discard(staged);
                yield copied.copyObjectResult().eTag();
            }
        };
        return complete.stored(staged.size(), staged.sha256(), StoredObject.unquoteEtag(etag));
    }

    /** Drops staged bytes that will not become media (deletes them from the staging key when they were written there). */
    public void discard(Staged staged) {
        if (staged.upload() instanceof ObjectStorage.Written written) {
            storage.delete(written.object().key());
        }
        ObjectStorage.release(staged.upload());
    }

    /** The tenant's media of that id, or empty (unknown id, or an id that is not a media id). */
    public Optional<MediaInfo> find(String tenantId, String mediaId) {
        if (!MediaKeys.isMediaId(mediaId)) {
            return Optional.empty();
        }
        return storage.head(MediaKeys.media(tenantId, mediaId)).map(head -> toInfo(mediaId, head))
                .filter(info -> tenantId.equals(info.tenantId()));
    }

    /**
     * Like {@link #find}, but may answer metadata looked up within the last {@code INGEST_MEDIA_CACHE_TTL}: for sends
     * naming stored media by id (at the edge and in the send-requested listener). Stored media is immutable; media
     * deleted meanwhile by another instance (or its retention sweep) may still be announced, and validation then
     * rejects it FETCH_FAILED (the object is gone), so its sender still hears of it.
     */
    public Optional<MediaInfo> findForSend(String tenantId, String mediaId) {
        String key = MediaKeys.isMediaId(mediaId) ? MediaKeys.media(tenantId, mediaId) : null;
        Optional<MediaInfo> known = key == null ? Optional.empty() : recent.get(key);
        if (known.isPresent()) {
            return known;
        }
        Optional<MediaInfo> found = find(tenantId, mediaId);
        found.ifPresent(info -> recent.put(key, info));
        return found;
    }

    /** The media a name resolves to (ARCHITECTURE §4): the newest stored one of that name, with how many share it. */
    public record Named(MediaInfo media, int matches) {
    }

    /**
     * The tenant's stored media called {@code name} ({@code <conversationId>_<fileName>}): the newest one, with the
     * number of stored media of that name; empty when none. Names whose media is gone are dropped on the way.
     */
    public Optional<Named> findByName(String tenantId, String name) {
        Map<String, MediaInfo> seen = new HashMap<>();
        List<String> gone = new ArrayList<>();
        Optional<MediaNames.Resolved> resolved = MediaNames.resolve(
                names.candidates(tenantId, name, MediaNames.LOOKUP_LIMIT),
                id -> {
                    Optional<MediaInfo> found = find(tenantId, id);
                    found.ifPresent(info -> seen.put(id, info));
                    return found.isPresent();
                }, gone);
        gone.forEach(id -> names.forget(tenantId, id));
        return resolved.map(r -> new Named(seen.get(r.mediaId()), r.matches()));
    }

    /** Stored media opened whole: what {@link #find} answers, and its bytes to read (and close). */
    public record Opened(MediaInfo media, InputStream content) {
    }

    /**
     * The tenant's media and its whole content in one round trip to storage, or empty when there is none. A media
     * of at most a sixteenth of {@code INGEST_MEDIA_CACHE_BYTES} is kept and answered from memory within
     * {@code INGEST_MEDIA_CACHE_TTL} (the bytes under a media key never change; {@link #delete} forgets it here, and a
     * deletion on another instance is seen after the TTL).
     */
    public Optional<Opened> openWhole(String tenantId, String mediaId) throws IOException {
        if (!MediaKeys.isMediaId(mediaId)) {
            return Optional.empty();
        }
        String key = MediaKeys.media(tenantId, mediaId);
        Optional<Whole> kept = wholes.get(key);
        if (kept.isPresent()) {
            return Optional.of(new Opened(kept.get().media(), new ByteArrayInputStream(kept.get().bytes())));
        }
        Optional<ResponseInputStream<GetObjectResponse>> opened = storage.openIfExists(key);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        GetObjectResponse got = opened.get().response();
        MediaInfo info = toInfo(mediaId, got.metadata(), got.contentType(), got.contentLength(), got.eTag(),
                got.lastModified());
        if (!tenantId.equals(info.tenantId())) {
            closeQuietly(opened.get());
            return Optional.empty();
        }
        if (!wholes.enabled() || info.size() > wholeMax) {
            return Optional.of(new Opened(info, opened.get()));
        }
        byte[] bytes;
        try (InputStream in = opened.get()) {
            bytes = in.readAllBytes();
        }
        wholes.put(key, new Whole(info, bytes));
        return Optional.of(new Opened(info, new ByteArrayInputStream(bytes)));
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (java.io.IOException ignored) {
            // nothing read from it
        }
    }

    /** Streams the tenant's media, or the given range of it ({@code bytes=a-b}, or null for all). */
    public ResponseInputStream<GetObjectResponse> open(String tenantId, String mediaId, String range) {
        return storage.open(MediaKeys.media(tenantId, mediaId), range);
    }

    /** A thumbnail of the media ({@link MediaKeys#THUMBNAIL_SIZES}), or empty while none is stored. */
    public Optional<ResponseInputStream<GetObjectResponse>> openThumbnail(String tenantId, String mediaId, String size) {
        String key = MediaKeys.thumbnail(tenantId, mediaId, size);
        return storage.head(key).map(head -> storage.open(key, null));
    }

    /** Why validation could make no thumbnail of the media, or empty. */
    public Optional<String> thumbnailRefusal(String tenantId, String mediaId) {
        if (storage.head(MediaKeys.thumbnailRefusal(tenantId, mediaId)).isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = storage.open(MediaKeys.thumbnailRefusal(tenantId, mediaId), null)) {
            return Optional.of(new String(in.readNBytes(2048), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the media, its validation outcome, its thumbnails and its name. */
    public void delete(String tenantId, String mediaId) {
        String key = MediaKeys.media(tenantId, mediaId);
        forgetKept(key);
        storage.delete(key);
        storage.delete(MediaKeys.outcome(tenantId, mediaId));
        MediaKeys.THUMBNAIL_SIZES.forEach(size -> storage.delete(MediaKeys.thumbnail(tenantId, mediaId, size)));
        storage.delete(MediaKeys.thumbnailRefusal(tenantId, mediaId));
        names.forget(tenantId, mediaId);
    }

    /**
     * Forgets the media, deleted in storage by other code of this instance (the retention sweep): what is kept of it
     * in memory (metadata, bytes, the outcome written) and its name.
     */
    public void forgetDeleted(String tenantId, String mediaId) {
        forgetKept(MediaKeys.media(tenantId, mediaId));
        names.forget(tenantId, mediaId);
    }

    private void forgetKept(String key) {
        recent.forget(key);
        wholes.forget(key);
        writtenOutcomes.forget(key);
    }

    /** Records the validation outcome next to the media. */
    public void writeOutcome(String tenantId, String mediaId, ValidationOutcome outcome) {
        byte[] body = json.writeValueAsBytes(outcome);
        storage.put(MediaKeys.outcome(tenantId, mediaId), new ByteArrayInputStream(body), "application/json", Map.of(),
                body.length);
        writtenOutcomes.put(MediaKeys.media(tenantId, mediaId), untimed(outcome));
    }

    /**
     * Whether this instance wrote the same outcome (all but its time) for the media within {@code INGEST_MEDIA_CACHE_TTL}
     * and has not deleted the media since: a campaign's messages naming one media each bring the same decision, and
     * writing it again would only move its time.
     */
    public boolean outcomeUnchanged(String tenantId, String mediaId, ValidationOutcome outcome) {
        return writtenOutcomes.get(MediaKeys.media(tenantId, mediaId)).filter(untimed(outcome)::equals).isPresent();
    }

    private static ValidationOutcome untimed(ValidationOutcome outcome) {
        return new ValidationOutcome(outcome.status(), outcome.reason(), outcome.reasonMessage(),
                outcome.detectedContentType(), null);
    }

    /** The recorded validation outcome, or empty while none is known. */
    public Optional<ValidationOutcome> outcome(String tenantId, String mediaId) {
        return storage.openIfExists(MediaKeys.outcome(tenantId, mediaId)).map(opened -> {
            try (InputStream in = opened) {
                return json.readValue(in.readAllBytes(), ValidationOutcome.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static MediaInfo toInfo(String mediaId, HeadObjectResponse head) {
        return toInfo(mediaId, head.metadata(), head.contentType(), head.contentLength(), head.eTag(), head.lastModified());
    }

    /** What a HEAD or a GET of the object says of the media (the SDK's two answers share no type). */
    private static MediaInfo toInfo(String mediaId, Map<String, String> metadata, String contentType, Long length,
                                    String etag, java.time.Instant lastModified) {
        return MediaInfo.fromMetadata(mediaId, metadata, contentType, length == null ? 0 : length,
                StoredObject.unquoteEtag(etag), lastModified);
    }
}
