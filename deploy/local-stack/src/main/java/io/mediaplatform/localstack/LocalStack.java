package io.mediaplatform.localstack;

import io.mediaplatform.embedded.EmbeddedPostgresServer;
import io.mediaplatform.embedded.KafkaServerProcess;
import io.mediaplatform.simulator.EmailSimulator;
import io.mediaplatform.simulator.FcmSimulator;
import io.mediaplatform.simulator.TwilioSimulator;
import io.mediaplatform.simulator.WhatsAppSimulator;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import java.util.stream.Stream;

/**
 * The whole platform on one machine, in one JVM: Apache Kafka's own broker (KRaft, child process, data on
 * disk), a Schema Registry REST server over a compacted {@code _schemas} topic, an S3-compatible server on
 * the local disk, an embedded PostgreSQL, the machine's clamd (when installed) with the EICAR test signature, the
 * provider simulators, and the four services. Each of {@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL},
 * {@code S3_ENDPOINT}, {@code DATABASE_URL} and {@code CLAMAV_HOST}/{@code CLAMAV_SOCKET} replaces its embedded
 * piece. Data survives a restart; {@code --reset} wipes it.
 */
public final class LocalStack implements AutoCloseable {

    /** Webhook inbox of the first demo tenant's endpoint for {@code message.received}. */
    static final String INBOUND_INBOX = "demo-inbound";

    private final LocalStackOptions options;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final StackDescription description = new StackDescription();
    private LocalSecrets secrets;
    private StackPorts ports;
    private StackInfrastructure infra;
    private StackSimulators simulators;
    /** What the validation service scans with, for the summary. */
    private String antivirus;
    /** Null: the four services run in this JVM ({@code ./local-stack}); otherwise each in its own child JVM, with these settings added. */
    private final Map<String, String> serviceProcessSettings;
    private final List<ApplicationContextInitializer<ConfigurableApplicationContext>> initializers = new ArrayList<>();
    private final StackServices services = new StackServices(resources, initializers);

    private LocalStack(LocalStackOptions options) {
        this(options, null);
    }

    private LocalStack(LocalStackOptions options, Map<String, String> serviceProcessSettings) {
        this.options = options;
        this.serviceProcessSettings = serviceProcessSettings;
    }

    public static void main(String[] args) {
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.mediaplatform.events");
        LocalStackOptions options;
        try {
            options = LocalStackOptions.parse(args, System.getenv());
        } catch (LocalStackOptions.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println(e.getMessage());
            }
            System.err.println(LocalStackOptions.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        System.setProperty("LOCAL_STACK_LOG_DIR", options.dataDir().resolve("logs").toString());
        // One logging setup for the JVM (logback.xml): the services must not re-initialise it each.
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        System.out.println("Starting the media platform (Kafka, schema registry, S3, PostgreSQL, clamd if installed, simulators, 4 services)...");
        LocalStack stack = new LocalStack(options);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping the media platform...");
            stack.close();
            System.out.println("Stopped. Data kept in " + options.dataDir());
        }, "local-stack-shutdown"));
        try {
            stack.startAll();
        } catch (StackPorts.PortInUseException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("The media platform could not start: " + e.getMessage());
            System.err.println("Logs: " + options.dataDir().resolve("logs"));
            e.printStackTrace();
            System.exit(1);
        }
        stack.printSummary(System.out);
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts everything (for tests); close it to stop. */
    public static LocalStack start(LocalStackOptions options) throws Exception {
        return start(new LocalStack(options));
    }

    /**
     * Starts everything with the four services in this JVM, each context given these initializers first (for tests,
     * e.g. a span exporter bean to see the traces); close it to stop.
     */
    public static LocalStack start(LocalStackOptions options,
                                   List<ApplicationContextInitializer<ConfigurableApplicationContext>> initializers)
            throws Exception {
        LocalStack stack = new LocalStack(options);
        stack.initializers.addAll(initializers);
        return start(stack);
    }

    /**
     * Starts everything, but each of the four services as its own child JVM ({@link ServiceProcess}, see
     * {@link #service(String)}) with the settings the local stack computes for it plus {@code extraSettings}; the
     * inbound demo webhook endpoint is not registered. For the fault harness, which kills and restarts them.
     */
    public static LocalStack startWithServiceProcesses(LocalStackOptions options, Map<String, String> extraSettings) throws Exception {
        return start(new LocalStack(options, Map.copyOf(extraSettings)));
    }

    private static LocalStack start(LocalStack stack) throws Exception {
        // The pieces do not stop themselves at JVM exit: this hook stops them in order if the caller does not.
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "local-stack-shutdown"));
        try {
            stack.startAll();
            return stack;
        } catch (Exception e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        Path data = options.dataDir();
        if (options.reset()) {
            deleteRecursively(data);
        }
        Files.createDirectories(data.resolve("logs"));
        ports = options.randomPorts() ? StackPorts.random() : StackPorts.defaults();
        StackPorts.checkFree(ports.toBind(StackInfrastructure.embedded(options, "KAFKA_BOOTSTRAP_SERVERS"),
                StackInfrastructure.embedded(options, "SCHEMA_REGISTRY_URL"),
                StackInfrastructure.embedded(options, "S3_ENDPOINT")));
        secrets = LocalSecrets.loadOrCreate(data.resolve("secrets.json"));
        infra = StackInfrastructure.start(options, data, ports, secrets, resources);

        // Antivirus: the machine's clamd (EICAR test signature only, offline), data under <data>/clamav.
        StackAntivirus clamav = StackAntivirus.start(options, data, resources);
        description.put("antivirus", clamav.described());
        antivirus = clamav.summary();

        ServiceSettings.Urls urls = ServiceSettings.Urls.of(ports);
        simulators = StackSimulators.start(options, secrets, ports, urls.dispatch(), resources);
        String simulatorUrl = simulators.url();
        Map<String, Map<String, String>> settings = ServiceSettings.of(options, ports, secrets, infra, clamav,
                simulators, urls);

        if (serviceProcessSettings != null) {
            services.startProcesses(data, ports, settings, serviceProcessSettings);
        } else {
            String inboundUrl = simulatorUrl + WebhookInbox.PATH + INBOUND_INBOX;
            services.startInJvm(settings, StackSizes.replicas(options), callback -> {
                InboundWebhookEndpoint.register(callback, simulators.webhookInbox, secrets.tenants().getFirst().id(),
                        inboundUrl, data);
                description.put("inboundWebhook", inboundUrl);
            });
        }

        description.describe(urls, ports, infra, simulatorUrl, secrets, options.dataDir());
        description.write(data);
    }

    /** One service's child JVM (ingest, validation, dispatch, callback), when started with {@link #startWithServiceProcesses}. */
    public ServiceProcess service(String name) {
        return services.process(name);
    }

    /** The embedded Kafka broker, or empty when {@code KAFKA_BOOTSTRAP_SERVERS} named another one. */
    public Optional<KafkaServerProcess> kafka() {
        return Optional.ofNullable(infra.kafka);
    }

    /** The embedded PostgreSQL, or empty when {@code DATABASE_URL} named another one. */
    public Optional<EmbeddedPostgresServer> postgres() {
        return Optional.ofNullable(infra.postgres);
    }

    /** The WhatsApp simulator (its faults, the sends it took). */
    public WhatsAppSimulator whatsApp() {
        return simulators.whatsapp;
    }

    /** The Twilio simulator (MMS and SMS sends it took). */
    public TwilioSimulator twilio() {
        return simulators.twilio;
    }

    /** The e-mail simulator (the mails its SMTP sink took). */
    public EmailSimulator email() {
        return simulators.email;
    }

    /** The FCM simulator (the pushes it took). */
    public FcmSimulator fcm() {
        return simulators.fcm;
    }

    /** Endpoints and keys, as written to {@code local-stack.json}. */
    public Map<String, Object> description() {
        return description.asMap();
    }

    public LocalSecrets secrets() {
        return secrets;
    }

    public String ingestUrl() {
        return description.get("ingest");
    }

    public String callbackUrl() {
        return description.get("callback");
    }

    public String dispatchUrl() {
        return description.get("dispatch");
    }

    public String validationUrl() {
        return description.get("validation");
    }

    public String simulatorUrl() {
        return description.simulatorUrl();
    }

    void printSummary(PrintStream out) {
        Banner.print(out, description, infra, secrets, options.dataDir(), antivirus);
    }

    /** Stops the services, then the simulators and the infrastructure, in reverse order of start. */
    @Override
    public synchronized void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                System.err.println("While stopping: " + e.getMessage());
            }
        }
        resources.clear();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
