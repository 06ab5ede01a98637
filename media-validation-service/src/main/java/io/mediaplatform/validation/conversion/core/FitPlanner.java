package io.mediaplatform.validation.conversion.core;

import io.mediaplatform.validation.policy.core.AutoFit;
import io.mediaplatform.validation.policy.core.ContentProbe;
import io.mediaplatform.validation.policy.core.Decision;
import io.mediaplatform.validation.policy.core.FitRule;
import io.mediaplatform.validation.policy.core.Kind;
import io.mediaplatform.validation.policy.core.KindRule;
import io.mediaplatform.validation.policy.core.MediaChannel;
import io.mediaplatform.validation.policy.core.MediaDirection;
import io.mediaplatform.validation.policy.core.Reason;
import io.mediaplatform.validation.policy.core.ValidationRequest;
import io.mediaplatform.validation.policy.core.Validator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a judged media is converted instead of rejected, or copied without its location (ARCHITECTURE §5).
 * Only outbound media is touched; the rule's {@code auto-fit} (else the service default) must allow it.
 * <ul>
 *   <li>An outbound image rejected UNSUPPORTED_TYPE (its type not allowed) or TOO_LARGE is converted when it is a
 *       JPEG, PNG, WebP (still), GIF, BMP or TIFF, is not broken (a truncated PNG stays rejected), and the rules allow
 *       JPEG or PNG: to those types, under the strictest size limit of the channel and the profile. A sticker, an
 *       animated WebP, a kind the channel does not carry or a corrupt file keeps its rejection.</li>
 *   <li>An accepted outbound JPEG whose metadata names a location is copied without it when {@code strip-location}
 *       (else the service default) is on.</li>
 * </ul>
 * With auto-fit ALL and ffmpeg there, outbound video rejected UNSUPPORTED_TYPE, CODEC_UNSUPPORTED or TOO_LARGE becomes
 * H.264 + AAC MP4, and audio (WAV, WebM/Opus, AMR, MP3 or Opus in MP4, ...) the channel's audio: Opus in Ogg for
 * WhatsApp, else AAC in MP4 or MP3, where the rules take those types.
 * The converted copy is judged again by the same rules ({@link #renditionRequest}, {@link #outcome}).
 */
public final class FitPlanner {

    private static final Set<String> CONVERTIBLE = Set.of("image/jpeg", "image/png", "image/webp", "image/gif",
            "image/bmp", "image/tiff");
    private static final List<String> TARGETS = List.of("image/jpeg", "image/png");
    private static final Set<String> VIDEO_SOURCES = Set.of("video/mp4", "video/quicktime", "video/webm",
            "video/x-matroska", "video/3gpp");
    private static final Set<String> AUDIO_SOURCES = Set.of("audio/mp4", "audio/mpeg", "audio/wav", "audio/webm",
            "audio/ogg", "audio/aac", "audio/amr", "audio/x-matroska", "video/webm", "video/x-matroska", "video/mp4");

    private final Validator validator;
    private final FitDefaults defaults;
    private final boolean defaultStripLocation;
    private final boolean audioVideo;

    /**
     * @param validator            the validator whose rules the media was judged by
     * @param defaults             auto-fit where the policy sets none ({@code VALIDATION_AUTO_FIT}, per tenant
     *                             {@code VALIDATION_AUTO_FIT_TENANTS}); ALL converts audio and video only with
     *                             {@code audioVideo}
     * @param defaultStripLocation strip-location where the policy sets none ({@code VALIDATION_STRIP_LOCATION})
     * @param audioVideo           whether audio and video can be converted (ffmpeg is there); without it ALL acts as
     *                             IMAGES
     */
    public FitPlanner(Validator validator, FitDefaults defaults, boolean defaultStripLocation, boolean audioVideo) {
        this.validator = validator;
        this.defaults = defaults;
        this.defaultStripLocation = defaultStripLocation;
        this.audioVideo = audioVideo;
    }

    /** A planner with one default mode for every tenant. */
    public FitPlanner(Validator validator, AutoFit defaultAutoFit, boolean defaultStripLocation, boolean audioVideo) {
        this(validator, FitDefaults.of(defaultAutoFit), defaultStripLocation, audioVideo);
    }

    /** A planner for images only. */
    public FitPlanner(Validator validator, AutoFit defaultAutoFit, boolean defaultStripLocation) {
        this(validator, defaultAutoFit, defaultStripLocation, false);
    }

    /** What to do with the media after {@code decision}. */
    public FitPlan plan(ValidationRequest request, Decision decision) {
        if (request.direction() != MediaDirection.OUTBOUND) {
            return new FitPlan.Keep();
        }
        return switch (decision) {
            case Decision.Accepted accepted -> stripPlan(request, accepted);
            case Decision.Rejected rejected -> convertPlan(request, rejected);
        };
    }

    private FitPlan stripPlan(ValidationRequest request, Decision.Accepted accepted) {
        if (!"image/jpeg".equals(accepted.detectedType())) {
            return new FitPlan.Keep();
        }
        Optional<List<KindRule>> rules = validator.rulesFor(request, accepted.kind());
        FitRule fit = rules.map(found -> found.getFirst().fit()).orElse(FitRule.UNSET);
        boolean strip = fit.stripLocation() != null ? fit.stripLocation() : defaultStripLocation;
        return strip && request.probe().carriesLocation("image/jpeg") ? new FitPlan.StripLocation(accepted) : new FitPlan.Keep();
    }

    private FitPlan convertPlan(ValidationRequest request, Decision.Rejected rejected) {
        String from = Validator.effectiveType(request);
        Kind kind = Validator.kindOf(request, from);
        if (kind == Kind.VIDEO || kind == Kind.AUDIO) {
            return audioVideoPlan(request, rejected, from, kind);
        }
        if (rejected.reason() != Reason.UNSUPPORTED_TYPE && rejected.reason() != Reason.TOO_LARGE) {
            return new FitPlan.Keep();
        }
        if (kind != Kind.IMAGE || !CONVERTIBLE.contains(from)) {
            return new FitPlan.Keep();
        }
        Optional<List<KindRule>> found = validator.rulesFor(request, kind);
        if (found.isEmpty()) {
            return new FitPlan.Keep();
        }
        List<KindRule> rules = found.get();
        if (!autoFit(request, rules).images()) {
            return new FitPlan.Keep();
        }
        ContentProbe probe = request.probe();
        if (probe.structureProblem(from).isPresent() || probe.animated(from)) {
            return new FitPlan.Keep();
        }
        List<String> targets = new ArrayList<>();
        for (String target : TARGETS) {
            if (rules.stream().allMatch(rule -> rule.allows(target))) {
                targets.add(target);
            }
        }
        if (targets.isEmpty()) {
            return new FitPlan.Keep();
        }
        long maxBytes = rules.stream().mapToLong(KindRule::maxBytes).min().orElseThrow();
        return new FitPlan.Convert(rejected, kind, from, targets, maxBytes);
    }

    /**
     * Video (H.265, VP8/VP9, WebM, QuickTime) to H.264 + AAC MP4, audio (MP3 in MP4, WAV, WebM/Opus) to AAC MP4, where
     * auto-fit is ALL, ffmpeg is there and the rules take {@code video/mp4} / {@code audio/mp4}.
     */
    private FitPlan audioVideoPlan(ValidationRequest request, Decision.Rejected rejected, String from, Kind kind) {
        if (!audioVideo || (rejected.reason() != Reason.UNSUPPORTED_TYPE && rejected.reason() != Reason.CODEC_UNSUPPORTED
                && rejected.reason() != Reason.TOO_LARGE)) {
            return new FitPlan.Keep();
        }
        if (!(kind == Kind.VIDEO ? VIDEO_SOURCES : AUDIO_SOURCES).contains(from)) {
            return new FitPlan.Keep();
        }
        Optional<List<KindRule>> found = validator.rulesFor(request, kind);
        if (found.isEmpty()) {
            return new FitPlan.Keep();
        }
        List<String> targets = new ArrayList<>();
        for (String target : kind == Kind.VIDEO ? List.of("video/mp4") : audioTargets(request, rejected, from)) {
            if (found.get().stream().allMatch(rule -> rule.allows(target))) {
                targets.add(target);
            }
        }
        if (targets.isEmpty()) {
            return new FitPlan.Keep();
        }
        if (autoFit(request, found.get()) != AutoFit.ALL) {
            return new FitPlan.Keep();
        }
        long maxBytes = found.get().stream().mapToLong(KindRule::maxBytes).min().orElseThrow();
        return new FitPlan.Convert(rejected, kind, from, targets, maxBytes);
    }

    /**
     * The audio types a conversion may write, best first: for WhatsApp Opus in Ogg (what it plays as a voice note),
     * then AAC in MP4, then MP3; elsewhere AAC in MP4, MP3, then Ogg. An MP4 refused for its codec (MP3 or Opus
     * inside) becomes AAC in MP4 first.
     */
    private static List<String> audioTargets(ValidationRequest request, Decision.Rejected rejected, String from) {
        List<String> targets = new ArrayList<>(request.channel() == MediaChannel.WHATSAPP
                ? List.of("audio/ogg", "audio/mp4", "audio/mpeg") : List.of("audio/mp4", "audio/mpeg", "audio/ogg"));
        if (rejected.reason() == Reason.CODEC_UNSUPPORTED && from.endsWith("/mp4")) {
            targets.remove("audio/mp4");
            targets.addFirst("audio/mp4");
        }
        return targets;
    }

    /** The kind rule's auto-fit where the policy sets one, else the tenant's (and channel's) default, else the service's. */
    private AutoFit autoFit(ValidationRequest request, List<KindRule> rules) {
        AutoFit set = rules.getFirst().fit().autoFit();
        return set != null ? set : defaults.modeFor(request.tenantId(), request.channel());
    }

    /**
     * The request that judges a converted copy: the original's, with the copy's type declared (and the file name's
     * extension changed to it), its size and a probe over its bytes.
     */
    public static ValidationRequest renditionRequest(ValidationRequest original, String type, long size, ContentProbe probe) {
        return new ValidationRequest(original.tenantId(), original.channel(), original.direction(), original.declaredKind(),
                type, renamed(original.declaredFileName(), type), type, size, original.inbox(), probe);
    }

    /**
     * The decision that stands after a conversion: the copy's acceptance, or the original rejection with why the copy
     * does not fit either.
     */
    public static Decision outcome(FitPlan.Convert plan, String type, Decision onCopy) {
        return switch (onCopy) {
            case Decision.Accepted accepted -> accepted;
            case Decision.Rejected still -> failed(plan, "the converted " + type + " still breaks a rule (" + still.message() + ")");
        };
    }

    /** The original rejection, with why auto-fit could not cure it. */
    public static Decision.Rejected failed(FitPlan.Convert plan, String why) {
        return new Decision.Rejected(plan.because().reason(), plan.because().message()
                + "; auto-fit could not fix it: " + why, plan.because().customerMessage());
    }

    /** The file name with the extension of the type ({@code photo.webp} as {@code photo.jpg}); null stays null. */
    public static String renamed(String fileName, String type) {
        if (fileName == null) {
            return null;
        }
        String extension = switch (type) {
            case "image/jpeg" -> ".jpg";
            case "image/png" -> ".png";
            case "video/mp4" -> ".mp4";
            case "audio/mp4" -> ".m4a";
            case "audio/ogg" -> ".ogg";
            case "audio/mpeg" -> ".mp3";
            default -> "";
        };
        int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        int dot = fileName.lastIndexOf('.');
        String stem = dot > slash + 1 ? fileName.substring(0, dot) : fileName;
        return stem + extension;
    }
}
