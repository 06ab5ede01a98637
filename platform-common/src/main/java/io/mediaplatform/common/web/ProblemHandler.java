package io.mediaplatform.common.web;

import io.mediaplatform.common.storage.ObjectTooLargeException;
import io.mediaplatform.common.storage.UploadMemoryBusyException;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.net.URI;

/**
 * Every error of every edge as RFC 9457 problem JSON: the platform's own {@link ProblemException}s,
 * Spring MVC's (bad JSON, missing parameters, wrong content type, unknown path, ...), and anything
 * unexpected as a 500 that tells nothing internal.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> problem(ProblemException e) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        body.setType(URI.create("/problems/" + e.slug()));
        body.setTitle(e.title());
        e.properties().forEach(body::setProperty);
        body.setProperty("transactionId", TransactionIds.current());
        return ResponseEntity.status(e.status()).headers(e.headers()).contentType(PROBLEM_JSON).body(body);
    }

    @ExceptionHandler(ObjectTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(ObjectTooLargeException e) {
        return problem(new ProblemException(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Content too large", e.getMessage())
                .with("limit", e.limit()));
    }

    /** The service is receiving as many upload bytes as it may hold: nothing was kept; the same upload soon will go. */
    @ExceptionHandler(UploadMemoryBusyException.class)
    ResponseEntity<ProblemDetail> uploadsBusy(UploadMemoryBusyException e) {
        return problem(new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "uploads-busy", "Uploads busy",
                "The service is receiving as many uploads at once as its memory allows (S3_UPLOAD_MEMORY); nothing of"
                        + " this one was kept. Send it again after Retry-After.").header(HttpHeaders.RETRY_AFTER, "5"));
    }

    /**
     * A query string or form body Tomcat cannot decode (a broken escape such as {@code %ZZ}, or bytes that are not
     * UTF-8): the client's mistake, told as a 400. The parameter's value is not repeated, as it may be personal data.
     */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> badParameters(InvalidParameterException e) {
        return problem(ProblemException.badRequest(
                "The query string or form body is not valid percent-encoded UTF-8 (RFC 3986): every '%' must start an"
                        + " escape of two hex digits, and the bytes they give must be UTF-8"));
    }

    /**
     * Anything unexpected: a 500 problem. Once the response is committed (a body is being streamed) no problem can be
     * told any more, and writing one would append it to the bytes already sent: the exception is passed on to the
     * container instead, which closes the connection, so the client sees a broken answer and never a complete-looking
     * short one.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletResponse response) throws Exception {
        if (response != null && response.isCommitted()) {
            throw e;
        }
        log.error("Unexpected error", e);
        return problem(new ProblemException(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "The request could not be completed; it was logged."));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail detail) {
            detail.setProperty("transactionId", TransactionIds.current());
            if (detail.getType() == null || "about:blank".equals(detail.getType().toString())) {
                detail.setType(URI.create("/problems/" + slug(statusCode)));
            }
            HttpHeaders out = new HttpHeaders();
            out.putAll(response.getHeaders());
            out.setContentType(PROBLEM_JSON);
            return new ResponseEntity<>(detail, out, response.getStatusCode());
        }
        return response;
    }

    private static String slug(HttpStatusCode status) {
        HttpStatus resolved = HttpStatus.resolve(status.value());
        String name = resolved == null ? "error-" + status.value() : resolved.name();
        return name.toLowerCase().replace('_', '-');
    }
}
