package io.mediaplatform.ingest.config;

import io.mediaplatform.ingest.cors.core.AllowedOrigins;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * CORS for the operator console (ARCHITECTURE §17): a filter ahead of the API-key filter, so a preflight
 * ({@code OPTIONS}, which browsers send without the key) is answered here and never reaches it, and every answer to an
 * allowed origin (a 401 problem too) carries the headers the page needs to read it. Without
 * {@code INGEST_CORS_ALLOWED_ORIGINS} the filter is not there: no CORS header at all. A request from another origin,
 * or a preflight asking for a method or header the console does not use, is refused with a 403 problem (not the
 * servlet's plain "Invalid CORS request").
 */
@Configuration(proxyBeanMethods = false)
public class CorsConfiguration {

    @Bean
    AllowedOrigins allowedOrigins(IngestProperties properties) {
        return AllowedOrigins.parse(properties.cors().allowedOrigins());
    }

    @Bean
    FilterRegistrationBean<CorsFilter> consoleCorsFilter(AllowedOrigins origins) {
        org.springframework.web.cors.CorsConfiguration cors = new org.springframework.web.cors.CorsConfiguration();
        cors.setAllowedOrigins(origins.origins());
        cors.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"));
        cors.setAllowedHeaders(AllowedOrigins.REQUEST_HEADERS);
        cors.setExposedHeaders(AllowedOrigins.EXPOSED_HEADERS);
        cors.setAllowCredentials(false); // the key travels in Authorization, never in a cookie
        cors.setMaxAge(Duration.ofMinutes(10));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/v1/**", cors);
        CorsFilter filter = new CorsFilter(source);
        filter.setCorsProcessor(new ProblemCorsProcessor());
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/v1/*");
        registration.setOrder(-150); // after Transaction-Id (-200), before the API-key filter (-100)
        registration.setEnabled(origins.enabled());
        return registration;
    }

    /** Spring's CORS checks, with the refusal written as RFC 9457 problem JSON like every other answer of the edge. */
    static final class ProblemCorsProcessor extends DefaultCorsProcessor {
        @Override
        protected void rejectRequest(ServerHttpResponse response) throws IOException {
            response.setStatusCode(HttpStatus.FORBIDDEN);
            response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            response.getBody().write(("{\"type\":\"/problems/cors-refused\",\"title\":\"Forbidden\",\"status\":403,"
                    + "\"detail\":\"This origin, method or header is not allowed to call the API from a browser "
                    + "(INGEST_CORS_ALLOWED_ORIGINS)\"}").getBytes(StandardCharsets.UTF_8));
            response.flush();
        }
    }
}
