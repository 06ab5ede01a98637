package io.mediaplatform.ingest.config;

import io.mediaplatform.ingest.cors.core.AllowedOrigins;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

import java.time.Duration;
import java.util.List;

/**
 * CORS for the operator console (ARCHITECTURE §17): a filter ahead of the API-key filter, so a preflight
 * ({@code OPTIONS}, which browsers send without the key) is answered here and never reaches it, and every answer to an
 * allowed origin (a 401 problem too) carries the headers the page needs to read it. Without
 * {@code INGEST_CORS_ALLOWED_ORIGINS} the filter is not there: no CORS header at all.
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
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(source));
        registration.addUrlPatterns("/v1/*");
        registration.setOrder(-150); // after Transaction-Id (-200), before the API-key filter (-100)
        registration.setEnabled(origins.enabled());
        return registration;
    }
}
