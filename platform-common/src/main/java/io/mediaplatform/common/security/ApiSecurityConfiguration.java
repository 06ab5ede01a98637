package io.mediaplatform.common.security;

import io.mediaplatform.common.web.TransactionIds;

import io.mediaplatform.common.web.ContainerErrorConfiguration;
import io.mediaplatform.common.web.ProblemHandler;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.http.converter.HttpMessageConverter;

import java.util.List;

/** API-key authentication and problem-JSON errors for an HTTP edge. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
@Import({ProblemHandler.class, ContainerErrorConfiguration.class})
public class ApiSecurityConfiguration implements WebMvcConfigurer {

    @Bean
    ApiKeyRegistry apiKeyRegistry(SecurityProperties properties) {
        return ApiKeyRegistry.parse(properties.apiKeys());
    }

    @Bean
    FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(ApiKeyRegistry registry, SecurityProperties properties) {
        FilterRegistrationBean<ApiKeyFilter> registration = new FilterRegistrationBean<>(new ApiKeyFilter(registry, properties.publicPaths()));
        registration.addUrlPatterns("/v1/*");
        registration.setOrder(-100);
        return registration;
    }

    @Bean
    FilterRegistrationBean<TransactionIds> transactionIds() {
        FilterRegistrationBean<TransactionIds> registration = new FilterRegistrationBean<>(new TransactionIds());
        registration.addUrlPatterns("/*");
        registration.setOrder(-200);
        return registration;
    }

    /**
     * The edges speak JSON only. Spring adds XML converters whenever an XML mapper is on the class path (S3Proxy brings
     * one into the local stack's JVM), and a body posted as XML would then be read as if it were the JSON asked for;
     * without them it is a 415 problem, as it is in a service's own deployment.
     */
    @Override
    public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
        converters.removeIf(converter -> converter.getSupportedMediaTypes().stream()
                .anyMatch(type -> "xml".equals(type.getSubtype()) || type.getSubtype().endsWith("+xml")));
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new TenantArgumentResolver());
    }
}
