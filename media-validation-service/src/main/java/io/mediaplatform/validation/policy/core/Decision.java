package io.mediaplatform.validation.policy.core;

/** What validation decided about one media. */
public sealed interface Decision {

    /**
     * The media passed every check.
     *
     * @param kind         the kind it is accepted as
     * @param detectedType the content type it was judged by (from the bytes)
     */
    record Accepted(Kind kind, String detectedType) implements Decision {
    }

    /**
     * The media broke a rule.
     *
     * @param reason          reason code
     * @param message         human explanation (e.g. the limit that was passed)
     * @param customerMessage the inbox's message for the customer (MEDIA_DISABLED on inbound media), or null
     */
    record Rejected(Reason reason, String message, String customerMessage) implements Decision {

        public Rejected(Reason reason, String message) {
            this(reason, message, null);
        }
    }
}
