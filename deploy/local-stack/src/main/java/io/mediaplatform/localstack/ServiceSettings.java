package io.mediaplatform.localstack;

import io.mediaplatform.common.security.ApiKeyRegistry;
import io.mediaplatform.embedded.SharedTestInfra;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The settings the local stack hands each of the four services: the ones they share (Kafka, registry, S3, API keys,
 * the outbound allow-lists) and each one's own (ports, the providers pointed at the simulators, the database).
 */
final class ServiceSettings {

    static final String JDBC_EXCLUSIONS = SharedTestInfra.WITHOUT_DATABASE;

    private ServiceSettings() {
    }

    /** The URLs the services answer on. */
    record Urls(String ingest, String dispatch, String callback) {
        static Urls of(StackPorts ports) {
            return new Urls("http://127.0.0.1:" + ports.ingest(), "http://127.0.0.1:" + ports.dispatch(),
                    "http://127.0.0.1:" + ports.callback());
        }
    }

    /** Each service's settings by name, in the order they start: callback, validation, dispatch, ingest. */
    static Map<String, Map<String, String>> of(LocalStackOptions options, StackPorts ports, LocalSecrets secrets,
                                               StackInfrastructure infra, StackAntivirus antivirus,
                                               StackSimulators simulators, Urls urls) {
        Map<String, String> common = common(options, ports, secrets, infra, urls);
        Map<String, String> dispatch = dispatch(options, ports, secrets, simulators, urls, common);

        Map<String, String> callback = new LinkedHashMap<>(common);
        callback.put("CALLBACK_PORT", String.valueOf(ports.callback()));
        // its status consumer is the next hop after dispatch: a thread per partition too
        callback.put("CALLBACK_CONCURRENCY", options.env("CALLBACK_CONCURRENCY", String.valueOf(StackSizes.partitions(options))));
        callback.put("DATABASE_URL", infra.databaseUrl);
        putIfNotNull(callback, "DATABASE_USER", infra.databaseUser);
        putIfNotNull(callback, "DATABASE_PASSWORD", infra.databasePassword);
        callback.put("WEBHOOK_ENCRYPTION_KEY", secrets.webhookEncryptionKey());
        callback.put("WEBHOOK_SECRETS", secrets.tenants().stream().map(t -> t.id() + ":" + t.webhookSecret())
                .collect(Collectors.joining(";")));
        callback.put("CALLBACK_CONSOLE_INGEST_URL", urls.ingest()); // the console at callback's /console calls ingest's API

        Map<String, String> ingest = new LinkedHashMap<>(common);
        ingest.put("INGEST_PORT", String.valueOf(ports.ingest()));
        // Customers' media are fetched through dispatch, which alone holds the provider credentials (started first).
        ingest.put("DISPATCH_INTERNAL_URL", urls.dispatch());
        ingest.put("INGEST_CORS_ALLOWED_ORIGINS", urls.callback()); // the console's page is callback's origin
        // Idempotency keys in the same PostgreSQL as callback's history (schema "ingest", its own migration history).
        ingest.put("DATABASE_URL", infra.databaseUrl);
        putIfNotNull(ingest, "DATABASE_USER", infra.databaseUser);
        putIfNotNull(ingest, "DATABASE_PASSWORD", infra.databasePassword);

        Map<String, String> validation = new LinkedHashMap<>(common);
        validation.put("VALIDATION_PORT", String.valueOf(ports.validation()));
        validation.putAll(antivirus.environment());
        validation.put("spring.autoconfigure.exclude", JDBC_EXCLUSIONS);
        dispatch.put("spring.autoconfigure.exclude", JDBC_EXCLUSIONS);

        Map<String, Map<String, String>> settings = new LinkedHashMap<>();
        settings.put("callback", callback);
        settings.put("validation", validation);
        settings.put("dispatch", dispatch);
        settings.put("ingest", ingest);
        return settings;
    }

    private static Map<String, String> common(LocalStackOptions options, StackPorts ports, LocalSecrets secrets,
                                              StackInfrastructure infra, Urls urls) {
        Map<String, String> common = new LinkedHashMap<>();
        common.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrap);
        common.put("SCHEMA_REGISTRY_URL", infra.registryUrl);
        common.put("S3_ENDPOINT", infra.s3Endpoint);
        common.put("S3_BUCKET", infra.s3Bucket);
        putIfNotNull(common, "S3_ACCESS_KEY", infra.s3AccessKey);
        putIfNotNull(common, "S3_SECRET_KEY", infra.s3SecretKey);
        common.put("API_KEYS", secrets.tenants().stream()
                .map(t -> t.id() + ":" + ApiKeyRegistry.sha256Hex(t.apiKey()))
                .collect(Collectors.joining(";")));
        common.put("LINK_SIGNING_KEY", secrets.linkSigningKey());
        common.put("INGEST_PUBLIC_URL", urls.ingest());
        // Upload-from-URL and provider media downloads reach loopback only on the simulators' own port; every other
        // loopback port (Kafka, the services, a developer's servers) stays refused, as in production.
        common.put("OUTBOUND_ALLOW_HOSTS", options.env("OUTBOUND_ALLOW_HOSTS",
                "127.0.0.1:" + ports.simulators() + ",localhost:" + ports.simulators()));
        // A local-stack convenience: client webhooks (callbacks, tenant endpoints) may go to a developer's receivers
        // on any loopback port.
        common.put("WEBHOOK_ALLOW_HOSTS", options.env("WEBHOOK_ALLOW_HOSTS", "127.0.0.1,localhost"));
        common.put("spring.main.banner-mode", "off");
        return common;
    }

    private static Map<String, String> dispatch(LocalStackOptions options, StackPorts ports, LocalSecrets secrets,
                                                StackSimulators simulators, Urls urls, Map<String, String> common) {
        String simulatorUrl = simulators.url();
        Map<String, String> dispatch = new LinkedHashMap<>(common);
        dispatch.put("DISPATCH_PORT", String.valueOf(ports.dispatch()));
        // dispatch sends a partition's poll at a time (its conversations at once): a consumer thread per partition
        dispatch.put("DISPATCH_CONCURRENCY", options.env("DISPATCH_CONCURRENCY", String.valueOf(StackSizes.partitions(options))));
        dispatch.put("WHATSAPP_BASE_URL", options.env("WHATSAPP_BASE_URL", simulatorUrl));
        dispatch.put("WHATSAPP_ACCESS_TOKEN", options.env("WHATSAPP_ACCESS_TOKEN", secrets.whatsappAccessToken()));
        dispatch.put("WHATSAPP_APP_SECRET", options.env("WHATSAPP_APP_SECRET", secrets.whatsappAppSecret()));
        dispatch.put("WHATSAPP_PHONE_NUMBER_ID", simulators.whatsappPhoneNumberId);
        dispatch.put("WHATSAPP_VERIFY_TOKEN", options.env("WHATSAPP_VERIFY_TOKEN", secrets.whatsappVerifyToken()));
        dispatch.put("DISPATCH_PUBLIC_URL", options.env("DISPATCH_PUBLIC_URL", urls.dispatch()));
        if (options.env("TWILIO_BASE_URL") == null) {
            dispatch.put("TWILIO_BASE_URL", simulatorUrl);
            dispatch.put("TWILIO_ACCOUNT_SID", simulators.twilioAccountSid);
            dispatch.put("TWILIO_AUTH_TOKEN", simulators.twilioAuthToken);
            dispatch.put("TWILIO_FROM", simulators.twilioFrom);
        }
        if (options.env("D360_BASE_URL") == null) {
            dispatch.put("D360_BASE_URL", simulatorUrl);
            dispatch.put("D360_API_KEY", simulators.d360ApiKey);
        }
        if (options.env("FCM_BASE_URL") == null) {
            dispatch.put("FCM_BASE_URL", simulatorUrl);
            dispatch.put("FCM_PROJECT_ID", simulators.fcm.projectId());
            dispatch.put("FCM_ACCESS_TOKEN", simulators.fcmAccessToken);
        }
        if (options.env("NOTIFY_BASE_URL") == null) {
            dispatch.put("NOTIFY_BASE_URL", simulatorUrl);
            dispatch.put("NOTIFY_API_KEY", simulators.notifyApiKey);
            dispatch.put("NOTIFY_WEBHOOK_SECRET", simulators.notifyWebhookSecret);
        }
        if (options.env("EMAIL_SMTP_HOST") == null) {
            // the simulators' SMTP sink on loopback: no credentials, no STARTTLS
            dispatch.put("EMAIL_SMTP_HOST", "127.0.0.1");
            dispatch.put("EMAIL_SMTP_PORT", String.valueOf(simulators.email.smtpPort()));
            dispatch.put("EMAIL_SMTP_STARTTLS", "false");
            dispatch.put("EMAIL_FROM", simulators.emailFrom);
        }

        dispatch.put("NOTIFY_SENDER", simulators.notifySender);
        String demoInbox = secrets.tenants().getFirst().id() + "/demo-inbox";
        dispatch.put("INBOUND_ROUTES", options.env("INBOUND_ROUTES", "whatsapp:" + simulators.whatsappPhoneNumberId
                + "=" + demoInbox + ";twilio:" + simulators.twilioFrom + "=" + demoInbox + ";notify:"
                + simulators.notifySender + "=" + demoInbox));
        return dispatch;
    }

    /** Puts the value unless it is null. */
    static void putIfNotNull(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
