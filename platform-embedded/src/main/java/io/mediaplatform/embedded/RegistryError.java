package io.mediaplatform.embedded;

/** An answer with an error status and Confluent error code. */
final class RegistryError extends RuntimeException {
    /** The HTTP status. */
    final int status;
    /** Confluent's error code. */
    final int errorCode;

    RegistryError(int status, int errorCode, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
    }
}
