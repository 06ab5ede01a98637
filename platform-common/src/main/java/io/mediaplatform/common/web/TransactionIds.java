package io.mediaplatform.common.web;

import io.mediaplatform.common.tracing.Traces;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Names every HTTP request of an edge: the trace id of the request's server span (which continues a W3C
 * {@code traceparent} the caller sent), written as a UUID so it reads like the ids the platform makes; without
 * tracing, the trace id of the caller's {@code traceparent}, else a new UUID. It is the {@code meta.transactionId} of an answer
 * and the {@code transactionId} of a problem, it comes back in the {@code Transaction-Id} header of every answer
 * (2xx and 4xx alike), and it is the {@code transactionId} field of every log line written while the request is
 * served; ingest also gives it as the event id of the command a {@code POST /v1/messages} puts on Kafka.
 */
public final class TransactionIds extends OncePerRequestFilter {

    /** The response header that repeats the id. */
    public static final String HEADER = "Transaction-Id";
    /** The log (MDC) field that carries it. */
    public static final String LOG_FIELD = "transactionId";
    private static final String ATTRIBUTE = TransactionIds.class.getName();
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = Traces.currentTraceId()
                .or(() -> fromTraceparent(request.getHeader("traceparent")))
                .orElseGet(() -> UUID.randomUUID().toString());
        request.setAttribute(ATTRIBUTE, id);
        response.setHeader(HEADER, id);
        MDC.put(LOG_FIELD, id);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(LOG_FIELD);
        }
    }

    /** The id of the request being served on this thread, or a new one outside any request. */
    public static String current() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        Object id = attributes == null ? null : attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        return id instanceof String known ? known : UUID.randomUUID().toString();
    }

    /** The id of {@code request}, once this filter has named it (null before). */
    public static String of(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof String known ? known : null;
    }

    /** The trace id of a valid {@code traceparent} (version-traceid-parentid-flags, not all zeros), as a UUID. */
    static Optional<String> fromTraceparent(String header) {
        if (header == null) {
            return Optional.empty();
        }
        var matcher = TRACEPARENT.matcher(header.trim());
        if (!matcher.matches() || matcher.group(1).chars().allMatch(c -> c == '0')) {
            return Optional.empty();
        }
        String t = matcher.group(1);
        return Optional.of(t.substring(0, 8) + "-" + t.substring(8, 12) + "-" + t.substring(12, 16) + "-"
                + t.substring(16, 20) + "-" + t.substring(20));
    }
}
