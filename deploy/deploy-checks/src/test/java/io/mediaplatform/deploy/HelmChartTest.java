package io.mediaplatform.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.mediaplatform.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.mediaplatform.deploy.Repo.at;
import static io.mediaplatform.deploy.Repo.listAt;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Helm chart, linted and rendered by the real Helm library (helm-java bundles it; no helm binary, no cluster):
 * with its default values and with ci/external-values.yaml (external Kafka/registry/S3/PostgreSQL, existing Secrets,
 * every optional resource on).
 */
class HelmChartTest {

    private static final List<String> STANDARD_LABELS = List.of("app.kubernetes.io/name", "app.kubernetes.io/instance",
            "app.kubernetes.io/version", "app.kubernetes.io/managed-by", "app.kubernetes.io/part-of", "helm.sh/chart");
    private static final List<String> COMPONENTS = List.of("ingest", "validation", "dispatch", "callback");

    static Stream<RenderedChart> renderings() {
        return Stream.of(RenderedChart.defaults(), RenderedChart.external());
    }

    @Test
    void the_chart_passes_helm_lint() {
        // When the chart is linted strictly (default values; warnings count as failures)
        LintResult result = new Helm(Repo.CHART).lint().strict().call();

        // Then Helm reports no error and no warning
        assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void every_service_is_a_deployment_probed_on_the_actuator_health_groups(RenderedChart chart) {
        // Given the rendered chart, then each of the four services is a Deployment whose container is probed on the
        // actuator liveness (startup, liveness) and readiness groups through the named http port
        List<Map<String, Object>> deployments = chart.ofKind("Deployment");
        assertThat(deployments).extracting(d -> at(d, "metadata", "labels", "app.kubernetes.io/component"))
                .containsExactlyElementsOf(COMPONENTS);
        for (Map<String, Object> deployment : deployments) {
            Map<String, Object> container = containers(deployment).getFirst();
            assertThat((String) at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
            assertThat((String) at(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
            assertThat((String) at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
            assertThat((Object) at(container, "readinessProbe", "httpGet", "port")).isEqualTo("http");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void each_pod_drains_before_it_stops_and_its_grace_period_covers_the_whole_shutdown(RenderedChart chart) {
        for (Map<String, Object> deployment : chart.ofKind("Deployment")) {
            String name = at(deployment, "metadata", "name");
            // Given the service's settings
            Map<String, Object> config = at(chart.named("ConfigMap", name), "data");
            long drain = seconds((String) config.get("SHUTDOWN_DRAIN_DELAY"));
            long step = seconds((String) config.get("SHUTDOWN_TIMEOUT"));
            // Then readiness goes down for a while before the server stops accepting
            assertThat(drain).as("SHUTDOWN_DRAIN_DELAY of %s", name).isPositive();
            // And Kubernetes waits for the drain and both shutdown steps (listeners, then HTTP) before SIGKILL
            Number grace = at(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds");
            assertThat(grace.longValue()).as("terminationGracePeriodSeconds of %s", name).isGreaterThan(drain + 2 * step);
        }
    }

    private static long seconds(String duration) {
        assertThat(duration).matches("\\d+s");
        return Long.parseLong(duration.substring(0, duration.length() - 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void no_secret_is_a_plain_value(RenderedChart chart) {
        // Given every container env entry of every workload (Deployments and the hook Job)
        for (Map<String, Object> workload : workloads(chart)) {
            for (Map<String, Object> container : containers(workload)) {
                for (Map<String, Object> env : listAt(container, "env")) {
                    String name = (String) env.get("name");
                    // Then a name that looks secret is always a secretKeyRef, never a value
                    if (Repo.SECRET_NAME.matcher(name).matches()) {
                        assertThat(env).as("%s in %s", name, at(workload, "metadata", "name")).doesNotContainKey("value");
                        assertThat((Object) at(env, "valueFrom", "secretKeyRef", "key")).as(name).isNotNull();
                    }
                }
            }
        }
        // And no ConfigMap carries a secret-looking key
        for (Map<String, Object> configMap : chart.ofKind("ConfigMap")) {
            Map<String, Object> data = at(configMap, "data");
            assertThat(data.keySet()).noneMatch(k -> Repo.SECRET_NAME.matcher(k).matches());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void each_service_gets_exactly_the_secrets_it_needs(RenderedChart chart) {
        Map<String, Set<String>> expected = Map.of(
                "ingest", Set.of("S3_ACCESS_KEY", "S3_SECRET_KEY", "API_KEYS", "LINK_SIGNING_KEY", "DATABASE_PASSWORD", "SCHEMA_REGISTRY_USER_INFO"),
                "validation", Set.of("S3_ACCESS_KEY", "S3_SECRET_KEY", "SCHEMA_REGISTRY_USER_INFO"),
                "dispatch", Set.of("S3_ACCESS_KEY", "S3_SECRET_KEY", "API_KEYS", "LINK_SIGNING_KEY", "WHATSAPP_ACCESS_TOKEN",
                        "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "TWILIO_AUTH_TOKEN", "NOTIFY_API_KEY",
                        "NOTIFY_WEBHOOK_SECRET", "EMAIL_SMTP_PASSWORD", "D360_API_KEY", "FCM_ACCESS_TOKEN",
                        "SCHEMA_REGISTRY_USER_INFO"),
                "callback", Set.of("S3_ACCESS_KEY", "S3_SECRET_KEY", "API_KEYS", "LINK_SIGNING_KEY", "DATABASE_PASSWORD", "WEBHOOK_SECRETS",
                        "WEBHOOK_ENCRYPTION_KEY", "SCHEMA_REGISTRY_USER_INFO"));
        for (Map<String, Object> deployment : chart.ofKind("Deployment")) {
            String component = at(deployment, "metadata", "labels", "app.kubernetes.io/component");
            Set<String> fromSecrets = new LinkedHashSet<>();
            for (Map<String, Object> env : listAt(containers(deployment).getFirst(), "env")) {
                if (at(env, "valueFrom", "secretKeyRef") != null) {
                    fromSecrets.add((String) env.get("name"));
                }
            }
            assertThat(fromSecrets).as(component).containsExactlyInAnyOrderElementsOf(expected.get(component));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void ingest_fetches_customers_media_through_the_dispatch_service_and_gets_no_provider_setting(RenderedChart chart) {
        // Given the ingest ConfigMap and the dispatch Service
        Map<String, Object> ingest = chart.ofKind("ConfigMap").stream()
                .filter(cm -> "ingest".equals(at(cm, "metadata", "labels", "app.kubernetes.io/component")))
                .map(cm -> (Map<String, Object>) at(cm, "data")).findFirst().orElseThrow();
        Map<String, Object> dispatch = chart.ofKind("Service").stream()
                .filter(svc -> "dispatch".equals(at(svc, "metadata", "labels", "app.kubernetes.io/component")))
                .findFirst().orElseThrow();
        Object port = listAt(dispatch, "spec", "ports").getFirst().get("port");

        // Then ingest's DISPATCH_INTERNAL_URL is dispatch's in-cluster URL, and no provider setting reaches ingest
        assertThat(ingest).containsEntry("DISPATCH_INTERNAL_URL", "http://" + at(dispatch, "metadata", "name") + "."
                + at(dispatch, "metadata", "namespace") + ".svc:" + port);
        assertThat(ingest.keySet()).noneMatch(k -> k.startsWith("WHATSAPP_") || k.startsWith("TWILIO_")
                || k.startsWith("NOTIFY_") || k.startsWith("INBOUND_MEDIA_HOSTS_"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void every_env_var_the_chart_sets_is_one_a_service_reads(RenderedChart chart) {
        // Given every env var name in the ConfigMaps and container env of the services
        Set<String> set = new LinkedHashSet<>();
        chart.ofKind("ConfigMap").forEach(cm -> set.addAll(((Map<String, Object>) at(cm, "data")).keySet()));
        chart.ofKind("Deployment").forEach(d -> listAt(containers(d).getFirst(), "env").forEach(e -> set.add((String) e.get("name"))));
        set.remove("JAVA_TOOL_OPTIONS"); // read by the JVM itself

        // Then each is a ${NAME:...} placeholder of some service's yml (a typo would silently set nothing)
        assertThat(Repo.envVarsReadByServices()).containsAll(set);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void containers_are_non_root_read_only_and_sized(RenderedChart chart) {
        for (Map<String, Object> workload : workloads(chart)) {
            Map<String, Object> pod = at(workload, "spec", "template", "spec");
            assertThat((Object) at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
            for (Map<String, Object> container : containers(workload)) {
                String what = at(workload, "metadata", "name") + "/" + container.get("name");
                assertThat((Object) at(container, "securityContext", "readOnlyRootFilesystem")).as(what).isEqualTo(true);
                assertThat((Object) at(container, "securityContext", "allowPrivilegeEscalation")).as(what).isEqualTo(false);
                assertThat((Object) at(container, "resources", "requests", "memory")).as(what).isNotNull();
                assertThat((Object) at(container, "resources", "requests", "cpu")).as(what).isNotNull();
                assertThat((Object) at(container, "resources", "limits", "memory")).as(what).isNotNull();
                // The writable /tmp the read-only root filesystem needs
                assertThat(listAt(container, "volumeMounts")).as(what).anyMatch(m -> "/tmp".equals(m.get("mountPath")));
            }
        }
        for (Map<String, Object> deployment : chart.ofKind("Deployment")) {
            assertThat((Object) at(deployment, "spec", "template", "spec", "securityContext", "runAsUser")).isEqualTo(10001);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void every_resource_carries_the_standard_labels(RenderedChart chart) {
        for (Map<String, Object> object : chart.objects()) {
            Map<String, Object> labels = at(object, "metadata", "labels");
            assertThat(labels).as("%s %s", object.get("kind"), at(object, "metadata", "name")).containsKeys(STANDARD_LABELS.toArray(String[]::new));
            assertThat(labels).containsEntry("app.kubernetes.io/instance", RenderedChart.RELEASE)
                    .containsEntry("app.kubernetes.io/managed-by", "Helm");
        }
        // And the Services select exactly their Deployment's pods
        for (Map<String, Object> service : chart.ofKind("Service")) {
            Map<String, Object> selector = at(service, "spec", "selector");
            Map<String, Object> deployment = chart.named("Deployment", at(service, "metadata", "name"));
            assertThat((Map<String, Object>) at(deployment, "spec", "template", "metadata", "labels")).containsAllEntriesOf(selector);
            assertThat((Map<String, Object>) at(deployment, "spec", "selector", "matchLabels")).isEqualTo(selector);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void the_topic_hook_creates_the_whole_catalogue_before_install_and_upgrade(RenderedChart chart) {
        // Given the rendered hook Job
        Map<String, Object> job = chart.named("Job", RenderedChart.RELEASE + "-media-platform-topics");

        // Then it is a pre-install and pre-upgrade hook: Helm treats the real template as a hook (it is not among the
        // release's plain objects: only the probe's copy is), and its annotation names both events
        assertThat(chart.ofKind("Job")).hasSize(1);
        String hook = at(job, "metadata", "annotations", RenderedChart.PROBED_HOOK_ANNOTATION);
        assertThat(Arrays.asList(hook.split(","))).containsExactlyInAnyOrder("pre-install", "pre-upgrade");
        assertThat((String) at(job, "metadata", "annotations", RenderedChart.PROBED_HOOK_ANNOTATION + "-delete-policy"))
                .contains("before-hook-creation");

        // And it creates with --if-not-exists exactly the catalogue's topics and their .dlt twins, the settings topic compacted
        Map<String, Object> container = containers(job).getFirst();
        assertThat((String) container.get("image")).contains("apache/kafka");
        Map<String, String> env = new HashMap<>();
        listAt(container, "env").forEach(e -> env.put((String) e.get("name"), Repo.string(e.get("value"))));
        List<String> created = new ArrayList<>(List.of(env.get("TOPICS").trim().split("\\s+")));
        created.addAll(List.of(env.get("COMPACTED_TOPICS").trim().split("\\s+")));
        assertThat(created).containsExactlyInAnyOrderElementsOf(Topics.allNamesWithDlt());
        assertThat(env.get("COMPACTED_TOPICS").trim()).isEqualTo(Topics.INBOX_MEDIA_SETTINGS.name());
    }

    @Test
    void the_topic_hook_script_asks_kafka_for_every_topic_with_the_configured_layout() throws Exception {
        // Given the hook Job of the external values (12 partitions, replication 3, min.insync.replicas=2, SASL config)
        Map<String, Object> container = containers(RenderedChart.external().ofKind("Job").getFirst()).getFirst();
        String script = ((List<String>) container.get("args")).getFirst();
        Map<String, String> env = new HashMap<>();
        listAt(container, "env").forEach(e -> env.put((String) e.get("name"), Repo.string(e.get("value"))));
        Path work = Path.of("target", "hook-script").toAbsolutePath();
        Files.createDirectories(work);
        Files.writeString(work.resolve("client.properties"), "security.protocol=SASL_SSL\n");

        // When the script runs against a recording stand-in of kafka-topics.sh
        List<String> calls = TopicScript.run(script, env, work);

        // Then it creates each topic once, if missing, with the layout from the values and the client config
        List<String> creates = calls.stream().filter(c -> c.contains("--create")).toList();
        assertThat(creates).hasSize(Topics.allNamesWithDlt().size());
        for (String topic : Topics.allNamesWithDlt()) {
            String call = creates.stream().filter(c -> c.contains("--topic " + topic + " ")).findFirst().orElseThrow();
            assertThat(call).contains("--bootstrap-server kafka-0.kafka.messaging.svc:9092", "--if-not-exists",
                    "--partitions 12", "--replication-factor 3", "--config min.insync.replicas=2", "--command-config");
            assertThat(call.contains("cleanup.policy=compact")).as(topic).isEqualTo(topic.equals(Topics.INBOX_MEDIA_SETTINGS.name()));
        }
    }

    @Test
    void default_values_render_a_pdb_per_service_and_leave_the_optional_resources_off() {
        RenderedChart chart = RenderedChart.defaults();
        assertThat(chart.ofKind("PodDisruptionBudget")).hasSize(4);
        assertThat(chart.ofKind("HorizontalPodAutoscaler")).isEmpty();
        assertThat(chart.ofKind("NetworkPolicy")).isEmpty();
        assertThat(chart.ofKind("ServiceMonitor")).isEmpty();
        assertThat(chart.ofKind("Ingress")).isEmpty();
        // Without an existing Secret the chart renders its own, and the pods reference it
        assertThat(chart.ofKind("Secret")).extracting(s -> at(s, "metadata", "name")).containsExactly("mp-media-platform-secrets");
        assertThat(secretNames(chart)).containsOnly("mp-media-platform-secrets");
        assertThat(chart.ofKind("Deployment")).allSatisfy(d -> assertThat((Object) at(d, "spec", "replicas")).isEqualTo(2));
        // And the images are the compose images tagged with the appVersion
        assertThat((String) containers(chart.named("Deployment", "mp-media-platform-ingest")).getFirst().get("image"))
                .isEqualTo("media-platform/media-ingest-service:0.1.0-SNAPSHOT");
    }

    @Test
    void external_values_switch_on_hpa_networkpolicy_servicemonitor_and_ingress_and_use_existing_secrets() {
        RenderedChart chart = RenderedChart.external();

        // HPA per service, replicas left to it
        assertThat(chart.ofKind("HorizontalPodAutoscaler")).hasSize(4)
                .allSatisfy(h -> assertThat((Object) at(h, "spec", "scaleTargetRef", "kind")).isEqualTo("Deployment"));
        assertThat(chart.ofKind("Deployment")).allSatisfy(d -> assertThat((Object) at(d, "spec", "replicas")).isNull());
        Map<String, Object> ingestPdb = chart.named("PodDisruptionBudget", "mp-media-platform-ingest");
        assertThat((Object) at(ingestPdb, "spec", "maxUnavailable")).isEqualTo(1);

        // NetworkPolicy per service: ingest and dispatch open on their port, the others only to the release's pods
        assertThat(chart.ofKind("NetworkPolicy")).hasSize(4);
        assertThat(listAt(chart.named("NetworkPolicy", "mp-media-platform-ingest"), "spec", "ingress").getFirst()).doesNotContainKey("from");
        List<Map<String, Object>> callbackFrom = listAt(listAt(chart.named("NetworkPolicy", "mp-media-platform-callback"), "spec", "ingress").getFirst(), "from");
        assertThat(callbackFrom).hasSize(2);

        // ServiceMonitor on the actuator's Prometheus endpoint, Ingress to ingest and dispatch
        Map<String, Object> monitor = chart.ofKind("ServiceMonitor").getFirst();
        assertThat((Object) at(listAt(monitor, "spec", "endpoints").getFirst(), "path")).isEqualTo("/actuator/prometheus");
        Map<String, Object> ingress = chart.ofKind("Ingress").getFirst();
        assertThat(String.valueOf((Object) at(ingress, "spec", "rules"))).contains("mp-media-platform-ingest", "mp-media-platform-dispatch");

        // Existing Secrets: none rendered, callback has its own
        assertThat(chart.ofKind("Secret")).isEmpty();
        assertThat(secretNames(chart)).containsOnly("media-platform-secrets", "media-platform-callback-secrets");
        assertThat(secretRefs(chart.named("Deployment", "mp-media-platform-callback"))).containsOnly("media-platform-callback-secrets");

        // External endpoints land in the ConfigMaps; the ingest image is pinned by digest
        Map<String, Object> callbackConfig = at(chart.named("ConfigMap", "mp-media-platform-callback"), "data");
        assertThat(callbackConfig).containsEntry("DATABASE_URL", "jdbc:postgresql://postgres.db.svc:5432/media?sslmode=require")
                .containsEntry("S3_ENDPOINT", "https://minio.storage.svc:9000")
                .containsEntry("CALLBACK_PORT", "8083");
        Map<String, Object> ingestConfig = at(chart.named("ConfigMap", "mp-media-platform-ingest"), "data");
        assertThat(ingestConfig).containsEntry("DATABASE_URL", "jdbc:postgresql://postgres.db.svc:5432/media?sslmode=require");
        Map<String, Object> validationConfig = at(chart.named("ConfigMap", "mp-media-platform-validation"), "data");
        assertThat(validationConfig).containsEntry("CLAMAV_HOST", "clamav.security.svc").containsEntry("CLAMAV_PORT", "3310");
        assertThat((String) containers(chart.named("Deployment", "mp-media-platform-ingest")).getFirst().get("image"))
                .isEqualTo("registry.example.com/media-platform/media-ingest-service@sha256:0000000000000000000000000000000000000000000000000000000000000001");
        // The hook reads the SASL/TLS client settings from the named Secret
        Map<String, Object> job = chart.ofKind("Job").getFirst();
        assertThat(String.valueOf((Object) at(job, "spec", "template", "spec", "volumes"))).contains("kafka-client-config");
    }

    private static List<Map<String, Object>> workloads(RenderedChart chart) {
        List<Map<String, Object>> workloads = new ArrayList<>(chart.ofKind("Deployment"));
        workloads.addAll(chart.ofKind("Job"));
        assertThat(workloads).isNotEmpty();
        return workloads;
    }

    private static List<Map<String, Object>> containers(Map<String, Object> workload) {
        return listAt(workload, "spec", "template", "spec", "containers");
    }

    private static Set<String> secretRefs(Map<String, Object> deployment) {
        Set<String> names = new LinkedHashSet<>();
        for (Map<String, Object> env : listAt(containers(deployment).getFirst(), "env")) {
            String name = at(env, "valueFrom", "secretKeyRef", "name");
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    private static Set<String> secretNames(RenderedChart chart) {
        Set<String> names = new LinkedHashSet<>();
        chart.ofKind("Deployment").forEach(d -> names.addAll(secretRefs(d)));
        return names;
    }
}
