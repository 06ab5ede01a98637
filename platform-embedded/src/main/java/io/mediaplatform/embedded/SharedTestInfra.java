package io.mediaplatform.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Infrastructure shared by every test of a JVM (a Maven module's test run), started on first use and stopped
 * when the JVM exits: one {@link EmbeddedS3} (temporary directory, random port, bucket {@value #BUCKET}), one
 * {@link EmbeddedSchemaRegistry} per Kafka cluster (random port), one {@link EmbeddedPostgresServer}
 * (temporary directory, random port). Kafka itself is the test's own (e.g. spring-kafka-test's
 * {@code EmbeddedKafkaKraftBroker}); this class does not depend on a test framework.
 *
 * <p>Typical use in a Spring Boot test:
 * <pre>{@code
 * @DynamicPropertySource
 * static void infrastructure(DynamicPropertyRegistry registry) {
 *     SharedTestInfra.springProperties(broker.getBrokersAsString()).forEach((k, v) -> registry.add(k, () -> v));
 * }
 * }</pre>
 */
public final class SharedTestInfra {

    /** Bucket of the shared S3 server. */
    public static final String BUCKET = "media";
    /** Access key of the shared S3 server. */
    public static final String ACCESS_KEY = "test-access";
    /** Secret key of the shared S3 server. */
    public static final String SECRET_KEY = "test-secret";
    /** Region clients should sign for. */
    public static final String REGION = "us-east-1";

    /**
     * {@code spring.autoconfigure.exclude} for a service without a database (validation, dispatch) started in a JVM
     * whose classpath has JDBC and Flyway for another (ingest, callback): no DataSource, no migrations.
     */
    public static final String WITHOUT_DATABASE = String.join(",",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");

    private static final Map<String, EmbeddedSchemaRegistry> REGISTRIES = new ConcurrentHashMap<>();
    private static EmbeddedS3 s3;
    private static EmbeddedPostgresServer postgres;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SharedTestInfra::stopAll, "shared-test-infra-shutdown"));
    }

    private SharedTestInfra() {
    }

    /** The shared S3 server, started on first call. */
    public static synchronized EmbeddedS3 s3() {
        if (s3 == null) {
            s3 = new EmbeddedS3(tempDir("s3"), 0, ACCESS_KEY, SECRET_KEY, BUCKET).start();
        }
        return s3;
    }

    /** The shared registry storing its schemas in that Kafka cluster, started on first call for the cluster. */
    public static EmbeddedSchemaRegistry schemaRegistry(String bootstrapServers) {
        return REGISTRIES.computeIfAbsent(bootstrapServers, servers -> new EmbeddedSchemaRegistry(servers, 0).start());
    }

    /** The shared PostgreSQL server with database {@value EmbeddedPostgresServer#DEFAULT_DATABASE}, started on first call. */
    public static synchronized EmbeddedPostgresServer postgres() {
        if (postgres == null) {
            postgres = new EmbeddedPostgresServer(tempDir("postgres"), 0).start();
        }
        return postgres;
    }

    /**
     * The properties a service test needs to reach Kafka, the registry and S3; starts the S3 server and the
     * registry for that cluster if they are not running yet.
     *
     * @param bootstrapServers the test's Kafka cluster
     * @return {@code spring.kafka.bootstrap-servers}, {@code platform.kafka.schema-registry-url} and the
     * {@code platform.storage.*} settings (endpoint, bucket, access-key, secret-key, region), in that order
     */
    public static Map<String, String> springProperties(String bootstrapServers) {
        EmbeddedS3 storage = s3();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.kafka.bootstrap-servers", bootstrapServers);
        properties.put("platform.kafka.schema-registry-url", schemaRegistry(bootstrapServers).url());
        properties.put("platform.storage.endpoint", storage.endpoint());
        properties.put("platform.storage.bucket", storage.bucket());
        properties.put("platform.storage.access-key", storage.accessKey());
        properties.put("platform.storage.secret-key", storage.secretKey());
        properties.put("platform.storage.region", REGION);
        return Collections.unmodifiableMap(properties);
    }

    /** {@code spring.datasource.url}, {@code .username} and {@code .password} of the shared PostgreSQL server (started on first call). */
    public static Map<String, String> databaseProperties() {
        EmbeddedPostgresServer server = postgres();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", server.jdbcUrl());
        properties.put("spring.datasource.username", server.username());
        properties.put("spring.datasource.password", server.password());
        return Collections.unmodifiableMap(properties);
    }

    private static synchronized void stopAll() {
        REGISTRIES.values().forEach(EmbeddedSchemaRegistry::close);
        REGISTRIES.clear();
        if (s3 != null) {
            s3.close();
            deleteQuietly(s3.baseDir());
            s3 = null;
        }
        if (postgres != null) {
            postgres.close();
            deleteQuietly(postgres.dataDir());
            postgres = null;
        }
    }

    private static Path tempDir(String name) {
        try {
            return Files.createTempDirectory("media-platform-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
