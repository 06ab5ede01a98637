package io.mediaplatform.schemas.registry;

/** A Schema Registry call failed; {@link #status()} is the HTTP status, or 0 when the registry was not reached. */
public class SchemaRegistryException extends RuntimeException {

    private final int status;

    public SchemaRegistryException(int status, String message) {
        super(message);
        this.status = status;
    }

    public SchemaRegistryException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
