package io.mediaplatform.validation.policy.core;

import io.mediaplatform.validation.inbox.core.InboxMediaRules;

import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Decides one media against the media policy and the inbox's switches (DESIGN §5). Checks in order:
 * <ol>
 *   <li>inbox switches: inbound with receive off, or outbound with send off: MEDIA_DISABLED (first, so the
 *       customer always gets the inbox's message, whatever the file);</li>
 *   <li>size 0: EMPTY;</li>
 *   <li>a declared content type or a file extension that disagrees with the detected type: TYPE_MISMATCH;</li>
 *   <li>a detected type the channel does not allow for the kind (or a kind the channel does not carry):
 *       UNSUPPORTED_TYPE;</li>
 *   <li>larger than the kind's limit: TOO_LARGE, naming the limit.</li>
 * </ol>
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

        String detected = Optional.ofNullable(MediaTypes.normalise(request.detectedContentType())).orElse(MediaTypes.UNKNOWN);
        String declared = MediaTypes.normalise(request.declaredContentType());
        Optional<String> byExtension = MediaTypes.forFileName(request.declaredFileName());
        String claimed = !MediaTypes.isGeneric(declared) ? declared : byExtension.orElse(null);
        String effective = MediaTypes.effective(detected, claimed);

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
        Kind kind = request.declaredKind() != null ? request.declaredKind() : MediaTypes.kindOf(effective);
        String where = request.channel() + " " + kind.label();
        Optional<KindRule> rule = policy.rules(request.channel()).flatMap(rules -> rules.rule(kind));
        if (rule.isEmpty()) {
            return new Decision.Rejected(Reason.UNSUPPORTED_TYPE, request.channel() + " does not carry " + kind.label() + " media");
        }
        if (!rule.get().allows(effective)) {
            return new Decision.Rejected(Reason.UNSUPPORTED_TYPE,
                    effective + " is not allowed for " + where + " (allowed: "
                            + String.join(", ", new TreeSet<>(rule.get().contentTypes())) + ")");
        }
        if (request.size() > rule.get().maxBytes()) {
            return new Decision.Rejected(Reason.TOO_LARGE,
                    humanSize(request.size()) + " is over the " + humanSize(rule.get().maxBytes()) + " limit for " + where);
        }
        return new Decision.Accepted(kind, effective);
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
