package io.mediaplatform.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mediaplatform.callback.CallbackApplication;
import io.mediaplatform.callback.webhook.WebhookEndpoints;
import io.mediaplatform.callback.webhook.core.EventFilter;
import io.mediaplatform.common.security.ApiKeyRegistry;
import io.mediaplatform.dispatch.DispatchApplication;
import io.mediaplatform.embedded.EmbeddedClamd;
import io.mediaplatform.embedded.EmbeddedPostgresServer;
import io.mediaplatform.embedded.SharedTestInfra;
import io.mediaplatform.embedded.EmbeddedS3;
import io.mediaplatform.embedded.EmbeddedSchemaRegistry;
import io.mediaplatform.embedded.KafkaServerProcess;
import io.mediaplatform.embedded.Ports;
import io.mediaplatform.embedded.TopicProvisioner;
import io.mediaplatform.ingest.IngestApplication;
import io.mediaplatform.schemas.registry.CatalogueSchemas;
import io.mediaplatform.schemas.registry.SchemaRegistryClient;
import io.mediaplatform.simulator.FcmSimulator;
import io.mediaplatform.simulator.NotifySimulator;
import io.mediaplatform.simulator.TwilioSimulator;
import io.mediaplatform.simulator.WhatsAppSimulator;
import io.mediaplatform.validation.ValidationApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
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
    static final String JDBC_EXCLUSIONS = SharedTestInfra.WITHOUT_DATABASE;

    private final LocalStackOptions options;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, Object> description = new LinkedHashMap<>();
    private LocalSecrets secrets;
    private StackPorts ports;
    private String kafkaBootstrap;
    private String registryUrl;
    private String s3Endpoint;
    private String s3Bucket;
    /** What the validation service scans with, for the summary. */
    private String antivirus;
    /** Null: the four services run in this JVM ({@code ./local-stack}); otherwise each in its own child JVM, with these settings added. */
    private final Map<String, String> serviceProcessSettings;
    private final Map<String, ServiceProcess> serviceProcesses = new LinkedHashMap<>();
    private final List<ApplicationContextInitializer<ConfigurableApplicationContext>> initializers = new ArrayList<>();
    private KafkaServerProcess kafka;
    private EmbeddedPostgresServer postgres;
    private WhatsAppSimulator whatsapp;
    private TwilioSimulator twilio;
    private FcmSimulator fcm;

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
        } catch (PortInUseException e) {
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
        boolean kafkaEmbedded = options.env("KAFKA_BOOTSTRAP_SERVERS") == null;
        boolean registryEmbedded = options.env("SCHEMA_REGISTRY_URL") == null;
        boolean s3Embedded = options.env("S3_ENDPOINT") == null;
        boolean databaseEmbedded = options.env("DATABASE_URL") == null;
        ports = options.randomPorts() ? StackPorts.random() : StackPorts.defaults();
        checkPortsFree(ports.toBind(kafkaEmbedded, registryEmbedded, s3Embedded));
        secrets = LocalSecrets.loadOrCreate(data.resolve("secrets.json"));

        // Kafka: Apache Kafka's own server, data under <data>/kafka.
        if (kafkaEmbedded) {
            KafkaServerProcess kafka = new KafkaServerProcess(data.resolve("kafka"), ports.kafka(), ports.kafkaController())
                    .withoutShutdownHook();
            resources.add(kafka);
            this.kafka = kafka;
            kafka.start();
            kafkaBootstrap = kafka.bootstrapServers();
        } else {
            kafkaBootstrap = options.env("KAFKA_BOOTSTRAP_SERVERS");
        }
        TopicProvisioner.createAll(kafkaBootstrap, partitions(options), (short) 1);

        if (registryEmbedded) {
            EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(kafkaBootstrap, ports.schemaRegistry());
            resources.add(registry);
            registry.start();
            registryUrl = registry.url();
        } else {
            registryUrl = options.env("SCHEMA_REGISTRY_URL");
        }
        // Every topic's value schema is in the registry before any traffic (producers with auto-register off).
        CatalogueSchemas.registerAll(new SchemaRegistryClient(registryUrl, options.env("SCHEMA_REGISTRY_USER_INFO")));

        String s3AccessKey;
        String s3SecretKey;
        if (s3Embedded) {
            s3Bucket = "media";
            s3AccessKey = secrets.s3AccessKey();
            s3SecretKey = secrets.s3SecretKey();
            EmbeddedS3 s3 = new EmbeddedS3(data.resolve("s3"), ports.s3(), s3AccessKey, s3SecretKey, s3Bucket);
            resources.add(s3);
            s3.start();
            s3Endpoint = s3.endpoint();
        } else {
            s3Endpoint = options.env("S3_ENDPOINT");
            s3Bucket = orDefault(options.env("S3_BUCKET"), "media");
            s3AccessKey = options.env("S3_ACCESS_KEY");
            s3SecretKey = options.env("S3_SECRET_KEY");
        }

        String databaseUrl;
        String databaseUser;
        String databasePassword;
        if (databaseEmbedded) {
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

        // Antivirus: the machine's clamd (EICAR test signature only, offline), data under <data>/clamav.
        Map<String, String> clamav = startClamav(data);

        String ingestUrl = "http://127.0.0.1:" + ports.ingest();
        String dispatchUrl = "http://127.0.0.1:" + ports.dispatch();
        String callbackUrl = "http://127.0.0.1:" + ports.callback();

        // The sender addresses customers write to; the first demo tenant's inbox demo-inbox owns them (INBOUND_ROUTES).
        String whatsappPhoneNumberId = orDefault(options.env("WHATSAPP_PHONE_NUMBER_ID"), secrets.whatsappPhoneNumberId());
        String twilioFrom = orDefault(options.env("TWILIO_FROM"), "+15550100002");
        String notifySender = orDefault(options.env("NOTIFY_SENDER"), "demo-sender");
        // The WhatsApp simulator plays 360dialog too (POST /messages with D360-API-KEY): WHATSAPP_PROVIDER=360dialog
        // ./local-stack sends WhatsApp through it.
        String d360ApiKey = derived("d360-api-key");
        WhatsAppSimulator simulator = WhatsAppSimulator.builder()
                .port(ports.simulators())
                .phoneNumberId(whatsappPhoneNumberId)
                .accessToken(secrets.whatsappAccessToken())
                .d360ApiKey(d360ApiKey)
                .appSecret(secrets.whatsappAppSecret())
                .webhookUrl(dispatchUrl + "/v1/providers/whatsapp/status")
                .build();
        resources.add(simulator);
        this.whatsapp = simulator;
        simulator.start();
        WebhookInbox webhookInbox = new WebhookInbox(secrets.tenants());
        simulator.server().createContext(WebhookInbox.PATH, webhookInbox);
        String simulatorUrl = simulator.url();
        // Twilio (MMS, SMS), the generic notification API (RCS, WEBCHAT) and FCM (PUSH) share the simulator port.
        String twilioAccountSid = "AC" + derived("twilio-account").substring(0, 32);
        String twilioAuthToken = derived("twilio-auth-token").substring(0, 32);
        String notifyApiKey = derived("notify-api-key");
        String notifyWebhookSecret = "whsec_" + java.util.Base64.getEncoder().encodeToString(
                io.mediaplatform.common.signing.Hmac.sha256(secrets.linkSigningKey().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        "notify-webhook-secret"));
        TwilioSimulator twilio = TwilioSimulator.builder().accountSid(twilioAccountSid).authToken(twilioAuthToken)
                .phoneNumber(twilioFrom).inboundWebhookUrl(dispatchUrl + "/v1/providers/twilio/status").build();
        resources.add(twilio);
        this.twilio = twilio;
        twilio.startOn(simulator.server());
        NotifySimulator notify = NotifySimulator.builder().apiKey(notifyApiKey).webhookSecret(notifyWebhookSecret)
                .sender(notifySender).inboundWebhookUrl(dispatchUrl + "/v1/providers/notify/status").build();
        resources.add(notify);
        notify.startOn(simulator.server());
        String fcmAccessToken = derived("fcm-access-token");
        FcmSimulator fcm = FcmSimulator.builder().accessToken(fcmAccessToken).build();
        resources.add(fcm);
        this.fcm = fcm;
        fcm.startOn(simulator.server());

        Map<String, String> common = new LinkedHashMap<>();
        common.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
        common.put("SCHEMA_REGISTRY_URL", registryUrl);
        common.put("S3_ENDPOINT", s3Endpoint);
        common.put("S3_BUCKET", s3Bucket);
        putIfNotNull(common, "S3_ACCESS_KEY", s3AccessKey);
        putIfNotNull(common, "S3_SECRET_KEY", s3SecretKey);
        common.put("API_KEYS", secrets.tenants().stream()
                .map(t -> t.id() + ":" + ApiKeyRegistry.sha256Hex(t.apiKey()))
                .collect(Collectors.joining(";")));
        common.put("LINK_SIGNING_KEY", secrets.linkSigningKey());
        common.put("INGEST_PUBLIC_URL", ingestUrl);
        // Upload-from-URL and provider media downloads reach loopback only on the simulators' own port; every other
        // loopback port (Kafka, the services, a developer's servers) stays refused, as in production.
        common.put("OUTBOUND_ALLOW_HOSTS", orDefault(options.env("OUTBOUND_ALLOW_HOSTS"),
                "127.0.0.1:" + ports.simulators() + ",localhost:" + ports.simulators()));
        // A local-stack convenience: client webhooks (callbacks, tenant endpoints) may go to a developer's receivers
        // on any loopback port.
        common.put("WEBHOOK_ALLOW_HOSTS", orDefault(options.env("WEBHOOK_ALLOW_HOSTS"), "127.0.0.1,localhost"));
        common.put("spring.main.banner-mode", "off");

        Map<String, String> dispatch = new LinkedHashMap<>(common);
        dispatch.put("DISPATCH_PORT", String.valueOf(ports.dispatch()));
        // dispatch sends a partition's poll at a time (its conversations at once): a consumer thread per partition
        dispatch.put("DISPATCH_CONCURRENCY", orDefault(options.env("DISPATCH_CONCURRENCY"), String.valueOf(partitions(options))));
        dispatch.put("WHATSAPP_BASE_URL", orDefault(options.env("WHATSAPP_BASE_URL"), simulatorUrl));
        dispatch.put("WHATSAPP_ACCESS_TOKEN", orDefault(options.env("WHATSAPP_ACCESS_TOKEN"), secrets.whatsappAccessToken()));
        dispatch.put("WHATSAPP_APP_SECRET", orDefault(options.env("WHATSAPP_APP_SECRET"), secrets.whatsappAppSecret()));
        dispatch.put("WHATSAPP_PHONE_NUMBER_ID", whatsappPhoneNumberId);
        dispatch.put("WHATSAPP_VERIFY_TOKEN", orDefault(options.env("WHATSAPP_VERIFY_TOKEN"), secrets.whatsappVerifyToken()));
        dispatch.put("DISPATCH_PUBLIC_URL", orDefault(options.env("DISPATCH_PUBLIC_URL"), dispatchUrl));
        if (options.env("TWILIO_BASE_URL") == null) {
            dispatch.put("TWILIO_BASE_URL", simulatorUrl);
            dispatch.put("TWILIO_ACCOUNT_SID", twilioAccountSid);
            dispatch.put("TWILIO_AUTH_TOKEN", twilioAuthToken);
            dispatch.put("TWILIO_FROM", twilioFrom);
        }
        if (options.env("D360_BASE_URL") == null) {
            dispatch.put("D360_BASE_URL", simulatorUrl);
            dispatch.put("D360_API_KEY", d360ApiKey);
        }
        if (options.env("FCM_BASE_URL") == null) {
            dispatch.put("FCM_BASE_URL", simulatorUrl);
            dispatch.put("FCM_PROJECT_ID", fcm.projectId());
            dispatch.put("FCM_ACCESS_TOKEN", fcmAccessToken);
        }
        if (options.env("NOTIFY_BASE_URL") == null) {
            dispatch.put("NOTIFY_BASE_URL", simulatorUrl);
            dispatch.put("NOTIFY_API_KEY", notifyApiKey);
            dispatch.put("NOTIFY_WEBHOOK_SECRET", notifyWebhookSecret);
        }

        dispatch.put("NOTIFY_SENDER", notifySender);
        String demoInbox = secrets.tenants().getFirst().id() + "/demo-inbox";
        dispatch.put("INBOUND_ROUTES", orDefault(options.env("INBOUND_ROUTES"), "whatsapp:" + whatsappPhoneNumberId + "=" + demoInbox
                + ";twilio:" + twilioFrom + "=" + demoInbox + ";notify:" + notifySender + "=" + demoInbox));

        Map<String, String> callback = new LinkedHashMap<>(common);
        callback.put("CALLBACK_PORT", String.valueOf(ports.callback()));
        // its status consumer is the next hop after dispatch: a thread per partition too
        callback.put("CALLBACK_CONCURRENCY", orDefault(options.env("CALLBACK_CONCURRENCY"), String.valueOf(partitions(options))));
        callback.put("DATABASE_URL", databaseUrl);
        putIfNotNull(callback, "DATABASE_USER", databaseUser);
        putIfNotNull(callback, "DATABASE_PASSWORD", databasePassword);
        callback.put("WEBHOOK_ENCRYPTION_KEY", secrets.webhookEncryptionKey());
        callback.put("WEBHOOK_SECRETS", secrets.tenants().stream().map(t -> t.id() + ":" + t.webhookSecret())
                .collect(Collectors.joining(";")));
        callback.put("CALLBACK_CONSOLE_INGEST_URL", ingestUrl); // the console at callback's /console calls ingest's API

        Map<String, String> ingest = new LinkedHashMap<>(common);
        ingest.put("INGEST_PORT", String.valueOf(ports.ingest()));
        // Customers' media are fetched through dispatch, which alone holds the provider credentials (started first).
        ingest.put("DISPATCH_INTERNAL_URL", dispatchUrl);
        ingest.put("INGEST_CORS_ALLOWED_ORIGINS", callbackUrl); // the console's page is callback's origin
        // Idempotency keys in the same PostgreSQL as callback's history (schema "ingest", its own migration history).
        ingest.put("DATABASE_URL", databaseUrl);
        putIfNotNull(ingest, "DATABASE_USER", databaseUser);
        putIfNotNull(ingest, "DATABASE_PASSWORD", databasePassword);

        Map<String, String> validation = new LinkedHashMap<>(common);
        validation.put("VALIDATION_PORT", String.valueOf(ports.validation()));
        validation.putAll(clamav);
        validation.put("spring.autoconfigure.exclude", JDBC_EXCLUSIONS);
        dispatch.put("spring.autoconfigure.exclude", JDBC_EXCLUSIONS);

        if (serviceProcessSettings != null) {
            startServiceProcesses(data, Map.of("callback", callback, "validation", validation, "dispatch", dispatch, "ingest", ingest));
        } else {
            ConfigurableApplicationContext callbackContext = run("callback", CallbackApplication.builder(), callback);
            registerInboundEndpoint(callbackContext, webhookInbox, simulatorUrl + WebhookInbox.PATH + INBOUND_INBOX, data);
            run("validation", ValidationApplication.builder(), validation);
            run("dispatch", DispatchApplication.builder(), dispatch);
            for (int replica = 2; replica <= replicas(options); replica++) {
                Map<String, String> again = new LinkedHashMap<>(dispatch);
                again.put("DISPATCH_PORT", String.valueOf(Ports.freePort()));
                run("dispatch-" + replica, DispatchApplication.builder(), again);
                Map<String, String> callbackAgain = new LinkedHashMap<>(callback);
                callbackAgain.put("CALLBACK_PORT", String.valueOf(Ports.freePort()));
                run("callback-" + replica, CallbackApplication.builder(), callbackAgain);
            }
            run("ingest", IngestApplication.builder(), ingest);
        }

        describe(ingestUrl, dispatchUrl, callbackUrl, simulatorUrl, s3AccessKey, s3SecretKey);
        Files.writeString(data.resolve("local-stack.json"),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(description) + "\n");
    }

    /**
     * The first demo tenant's webhook endpoint for customers' media ({@code message.received} only), at the webhook
     * inbox {@value #INBOUND_INBOX}: created on the first start through callback's own endpoint store, its secret kept
     * in {@code <data>/inbound-webhook.json} (owner-only) so the inbox verifies its signatures after a restart too.
     */
    private void registerInboundEndpoint(ConfigurableApplicationContext callback, WebhookInbox inbox, String url, Path data)
            throws IOException {
        WebhookEndpoints endpoints = callback.getBean(WebhookEndpoints.class);
        String tenantId = secrets.tenants().getFirst().id();
        Path file = data.resolve("inbound-webhook.json");
        ObjectMapper json = new ObjectMapper();
        Optional<WebhookEndpoints.Endpoint> existing = endpoints.list(tenantId).stream().filter(e -> e.url().equals(url)).findFirst();
        String secret = null;
        if (existing.isPresent() && Files.isRegularFile(file)) {
            JsonNode saved = json.readTree(file.toFile());
            if (existing.get().id().equals(saved.path("id").asText())) {
                secret = saved.path("secret").asText();
            }
        }
        String id;
        if (secret != null) {
            id = existing.get().id();
        } else if (existing.isPresent()) {
            id = existing.get().id();
            secret = endpoints.rotate(tenantId, id, Instant.now(), Duration.ZERO).orElseThrow().secret();
        } else {
            WebhookEndpoints.Created created = endpoints.create(tenantId, url, EventFilter.parse(List.of("message.received")),
                    "local stack: customers' media", Instant.now());
            id = created.endpoint().id();
            secret = created.secret();
        }
        Files.writeString(file, json.writeValueAsString(Map.of("id", id, "secret", secret)) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        inbox.trust(tenantId, secret);
        description.put("inboundWebhook", url);
    }

    /**
     * The clamd the validation service scans with: with {@code CLAMAV_HOST} or {@code CLAMAV_SOCKET} set, that one;
     * otherwise, where clamd is installed, an {@link EmbeddedClamd} under {@code <data>/clamav} on a Unix socket (a
     * free loopback port when the socket path would be too long) whose only signature is the platform's EICAR test
     * signature: offline, it proves the malware path and recognises nothing else. Without clamd antivirus is off,
     * and the summary says how to get it.
     *
     * @return the CLAMAV_* settings for the validation service
     */
    private Map<String, String> startClamav(Path data) {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, Object> described = new LinkedHashMap<>();
        String host = options.env("CLAMAV_HOST");
        String socket = options.env("CLAMAV_SOCKET");
        if (host != null || socket != null) {
            putIfNotNull(env, "CLAMAV_HOST", host);
            putIfNotNull(env, "CLAMAV_PORT", options.env("CLAMAV_PORT"));
            putIfNotNull(env, "CLAMAV_SOCKET", socket);
            String address = socket != null ? "unix:" + socket : host + ":" + orDefault(options.env("CLAMAV_PORT"), "3310");
            described.put("enabled", true);
            described.put("embedded", false);
            described.put("clamd", address);
            antivirus = "clamd at " + address + " (yours, from CLAMAV_" + (socket != null ? "SOCKET" : "HOST") + ")";
        } else if (EmbeddedClamd.isAvailable()) {
            Path dir = data.resolve("clamav");
            EmbeddedClamd clamd = (EmbeddedClamd.fitsUnixSocket(dir) ? EmbeddedClamd.onUnixSocket(dir)
                    : EmbeddedClamd.onTcpPort(dir, 0)).withoutShutdownHook();
            resources.add(clamd);
            clamd.start();
            env.putAll(clamd.clientEnvironment());
            // an empty socket, so a CLAMAV_SOCKET in the JVM's own environment cannot win over the embedded port
            env.putIfAbsent("CLAMAV_SOCKET", "");
            described.put("enabled", true);
            described.put("embedded", true);
            described.put("clamd", clamd.address());
            described.put("signatures", "EICAR test signature only (offline); set CLAMAV_HOST to a clamd with real signatures for more");
            antivirus = "clamd " + clamd.address() + "   (EICAR test signature only; CLAMAV_HOST for real signatures)";
        } else {
            described.put("enabled", false);
            described.put("reason", "clamd is not installed: media is accepted unscanned");
            described.put("install", EmbeddedClamd.INSTALL_HINT);
            antivirus = "off: clamd is not installed, media is accepted unscanned (" + EmbeddedClamd.INSTALL_HINT
                    + " and restart, or set CLAMAV_HOST)";
        }
        description.put("antivirus", described);
        return env;
    }

    /** Launches the four service JVMs at once (callback, validation, dispatch, ingest), then waits until each is ready. */
    private void startServiceProcesses(Path data, Map<String, Map<String, String>> settings) throws InterruptedException {
        Map<String, Integer> httpPorts = Map.of("callback", ports.callback(), "validation", ports.validation(),
                "dispatch", ports.dispatch(), "ingest", ports.ingest());
        for (String name : List.of("callback", "validation", "dispatch", "ingest")) {
            Map<String, String> properties = new LinkedHashMap<>(settings.get(name));
            properties.putAll(serviceProcessSettings);
            ServiceProcess process = new ServiceProcess(name, httpPorts.get(name), properties, data);
            resources.add(process);
            serviceProcesses.put(name, process.launch());
        }
        for (ServiceProcess process : serviceProcesses.values()) {
            process.awaitReady();
        }
    }

    /** One service's child JVM (ingest, validation, dispatch, callback), when started with {@link #startWithServiceProcesses}. */
    public ServiceProcess service(String name) {
        ServiceProcess process = serviceProcesses.get(name);
        if (process == null) {
            throw new IllegalArgumentException("no service process " + name + " (services run as processes only with startWithServiceProcesses)");
        }
        return process;
    }

    /** The embedded Kafka broker, or empty when {@code KAFKA_BOOTSTRAP_SERVERS} named another one. */
    public Optional<KafkaServerProcess> kafka() {
        return Optional.ofNullable(kafka);
    }

    /** The embedded PostgreSQL, or empty when {@code DATABASE_URL} named another one. */
    public Optional<EmbeddedPostgresServer> postgres() {
        return Optional.ofNullable(postgres);
    }

    /** The WhatsApp simulator (its faults, the sends it took). */
    public WhatsAppSimulator whatsApp() {
        return whatsapp;
    }

    /** The Twilio simulator (MMS and SMS sends it took). */
    public TwilioSimulator twilio() {
        return twilio;
    }

    /** The FCM simulator (the pushes it took). */
    public FcmSimulator fcm() {
        return fcm;
    }

    private ConfigurableApplicationContext run(String name, SpringApplicationBuilder builder, Map<String, String> properties) {
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        initializers.forEach(initializer -> builder.initializers(initializer));
        ConfigurableApplicationContext context = builder.registerShutdownHook(false).run(args);
        resources.add(context::close);
        return context;
    }

    private void describe(String ingestUrl, String dispatchUrl, String callbackUrl, String simulatorUrl,
                          String s3AccessKey, String s3SecretKey) {
        description.put("ingest", ingestUrl);
        description.put("dispatch", dispatchUrl);
        description.put("callback", callbackUrl);
        description.put("console", callbackUrl + "/console");
        description.put("validation", "http://127.0.0.1:" + ports.validation());
        description.put("schemaRegistry", registryUrl);
        description.put("kafka", Map.of("bootstrapServers", kafkaBootstrap));
        Map<String, Object> s3 = new LinkedHashMap<>();
        s3.put("endpoint", s3Endpoint);
        s3.put("bucket", s3Bucket);
        s3.put("accessKey", s3AccessKey);
        s3.put("secretKey", s3SecretKey);
        description.put("s3", s3);
        description.put("simulators", Map.of("whatsapp", simulatorUrl, "twilio", simulatorUrl, "notify", simulatorUrl,
                "fcm", simulatorUrl, "webhookInbox", simulatorUrl + WebhookInbox.PATH + "<name>"));
        List<Map<String, String>> tenants = secrets.tenants().stream()
                .map(t -> Map.of("id", t.id(), "apiKey", t.apiKey(), "webhookSecret", t.webhookSecret())).toList();
        description.put("tenants", tenants);
        description.put("dataDir", options.dataDir().toString());
    }

    /** Endpoints and keys, as written to {@code local-stack.json}. */
    public Map<String, Object> description() {
        return description;
    }

    public LocalSecrets secrets() {
        return secrets;
    }

    public String ingestUrl() {
        return (String) description.get("ingest");
    }

    public String callbackUrl() {
        return (String) description.get("callback");
    }

    public String dispatchUrl() {
        return (String) description.get("dispatch");
    }

    public String validationUrl() {
        return (String) description.get("validation");
    }

    public String simulatorUrl() {
        @SuppressWarnings("unchecked")
        Map<String, String> simulators = (Map<String, String>) description.get("simulators");
        return simulators.get("whatsapp");
    }

    void printSummary(PrintStream out) {
        LocalSecrets.Tenant demo = secrets.tenants().getFirst();
        String ingest = ingestUrl();
        String inbox = simulatorUrl() + WebhookInbox.PATH + "demo";
        out.println();
        out.println("Media platform is up. Data: " + options.dataDir() + " (kept across restarts; --reset wipes it)");
        out.println();
        out.printf("  ingest API          %s   (OpenAPI: %s/openapi.yaml)%n", ingest, ingest);
        out.printf("  callback API        %s%n", callbackUrl());
        out.printf("  console             %s/console%n", callbackUrl());
        out.printf("  dispatch (webhooks) %s/v1/providers/whatsapp/status%n", dispatchUrl());
        out.printf("  schema registry     %s%n", registryUrl);
        out.printf("  kafka               %s%n", kafkaBootstrap);
        out.printf("  s3                  %s  bucket %s%n", s3Endpoint, s3Bucket);
        out.printf("  antivirus           %s%n", antivirus);
        out.printf("  provider simulators %s   (WhatsApp Cloud API and 360dialog, Twilio for MMS and SMS, notification API for RCS and WEBCHAT, FCM for PUSH)%n", simulatorUrl());
        out.printf("  webhook inbox       %s/webhook-inbox/<name>%n", simulatorUrl());
        out.println();
        for (LocalSecrets.Tenant tenant : secrets.tenants()) {
            out.printf("  tenant %-7s API key %s   webhook secret %s%n", tenant.id(), tenant.apiKey(), tenant.webhookSecret());
        }
        out.println();
        out.println("Everything above is in " + options.dataDir().resolve("local-stack.json") + ". Try it (from the repository root):");
        out.println();
        out.println("  export API_KEY=" + demo.apiKey());
        out.println("  MEDIA_ID=$(curl -s -H \"Authorization: Bearer $API_KEY\" -F file=@deploy/local-stack/demo/photo.png"
                + " -F conversationId=demo-conversation -F channel=WHATSAPP " + ingest + "/v1/media | sed 's/.*\"mediaId\":\"\\([^\"]*\\)\".*/\\1/')");
        out.println("  MESSAGE_ID=$(curl -s -H \"Authorization: Bearer $API_KEY\" -H 'Content-Type: application/json' -d '{\"channel\":\"WHATSAPP\",\"from\":\"+15550100001\","
                + "\"to\":\"+15557654321\",\"kind\":\"image\",\"media\":{\"id\":\"'$MEDIA_ID'\"},\"conversationId\":\"demo-conversation\",\"callbacks\":[\"" + inbox + "\"]}' "
                + ingest + "/v1/messages | sed 's/.*\"messageId\":\"\\([^\"]*\\)\".*/\\1/')");
        out.println("  curl -s -H \"Authorization: Bearer $API_KEY\" " + callbackUrl() + "/v1/messages/$MESSAGE_ID");
        out.println();
        out.println("Webhooks the demo receiver got: curl -s " + inbox + "    Ctrl-C stops everything.");
    }

    private void checkPortsFree(Map<String, Integer> wanted) {
        List<String> busy = wanted.entrySet().stream().filter(e -> !Ports.isFree(e.getValue()))
                .map(e -> e.getValue() + " (" + e.getKey() + ")").toList();
        if (!busy.isEmpty()) {
            throw new PortInUseException("Port" + (busy.size() > 1 ? "s " : " ") + String.join(", ", busy)
                    + (busy.size() > 1 ? " are" : " is") + " already in use. Stop what uses "
                    + (busy.size() > 1 ? "them" : "it") + " (another local stack?), or start with --ports=random.");
        }
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

    /** A secret derived from the stack's link-signing key, stable across restarts. */
    private String derived(String label) {
        byte[] mac = io.mediaplatform.common.signing.Hmac.sha256(
                secrets.linkSigningKey().getBytes(java.nio.charset.StandardCharsets.UTF_8), label);
        return java.util.HexFormat.of().formatHex(mac);
    }

    private static void putIfNotNull(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /**
     * Partitions of the topics the local stack makes ({@code LOCAL_STACK_PARTITIONS}, default 6): dispatch and callback
     * run a listener thread per partition, the other services keep up with 3.
     */
    static int partitions(LocalStackOptions options) {
        return bounded(options, "LOCAL_STACK_PARTITIONS", 6, 1, 64);
    }

    /**
     * Instances of dispatch and of callback the local stack runs in this JVM ({@code LOCAL_STACK_REPLICAS}, default 1),
     * each pair sharing its consumer groups as replicas in production do: the scale-out row of the pipeline benchmark.
     */
    static int replicas(LocalStackOptions options) {
        return bounded(options, "LOCAL_STACK_REPLICAS", 1, 1, 4);
    }

    /** A whole-number setting of the local stack, its default when not set; anything else outside the range is refused. */
    private static int bounded(LocalStackOptions options, String name, int fallback, int min, int max) {
        String given = options.env(name);
        int value;
        try {
            value = given == null ? fallback : Integer.parseInt(given.trim());
        } catch (NumberFormatException e) {
            value = min - 1;
        }
        if (value < min || value > max) {
            throw new LocalStackOptions.UsageException(name + " must be between " + min + " and " + max + ": " + given);
        }
        return value;
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
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

    /** A default port is taken. */
    static class PortInUseException extends RuntimeException {
        PortInUseException(String message) {
            super(message);
        }
    }

}
