package io.mediaplatform.common.security;

import io.mediaplatform.common.web.ProblemException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Authenticates every {@code /v1/**} request by {@code Authorization: Bearer <key>} and puts the
 * {@link AuthenticatedTenant} on the request. A missing or unknown key is a 401 problem. Public paths may
 * go without a key; when one is given there it must still be valid.
 */
public class ApiKeyFilter extends OncePerRequestFilter {

    public static final String TENANT_ATTRIBUTE = AuthenticatedTenant.class.getName();

    private final ApiKeyRegistry registry;
    private final List<String> publicPaths;
    private final AntPathMatcher matcher = new AntPathMatcher();

    public ApiKeyFilter(ApiKeyRegistry registry, List<String> publicPaths) {
        this.registry = registry;
        this.publicPaths = publicPaths;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        boolean isPublic = publicPaths.stream().anyMatch(p -> matcher.match(p, request.getRequestURI()));
        if (header == null && isPublic) {
            chain.doFilter(request, response);
            return;
        }
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            reject(request, response, "Missing API key: send Authorization: Bearer <key>");
            return;
        }
        Optional<AuthenticatedTenant> tenant = registry.authenticate(header.substring(7));
        if (tenant.isEmpty()) {
            reject(request, response, "Unknown API key");
            return;
        }
        request.setAttribute(TENANT_ATTRIBUTE, tenant.get());
        // The tenant is a field of every log line written while the request is served.
        org.slf4j.MDC.put(io.mediaplatform.common.kafka.EventLogFields.TENANT, tenant.get().tenantId());
        try {
            chain.doFilter(request, response);
        } finally {
            org.slf4j.MDC.remove(io.mediaplatform.common.kafka.EventLogFields.TENANT);
        }
    }

    /** A 401 problem with the same members as every other problem: the path as its instance, the transaction id. */
    private static void reject(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        ProblemException problem = ProblemException.unauthorized(detail);
        response.setStatus(problem.status().value());
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        String transactionId = io.mediaplatform.common.web.TransactionIds.of(request);
        response.getWriter().write("{\"type\":\"/problems/unauthorized\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\""
                + detail + "\",\"instance\":\"" + jsonString(request.getRequestURI()) + "\""
                + (transactionId == null ? "" : ",\"transactionId\":\"" + transactionId + "\"") + "}");
    }

    /** {@code value} escaped for a JSON string: quotes, backslashes and control characters. */
    private static String jsonString(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
