package io.mediaplatform.common.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error the edge answers as RFC 9457 problem JSON: {@code type} is {@code /problems/<slug>},
 * {@code title} a short summary, {@code detail} what exactly went wrong for this request.
 */
public class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String slug;
    private final String title;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final HttpHeaders headers = new HttpHeaders();

    public ProblemException(HttpStatus status, String slug, String title, String detail) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
    }

    public static ProblemException notFound(String what, String id) {
        return new ProblemException(HttpStatus.NOT_FOUND, "not-found", what + " not found", "No " + what.toLowerCase() + " with id " + id);
    }

    public static ProblemException unauthorized(String detail) {
        ProblemException problem = new ProblemException(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail);
        problem.headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return problem;
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
    }

    /** Adds a member to the problem JSON (e.g. {@code limit}, {@code reason}). */
    public ProblemException with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    /** Adds a response header (e.g. {@code Retry-After}). */
    public ProblemException header(String name, String value) {
        headers.set(name, value);
        return this;
    }

    public HttpStatus status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    public HttpHeaders headers() {
        return headers;
    }
}
