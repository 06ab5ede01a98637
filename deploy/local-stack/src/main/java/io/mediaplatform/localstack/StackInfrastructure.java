package io.mediaplatform.localstack;

import io.mediaplatform.embedded.EmbeddedPostgresServer;
import io.mediaplatform.embedded.EmbeddedS3;
import io.mediaplatform.embedded.EmbeddedSchemaRegistry;
import io.mediaplatform.embedded.KafkaServerProcess;
import io.mediaplatform.embedded.TopicProvisioner;
import io.mediaplatform.schemas.registry.CatalogueSchemas;
import io.mediaplatform.schemas.registry.SchemaRegistryClient;

import java.nio.file.Path;
import java.util.List;

/**
 * What the services run on: Kafka (with the catalogue's topics and schemas), the schema registry, S3 and PostgreSQL,
 * each embedded with its data under the data directory unless {@code KAFKA_BOOTSTRAP_SERVERS},
 * {@code SCHEMA_REGISTRY_URL}, {@code S3_ENDPOINT} or {@code DATABASE_URL} names one.
 */
final class StackInfrastructure {

    /** The embedded broker, or null. */
    KafkaServerProcess kafka;
    /** The embedded PostgreSQL, or null. */
    EmbeddedPostgresServer postgres;
    String kafkaBootstrap;
    String registryUrl;
    String s3Endpoint;
    String s3Bucket;
    String s3AccessKey;
    String s3SecretKey;
    String databaseUrl;
    String databaseUser;
    String databasePassword;

    private StackInfrastructure() {
    }

    /** Whether a piece runs embedded: its setting is not in the environment. */
    static boolean embedded(LocalStackOptions options, String setting) {
        return options.env(setting) == null;
    }

    /** Starts the pieces in order; each is added to {@code resources} as it starts. */
    static StackInfrastructure start(LocalStackOptions options, Path data, StackPorts ports, LocalSecrets secrets,
                                     List<AutoCloseable> resources) {
        StackInfrastructure infra = new StackInfrastructure();
        infra.startKafka(options, data, ports, resources);
        infra.startRegistry(options, ports, resources);
        infra.startS3(options, data, ports, secrets, resources);
        infra.startPostgres(options, data, resources);
        return infra;
    }

    /** Kafka: Apache Kafka's own server, data under {@code <data>/kafka}; then the catalogue's topics. */
    private void startKafka(LocalStackOptions options, Path data, StackPorts ports, List<AutoCloseable> resources) {
        if (embedded(options, "KAFKA_BOOTSTRAP_SERVERS")) {
            KafkaServerProcess kafka = new KafkaServerProcess(data.resolve("kafka"), ports.kafka(), ports.kafkaController())
                    .withoutShutdownHook();
            resources.add(kafka);
            this.kafka = kafka;
            kafka.start();
            kafkaBootstrap = kafka.bootstrapServers();
        } else {
            kafkaBootstrap = options.env("KAFKA_BOOTSTRAP_SERVERS");
        }
        TopicProvisioner.createAll(kafkaBootstrap, StackSizes.partitions(options), (short) 1);
    }

    private void startRegistry(LocalStackOptions options, StackPorts ports, List<AutoCloseable> resources) {
        if (embedded(options, "SCHEMA_REGISTRY_URL")) {
            EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(kafkaBootstrap, ports.schemaRegistry());
            resources.add(registry);
            registry.start();
            registryUrl = registry.url();
        } else {
            registryUrl = options.env("SCHEMA_REGISTRY_URL");
        }
        // Every topic's value schema is in the registry before any traffic (producers with auto-register off).
        CatalogueSchemas.registerAll(new SchemaRegistryClient(registryUrl, options.env("SCHEMA_REGISTRY_USER_INFO")));
    }

    private void startS3(LocalStackOptions options, Path data, StackPorts ports, LocalSecrets secrets,
                         List<AutoCloseable> resources) {
        if (embedded(options, "S3_ENDPOINT")) {
            s3Bucket = "media";
            s3AccessKey = secrets.s3AccessKey();
            s3SecretKey = secrets.s3SecretKey();
            EmbeddedS3 s3 = new EmbeddedS3(data.resolve("s3"), ports.s3(), s3AccessKey, s3SecretKey, s3Bucket);
            resources.add(s3);
            s3.start();
            s3Endpoint = s3.endpoint();
        } else {
            s3Endpoint = options.env("S3_ENDPOINT");
            s3Bucket = options.env("S3_BUCKET", "media");
            s3AccessKey = options.env("S3_ACCESS_KEY");
            s3SecretKey = options.env("S3_SECRET_KEY");
        }
    }

    private void startPostgres(LocalStackOptions options, Path data, List<AutoCloseable> resources) {
        if (embedded(options, "DATABASE_URL")) {
            EmbeddedPostgresServer postgres = new EmbeddedPostgresServer(data.resolve("postgres"), 0).withoutShutdownHook();
            resources.add(postgres);
            this.postgres = postgres;
            postgres.start();
            databaseUrl = postgres.jdbcUrl();
            databaseUser = postgres.username();
            databasePassword = postgres.password();
        } else {
            databaseUrl = options.env("DATABASE_URL");
            databaseUser = options.env("DATABASE_USER");
            databasePassword = options.env("DATABASE_PASSWORD");
        }
    }
}
