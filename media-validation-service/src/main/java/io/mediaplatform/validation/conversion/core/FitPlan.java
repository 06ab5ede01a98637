package io.mediaplatform.validation.conversion.core;

import io.mediaplatform.validation.policy.core.Decision;
import io.mediaplatform.validation.policy.core.Kind;

import java.util.List;

/** What auto-fit does with one media after the policy has judged it (ARCHITECTURE §5). */
public sealed interface FitPlan {

    /** Nothing: the decision stands as it is. */
    record Keep() implements FitPlan {
    }

    /**
     * Convert the media (an image in the JVM; video and audio with ffmpeg) so it fits the rule it broke.
     *
     * @param because  the rejection the conversion is to cure (it stands, with why, when the conversion fails)
     * @param kind     the kind the media is sent as
     * @param from     the image's type (from its bytes)
     * @param targets  the types the rule allows that a conversion may write, best first ({@code image/jpeg},
     *                 {@code image/png}; PNG is chosen over JPEG only for an image with transparency; {@code video/mp4}
     *                 or {@code audio/mp4})
     * @param maxBytes the largest size the result may have (the strictest of the rules that apply)
     */
    record Convert(Decision.Rejected because, Kind kind, String from, List<String> targets, long maxBytes) implements FitPlan {
        public Convert {
            targets = List.copyOf(targets);
        }
    }

    /**
     * Send a copy of the accepted JPEG without its location metadata (EXIF, XMP), the image data unchanged.
     *
     * @param accepted the decision that stands for the copy
     */
    record StripLocation(Decision.Accepted accepted) implements FitPlan {
    }
}
