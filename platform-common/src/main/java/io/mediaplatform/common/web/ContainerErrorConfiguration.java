package io.mediaplatform.common.web;

import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts {@link ProblemReportValve} in place of Tomcat's HTML error report valve on the host, just before the host
 * starts (after every other customizer, Spring Boot's own ErrorReportValve included, has run).
 */
@Configuration(proxyBeanMethods = false)
public class ContainerErrorConfiguration {

    /** Each service's OpenAPI document ({@code /openapi.yaml}) as {@code application/yaml} (RFC 9512), not octet-stream. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> yamlMimeType() {
        return factory -> factory.addContextCustomizers((TomcatContextCustomizer) context -> {
            context.addMimeMapping("yaml", "application/yaml");
            context.addMimeMapping("yml", "application/yaml");
        });
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemJsonContainerErrors() {
        return factory -> factory.addContextCustomizers((TomcatContextCustomizer) context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.addLifecycleListener(event -> {
                    if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                        for (Valve valve : host.getPipeline().getValves()) {
                            if (valve instanceof ErrorReportValve && !(valve instanceof ProblemReportValve)) {
                                host.getPipeline().removeValve(valve);
                            }
                        }
                        host.setErrorReportValveClass(ProblemReportValve.class.getName());
                    }
                });
            }
        });
    }
}
