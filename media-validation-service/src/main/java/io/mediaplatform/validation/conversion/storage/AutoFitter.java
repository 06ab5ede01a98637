package io.mediaplatform.validation.conversion.storage;

import io.mediaplatform.validation.conversion.imageio.ImageConverter;
import io.mediaplatform.validation.conversion.ffmpeg.FfmpegConverter;
import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.common.storage.StoredObject;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRef;
import io.mediaplatform.events.MediaRendition;
import io.mediaplatform.events.StorageLocation;
import io.mediaplatform.validation.conversion.core.FitPlan;
import io.mediaplatform.validation.conversion.core.FitPlanner;
import io.mediaplatform.validation.inspection.core.ByteSource;
import io.mediaplatform.validation.inspection.core.BytesProbe;
import io.mediaplatform.validation.inspection.core.JpegMetadata;
import io.mediaplatform.validation.policy.core.Decision;
import io.mediaplatform.validation.policy.core.Kind;
import io.mediaplatform.validation.policy.core.Reason;
import io.mediaplatform.validation.policy.core.ValidationRequest;
import io.mediaplatform.validation.policy.core.Validator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Carries out a {@link FitPlan} on a stored media (ARCHITECTURE §5): reads the original whole (only now, and only up to
 * {@code maxInputBytes}), converts it ({@link ImageConverter}, {@link FfmpegConverter} for audio and video) or drops its location segments
 * ({@link JpegMetadata#withoutMetadata}), judges the copy by the same rules, and stores an accepted copy as a new
 * immutable media of the tenant ({@code tenants/<tenant>/media/<new id>}, the metadata ingest serves media by), so the
 * original stays as it was. The answer names the copy as the rendition dispatch sends.
 */
public final class AutoFitter {

    private static final Logger log = LoggerFactory.getLogger(AutoFitter.class);

    private final ObjectStorage storage;
    private final Validator validator;
    private final ImageConverter converter;
    private final FfmpegConverter ffmpeg;
    private final long maxInputBytes;
    private final Clock clock;

    /**
     * @param ffmpeg the audio/video converter, or null when ffmpeg is not there (then no such plan is made)
     */
    public AutoFitter(ObjectStorage storage, Validator validator, ImageConverter converter, FfmpegConverter ffmpeg,
                      long maxInputBytes, Clock clock) {
        this.storage = storage;
        this.validator = validator;
        this.converter = converter;
        this.ffmpeg = ffmpeg;
        this.maxInputBytes = maxInputBytes;
        this.clock = clock;
    }

    /**
     * What auto-fit made of the media.
     *
     * @param decision  the decision that stands
     * @param rendition the stored copy to send, or null (rejected, or nothing to copy)
     */
    public record Fitted(Decision decision, MediaRendition rendition) {
    }

    /** Carries out the plan ({@link FitPlan.Convert} or {@link FitPlan.StripLocation}) for the media of {@code received}. */
    public Fitted fit(FitPlan plan, MediaReceived received, ValidationRequest request) {
        MediaRef media = received.getMedia();
        return switch (plan) {
            case FitPlan.Keep keep -> throw new IllegalArgumentException("nothing to fit");
            case FitPlan.Convert convert -> convert(convert, received, request);
            case FitPlan.StripLocation strip -> strip(strip, received, media);
        };
    }

    private Fitted convert(FitPlan.Convert plan, MediaReceived received, ValidationRequest request) {
        MediaRef media = received.getMedia();
        if (media.getSize() > maxInputBytes) {
            return new Fitted(FitPlanner.failed(plan, "it is " + Validator.humanSize(media.getSize()) + ", over the "
                    + Validator.humanSize(maxInputBytes) + " auto-fit reads"), null);
        }
        long started = System.nanoTime();
        Output converted;
        try {
            converted = output(readWhole(media), plan);
        } catch (ImageConverter.ConversionFailedException e) {
            log.info("auto-fit failed tenant={} mediaId={} from={}: {}", received.getTenantId(), media.getMediaId(),
                    plan.from(), e.getMessage());
            return new Fitted(FitPlanner.failed(plan, e.getMessage()), null);
        }
        byte[] bytes = converted.bytes();
        Decision onCopy = validator.decide(FitPlanner.renditionRequest(request, converted.contentType(), bytes.length,
                new BytesProbe(ByteSource.of(bytes), 8 << 20)));
        Decision outcome = FitPlanner.outcome(plan, converted.contentType(), onCopy);
        if (!(outcome instanceof Decision.Accepted)) {
            return new Fitted(outcome, null);
        }
        String note = plan.because().message() + ": converted to " + converted.contentType() + " ("
                + converted.description() + "), " + Validator.humanSize(media.getSize()) + " to "
                + Validator.humanSize(bytes.length) + (plan.kind() == Kind.VIDEO || plan.kind() == Kind.AUDIO
                ? "; metadata removed" : "; metadata (EXIF, GPS, XMP) removed");
        MediaRendition rendition = store(received, renditionName(received, plan), bytes, converted.contentType(),
                plan.from(), note);
        log.info("auto-fit tenant={} mediaId={} rendition={} {} -> {} {} -> {} bytes in {} ms", received.getTenantId(),
                media.getMediaId(), rendition.getMediaId(), plan.from(), converted.contentType(), media.getSize(),
                bytes.length, (System.nanoTime() - started) / 1_000_000);
        return new Fitted(outcome, rendition);
    }

    /** What a conversion wrote: the bytes, their type and a few words on them ({@code 320x240}, {@code H.264 + AAC MP4}). */
    private record Output(byte[] bytes, String contentType, String description) {
    }

    private Output output(byte[] input, FitPlan.Convert plan) throws ImageConverter.ConversionFailedException {
        if (plan.kind() == Kind.VIDEO || plan.kind() == Kind.AUDIO) {
            if (ffmpeg == null) {
                throw new ImageConverter.ConversionFailedException("ffmpeg is not installed");
            }
            FfmpegConverter.Converted converted = ffmpeg.convert(input, plan);
            return new Output(converted.bytes(), converted.contentType(), converted.description());
        }
        ImageConverter.Converted converted = converter.convert(input, plan);
        return new Output(converted.bytes(), converted.contentType(), converted.width() + "x" + converted.height());
    }

    private Fitted strip(FitPlan.StripLocation plan, MediaReceived received, MediaRef media) {
        if (media.getSize() > maxInputBytes) {
            log.warn("location metadata kept in mediaId={}: {} is over the {} auto-fit reads", media.getMediaId(),
                    media.getSize(), maxInputBytes);
            return new Fitted(plan.accepted(), null);
        }
        byte[] original = readWhole(media);
        byte[] stripped;
        try {
            stripped = JpegMetadata.withoutMetadata(original, JpegMetadata.read(original).orientation());
        } catch (IllegalArgumentException e) {
            return new Fitted(new Decision.Rejected(Reason.UNSUPPORTED_TYPE,
                    "truncated or corrupt JPEG: " + e.getMessage()), null);
        }
        String note = "location metadata removed: EXIF and XMP segments dropped, image data unchanged, "
                + Validator.humanSize(original.length) + " to " + Validator.humanSize(stripped.length);
        return new Fitted(plan.accepted(), store(received, media.getMediaId() + ":strip-location", stripped, "image/jpeg",
                "image/jpeg", note));
    }

    private byte[] readWhole(MediaRef media) {
        try (InputStream in = storage.open(media.getStorage().getKey(), null)) {
            return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxInputBytes + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What a conversion is named by: the original and what it is made to fit (channel, kind, target types, size limit),
     * so the same media converted again for the same rule (a redelivered record, a campaign) is the same rendition.
     */
    static String renditionName(MediaReceived received, FitPlan.Convert plan) {
        return received.getMedia().getMediaId() + ":" + received.getMedia().getChannel() + ":" + plan.kind() + ":"
                + String.join(",", plan.targets()) + ":" + plan.maxBytes();
    }

    /**
     * Stores the copy as a media of the tenant, with the metadata ingest serves it by. Its id is a name-based UUID (v3)
     * of {@code name}, so converting the same media for the same rule again (a redelivered record) overwrites the same
     * object with the same bytes instead of leaving an unreferenced copy.
     */
    private MediaRendition store(MediaReceived received, String name, byte[] bytes, String contentType, String from,
                                 String note) {
        MediaRef media = received.getMedia();
        String mediaId = UUID.nameUUIDFromBytes(("rendition:" + received.getTenantId() + ":" + name)
                .getBytes(StandardCharsets.UTF_8)).toString();
        String key = "tenants/" + received.getTenantId() + "/media/" + mediaId;
        String fileName = FitPlanner.renamed(media.getDeclaredFileName() == null ? "media" : media.getDeclaredFileName(),
                contentType);
        Map<String, String> metadata = new LinkedHashMap<>();
        put(metadata, "tenant", received.getTenantId());
        put(metadata, "conversation-id", media.getConversationId());
        put(metadata, "channel", String.valueOf(media.getChannel()));
        put(metadata, "direction", String.valueOf(media.getDirection()));
        put(metadata, "inbox-id", media.getInboxId());
        put(metadata, "file-name", fileName);
        put(metadata, "original-file-name", fileName);
        put(metadata, "declared-type", contentType);
        put(metadata, "sha256", sha256(bytes));
        put(metadata, "created-at", clock.instant().toString());
        put(metadata, "rendition-of", media.getMediaId());
        StoredObject stored = storage.put(key, new ByteArrayInputStream(bytes), contentType, metadata, bytes.length);
        return MediaRendition.newBuilder()
                .setMediaId(mediaId)
                .setStorage(StorageLocation.newBuilder().setBucket(stored.bucket()).setKey(stored.key())
                        .setEtag(stored.etag()).build())
                .setContentType(contentType)
                .setSize(stored.size())
                .setSha256(stored.sha256())
                .setFromContentType(from)
                .setFromSize(media.getSize())
                .setConversion(note)
                .build();
    }

    private static void put(Map<String, String> metadata, String key, String value) {
        if (value != null) {
            metadata.put(key, URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
