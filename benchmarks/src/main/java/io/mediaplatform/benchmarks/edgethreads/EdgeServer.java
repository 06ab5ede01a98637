package io.mediaplatform.benchmarks.edgethreads;

import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.apache.tomcat.util.threads.VirtualThreadExecutor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small Spring Boot MVC edge on embedded Tomcat, {@code 127.0.0.1} and a free port, whose one endpoint does what
 * an ingest request does while it waits: {@code POST /v1/messages} (a JSON message) makes a blocking call to the
 * {@link SlowDownstream} (standing in for the S3 upload and the Kafka ack), then answers {@code 202 Accepted}
 * ({@code 502} when the downstream call fails). The same application, endpoint and Tomcat for both thread models;
 * only {@code spring.threads.virtual.enabled} differs:
 * <ul>
 *   <li>{@link Threads#VIRTUAL}: {@code true}, as {@code platform-common.yml} sets it for every service (Boot gives
 *       Tomcat a virtual thread per request);</li>
 *   <li>{@link Threads#PLATFORM}: {@code false}, Tomcat's default pool of platform threads (at most 200).</li>
 * </ul>
 * Only the web auto-configurations are imported (nothing else on the benchmarks' classpath, such as Kafka or
 * actuator, takes part). The downstream client is a JDK {@link HttpClient} whose internal executor runs on virtual
 * threads in both, so the platform threads the JVM counts are Tomcat's.
 */
public final class EdgeServer implements AutoCloseable {

    /** How Tomcat runs the requests. */
    public enum Threads {
        VIRTUAL, PLATFORM
    }

    private final ConfigurableApplicationContext context;
    private final InFlight inFlight;

    private EdgeServer(ConfigurableApplicationContext context) {
        this.context = context;
        this.inFlight = context.getBean(InFlight.class);
    }

    /** Starts the edge calling {@code downstream} for every request. */
    public static EdgeServer start(Threads threads, URI downstream) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(EdgeApplication.class)
                .web(WebApplicationType.SERVLET).bannerMode(Banner.Mode.OFF).logStartupInfo(false)
                .registerShutdownHook(false);
        // Command-line arguments: above environment variables such as SERVER_PORT.
        ConfigurableApplicationContext context = application.run(
                "--spring.application.name=edge-" + threads.name().toLowerCase(java.util.Locale.ROOT),
                "--spring.threads.virtual.enabled=" + (threads == Threads.VIRTUAL),
                "--server.address=127.0.0.1", "--server.port=0",
                "--edge.downstream-uri=" + downstream);
        return new EdgeServer(context);
    }

    /** Where to send the load, e.g. {@code http://127.0.0.1:41234/v1/messages}. */
    public URI messagesUri() {
        return URI.create("http://127.0.0.1:" + webServer().getPort() + "/v1/messages");
    }

    /** What runs Tomcat's requests, as Tomcat reports it, e.g. "platform thread pool (max 200)". */
    public String requestThreads() {
        Executor executor = webServer().getTomcat().getConnector().getProtocolHandler().getExecutor();
        if (executor instanceof VirtualThreadExecutor) {
            return "virtual thread per request";
        }
        if (executor instanceof ThreadPoolExecutor pool) {
            return "platform thread pool (max " + pool.getMaximumPoolSize() + ")";
        }
        return executor == null ? "none" : executor.getClass().getSimpleName();
    }

    /** Requests in the endpoint right now. */
    public int inFlight() {
        return inFlight.current.get();
    }

    /** Most requests in the endpoint at once since the last {@link #resetPeakInFlight()}. */
    public int peakInFlight() {
        return inFlight.peak.get();
    }

    /** Starts a new peak from the requests in the endpoint now. */
    public void resetPeakInFlight() {
        inFlight.peak.set(inFlight.current.get());
    }

    @Override
    public void close() {
        context.close();
    }

    private TomcatWebServer webServer() {
        return (TomcatWebServer) ((WebServerApplicationContext) context).getWebServer();
    }

    /** The edge application: Tomcat, the dispatcher servlet, MVC and message converters, and the endpoint. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class,
            TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
            WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class})
    static class EdgeApplication {

        @Bean(destroyMethod = "close")
        Downstream downstream(@Value("${edge.downstream-uri}") URI uri) {
            return new Downstream(uri);
        }

        @Bean
        InFlight inFlight() {
            return new InFlight();
        }

        @Bean
        MessagesEndpoint messagesEndpoint(Downstream downstream, InFlight inFlight) {
            return new MessagesEndpoint(downstream, inFlight);
        }
    }

    /** The ingest-like endpoint. */
    @RestController
    static class MessagesEndpoint {

        private static final String ACCEPTED = "{\"status\":\"ACCEPTED\"}";

        private final Downstream downstream;
        private final InFlight inFlight;

        MessagesEndpoint(Downstream downstream, InFlight inFlight) {
            this.downstream = downstream;
            this.inFlight = inFlight;
        }

        @PostMapping(path = "/v1/messages", consumes = MediaType.APPLICATION_JSON_VALUE,
                produces = MediaType.APPLICATION_JSON_VALUE)
        ResponseEntity<String> accept(@RequestBody String message) throws InterruptedException {
            inFlight.enter();
            try {
                int status = downstream.call(message);
                if (status != 200) {
                    return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body("{\"downstream\":" + status + "}");
                }
                return ResponseEntity.accepted().body(ACCEPTED);
            } catch (IOException e) {
                return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body("{\"downstream\":\"unreachable\"}");
            } finally {
                inFlight.exit();
            }
        }
    }

    /** The blocking downstream call: a JDK HttpClient (its internal executor on virtual threads). */
    static final class Downstream implements AutoCloseable {
        private final URI uri;
        private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        private final HttpClient http;

        Downstream(URI uri) {
            this.uri = uri;
            this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                    .connectTimeout(Duration.ofSeconds(5)).build();
        }

        /** Sends the message downstream and waits for the answer; returns its status. */
        int call(String message) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(message)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }

        @Override
        public void close() {
            http.shutdownNow();
            executor.shutdownNow();
        }
    }

    /** Requests in the endpoint, and the most at once. */
    static final class InFlight {
        private final AtomicInteger current = new AtomicInteger();
        private final AtomicInteger peak = new AtomicInteger();

        void enter() {
            int now = current.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
        }

        void exit() {
            current.decrementAndGet();
        }
    }
}
