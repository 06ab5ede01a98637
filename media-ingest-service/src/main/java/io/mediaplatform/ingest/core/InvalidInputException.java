package io.mediaplatform.ingest.core;

/** A client input broke a rule; {@link #field()} names the offending field so the edge can say which. */
public class InvalidInputException extends RuntimeException {

    private final String field;

    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request field at fault (JSON path or form field name). */
    public String field() {
        return field;
    }
}
