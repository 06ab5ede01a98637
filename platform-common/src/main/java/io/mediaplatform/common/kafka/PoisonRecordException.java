package io.mediaplatform.common.kafka;

/**
 * Thrown by a listener for a record that can never be processed (an invalid command, a broken reference):
 * it is not retried and goes straight to the topic's {@code .dlt}, with this message in the
 * {@code kafka_dlt-exception-message} header and {@link #reasonCode()} as the reason.
 */
public class PoisonRecordException extends RuntimeException {

    private final String reasonCode;

    public PoisonRecordException(String reasonCode, String message) {
        super(reasonCode + ": " + message);
        this.reasonCode = reasonCode;
    }

    public String reasonCode() {
        return reasonCode;
    }
}
