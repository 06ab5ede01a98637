package io.mediaplatform.validation.policy.core;

import io.mediaplatform.validation.inbox.core.InboxMediaRules;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Decides one media against the media policy and the inbox's switches (docs/ARCHITECTURE.md §5). Checks in order:
 * <ol>
 *   <li>inbox switches: inbound with receive off, or outbound with send off: MEDIA_DISABLED (first, so the
 *       customer always gets the inbox's message, whatever the file);</li>
 *   <li>size 0: EMPTY;</li>
 *   <li>a declared content type or a file extension that disagrees with the detected type: TYPE_MISMATCH;</li>
 *   <li>a detected type the channel does not allow for the kind (or a kind the channel does not carry):
 *       UNSUPPORTED_TYPE;</li>
 *   <li>bytes whose structure is broken for their type (a PNG without its {@code IEND} chunk, a JPEG not
 *       ending with {@code FFD9}): UNSUPPORTED_TYPE, "truncated or corrupt ...";</li>
 *   <li>larger than the kind's limit (the animated limit for an animated sticker): TOO_LARGE, naming the limit;</li>
 *   <li>an ISO base media file whose video or audio codec the kind's codec rule does not allow (or a video
 *       without a video track, or no readable {@code moov}): CODEC_UNSUPPORTED, naming the codec.</li>
 * </ol>
 * The rule is the tenant's override when the policy has one, else the channel default. When a named profile applies
 * (the inbox's, else the tenant's) the media must then fit the profile's rule for its kind the same way (types,
 * size, codecs): the stricter of the two wins, and a kind the profile does not carry is UNSUPPORTED_TYPE. The
 * {@link ContentProbe} is asked only when a check needs it, so a media rejected early costs no more reads.
 * With no declared kind the kind follows from the detected type ({@link MediaTypes#kindOf}).
 */
public final class Validator {

    private final MediaPolicy policy;

    public Validator(MediaPolicy policy) {
        this.policy = policy;
    }

    /** The decision for that media. */
    public Decision decide(ValidationRequest request) {
        InboxMediaRules inbox = request.inbox() == null ? InboxMediaRules.open(null) : request.inbox();
        if (request.direction() == MediaDirection.INBOUND && !inbox.receiveEnabled()) {
            return new Decision.Rejected(Reason.MEDIA_DISABLED,
                    "Inbox " + inbox.inboxId() + " does not accept media from customers", inbox.rejectionMessage());
        }
        if (request.direction() == MediaDirection.OUTBOUND && !inbox.sendEnabled()) {
            return new Decision.Rejected(Reason.MEDIA_DISABLED,
                    "Inbox " + inbox.inboxId() + " does not allow sending media");
        }
        if (request.size() <= 0) {
            return new Decision.Rejected(Reason.EMPTY, "The file is empty");
        }

        String effective = effectiveType(request);
        String declared = MediaTypes.normalise(request.declaredContentType());
        Optional<String> byExtension = MediaTypes.forFileName(request.declaredFileName());

        if (!MediaTypes.isGeneric(declared) && !MediaTypes.agree(declared, effective)) {
            return new Decision.Rejected(Reason.TYPE_MISMATCH,
                    "Declared type " + declared + " does not match the content, which is " + effective);
        }
        if (byExtension.isPresent() && !MediaTypes.agree(byExtension.get(), effective)) {
            return new Decision.Rejected(Reason.TYPE_MISMATCH,
                    "File name " + request.declaredFileName() + " suggests " + byExtension.get()
                            + " but the content is " + effective);
        }

        if (request.channel() == null) {
            return new Decision.Rejected(Reason.UNSUPPORTED_TYPE, "No media policy for this channel");
        }
        Kind kind = kindOf(request, effective);
        Optional<KindRule> found = policy.rule(request.tenantId(), request.channel(), kind);
        if (found.isEmpty()) {
            return new Decision.Rejected(Reason.UNSUPPORTED_TYPE, request.channel() + " does not carry " + kind.label() + " media");
        }
        String channelWhere = request.channel() + " " + kind.label();
        Optional<Decision.Rejected> problem = fits(found.get().forDirection(request.direction()), request, effective, kind,
                channelWhere, request.channel() + " animated " + kind.label(), true);
        if (problem.isPresent()) {
            return problem.get();
        }
        Optional<String> profileName = policy.profileFor(request.tenantId(), inbox.profile());
        if (profileName.isPresent()) {
            String name = profileName.get();
            Optional<ChannelRules> profile = policy.profile(name);
            if (profile.isEmpty()) {
                return new Decision.Rejected(Reason.UNSUPPORTED_TYPE, "The media profile " + name
                        + " named for inbox " + inbox.inboxId() + " is not defined, so no media can be judged by it");
            }
            Optional<KindRule> profileRule = profile.get().rule(kind);
            if (profileRule.isEmpty()) {
                return new Decision.Rejected(Reason.UNSUPPORTED_TYPE,
                        "The " + name + " media profile does not carry " + kind.label() + " media");
            }
            String profileWhere = kind.label() + " media under the " + name + " profile";
            problem = fits(profileRule.get().forDirection(request.direction()), request, effective, kind, profileWhere,
                    "animated " + profileWhere, false);
            if (problem.isPresent()) {
                return problem.get();
            }
        }
        return new Decision.Accepted(kind, effective);
    }

    /** The type the media is judged by: the detected one, narrowed by the declared type or name ({@link MediaTypes#effective}). */
    public static String effectiveType(ValidationRequest request) {
        String detected = Optional.ofNullable(MediaTypes.normalise(request.detectedContentType())).orElse(MediaTypes.UNKNOWN);
        String declared = MediaTypes.normalise(request.declaredContentType());
        String claimed = !MediaTypes.isGeneric(declared) ? declared
                : MediaTypes.forFileName(request.declaredFileName()).orElse(null);
        return MediaTypes.effective(detected, claimed);
    }

    /** The kind the media is judged as: the declared one, else the one its type stands for. */
    public static Kind kindOf(ValidationRequest request, String effective) {
        return request.declaredKind() != null ? request.declaredKind() : MediaTypes.kindOf(effective);
    }

    /**
     * The rules media of that kind must meet on its way: the channel's (for its direction) and, when a defined profile
     * applies, the profile's; empty when the channel does not carry the kind or a named profile is missing or lacks it.
     */
    public Optional<List<KindRule>> rulesFor(ValidationRequest request, Kind kind) {
        if (request.channel() == null) {
            return Optional.empty();
        }
        Optional<KindRule> channelRule = policy.rule(request.tenantId(), request.channel(), kind);
        if (channelRule.isEmpty()) {
            return Optional.empty();
        }
        InboxMediaRules inbox = request.inbox() == null ? InboxMediaRules.open(null) : request.inbox();
        Optional<String> profileName = policy.profileFor(request.tenantId(), inbox.profile());
        if (profileName.isEmpty()) {
            return Optional.of(List.of(channelRule.get().forDirection(request.direction())));
        }
        return policy.profile(profileName.get()).flatMap(profile -> profile.rule(kind))
                .map(profileRule -> List.of(channelRule.get().forDirection(request.direction()),
                        profileRule.forDirection(request.direction())));
    }

    /**
     * Why the media breaks the rule (type, structure when {@code structure}, size, codecs), named {@code where} (and
     * {@code animatedWhere} for an animation over its size limit); empty when it fits.
     */
    private static Optional<Decision.Rejected> fits(KindRule rule, ValidationRequest request, String effective, Kind kind,
                                                    String where, String animatedWhere, boolean structure) {
        if (!rule.allows(effective)) {
            return Optional.of(new Decision.Rejected(Reason.UNSUPPORTED_TYPE,
                    effective + " is not allowed for " + where + " (allowed: "
                            + String.join(", ", new TreeSet<>(rule.contentTypes())) + ")"));
        }
        ContentProbe probe = request.probe();
        Optional<String> broken = structure ? probe.structureProblem(effective) : Optional.empty();
        if (broken.isPresent()) {
            return Optional.of(new Decision.Rejected(Reason.UNSUPPORTED_TYPE, broken.get()));
        }
        boolean animated = rule.animatedMaxBytes() > 0 && probe.animated(effective);
        if (request.size() > rule.limit(animated)) {
            return Optional.of(new Decision.Rejected(Reason.TOO_LARGE, humanSize(request.size()) + " is over the "
                    + humanSize(rule.limit(animated)) + " limit for " + (animated ? animatedWhere : where)));
        }
        if (rule.codecs().restricts()) {
            Optional<String> codecProblem = probe.tracks(effective).flatMap(tracks -> codecProblem(tracks, rule.codecs(), kind, where));
            if (codecProblem.isPresent()) {
                return Optional.of(new Decision.Rejected(Reason.CODEC_UNSUPPORTED, codecProblem.get()));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> codecProblem(MediaTracks tracks, CodecRule codecs, Kind kind, String where) {
        if (tracks.problem() != null) {
            return Optional.of("The tracks could not be read (" + tracks.problem() + ")");
        }
        List<MediaTracks.Track> video = tracks.ofType(MediaTracks.Track.Type.VIDEO);
        List<MediaTracks.Track> audio = tracks.ofType(MediaTracks.Track.Type.AUDIO);
        if (kind == Kind.VIDEO && video.isEmpty()) {
            return Optional.of("No video track found; " + where + " needs " + allowed(codecs.video()) + " video");
        }
        for (MediaTracks.Track track : video) {
            if (!codecs.video().isEmpty() && !codecs.video().contains(track.codec())) {
                return Optional.of("Video codec " + track.codec() + " is not supported for " + where
                        + " (supported: " + allowed(codecs.video()) + ")");
            }
        }
        for (MediaTracks.Track track : audio) {
            if (!codecs.audio().isEmpty() && !codecs.audio().contains(track.codec())) {
                return Optional.of("Audio codec " + track.codec() + " is not supported for " + where
                        + " (supported: " + allowed(codecs.audio()) + ")");
            }
        }
        return Optional.empty();
    }

    private static String allowed(java.util.Set<String> codecs) {
        return codecs.isEmpty() ? "any" : String.join(", ", new TreeSet<>(codecs));
    }

    /** Bytes in words with binary units: {@code 5 MB}, {@code 100 KB}, {@code 5.3 MB}, {@code 812 bytes}. */
    public static String humanSize(long bytes) {
        String[] units = {"GB", "MB", "KB"};
        long[] factors = {1L << 30, 1L << 20, 1L << 10};
        for (int i = 0; i < units.length; i++) {
            if (bytes >= factors[i]) {
                if (bytes % factors[i] == 0) {
                    return bytes / factors[i] + " " + units[i];
                }
                return String.format(Locale.ROOT, "%.1f %s", bytes / (double) factors[i], units[i]);
            }
        }
        return bytes + " bytes";
    }
}
