package io.mediaplatform.validation.policy.core;

/**
 * A kind's auto-fit settings as the policy gives them; a null field is not set there and takes the service's default
 * ({@code VALIDATION_AUTO_FIT}, {@code VALIDATION_STRIP_LOCATION}).
 *
 * @param autoFit       whether to convert media that breaks the rule, or null
 * @param stripLocation whether outbound JPEGs lose their location metadata (EXIF, XMP) before they are sent, or null
 */
public record FitRule(AutoFit autoFit, Boolean stripLocation) {

    /** Nothing set: the defaults apply. */
    public static final FitRule UNSET = new FitRule(null, null);

    /** These settings, with the fields left unset here taken from {@code base}. */
    public FitRule over(FitRule base) {
        if (base == null) {
            return this;
        }
        return new FitRule(autoFit != null ? autoFit : base.autoFit(), stripLocation != null ? stripLocation : base.stripLocation());
    }
}
