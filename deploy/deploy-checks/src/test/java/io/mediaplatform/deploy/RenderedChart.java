package io.mediaplatform.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The chart rendered by helm-java's embedded Helm library ({@code helm template}), once per values file and cached
 * for the test run, as parsed Kubernetes objects.
 * <p>
 * helm-java's template leaves Helm hooks out of its output. So the chart is rendered from a copy under
 * {@code target/} that has one extra template, {@value #HOOK_PROBE}: it includes the real hook template with the
 * annotation key renamed to {@value #PROBED_HOOK_ANNOTATION}, so the hook Job shows up as an ordinary object while the
 * original, still a hook for Helm, stays out (a missing hook annotation would render the Job twice).
 */
record RenderedChart(String name, String manifest, List<Map<String, Object>> objects) {

    static final String RELEASE = "mp";
    static final String NAMESPACE = "media";
    /** helm template assumes Kubernetes 1.20 without a cluster; the chart needs 1.25+ (policy/v1, autoscaling/v2). */
    static final String KUBE_VERSION = "v1.31.0";
    static final Path EXTERNAL_VALUES = Repo.CHART.resolve("ci/external-values.yaml");
    static final String HOOK_PROBE = "zz-test-hook-probe.yaml";
    static final String PROBED_HOOK_ANNOTATION = "probed.helm.sh/hook";

    private static final Map<String, RenderedChart> CACHE = new ConcurrentHashMap<>();
    private static final Path CHART_COPY = Path.of("target", "chart-under-test", "media-platform").toAbsolutePath();

    /** Rendered with the chart's own values.yaml only. */
    static RenderedChart defaults() {
        return CACHE.computeIfAbsent("defaults", k -> render(k, null));
    }

    /** Rendered with ci/external-values.yaml: external everything, every optional resource switched on. */
    static RenderedChart external() {
        return CACHE.computeIfAbsent("external-values", k -> render(k, EXTERNAL_VALUES));
    }

    private static synchronized RenderedChart render(String name, Path valuesFile) {
        TemplateCommand template = new Helm(chartWithHookProbe()).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            template = template.withValuesFile(valuesFile);
        }
        String manifest = template.call();
        return new RenderedChart(name, manifest, Repo.documents(manifest));
    }

    private static Path chartWithHookProbe() {
        try {
            if (Files.exists(CHART_COPY)) {
                try (Stream<Path> old = Files.walk(CHART_COPY)) {
                    old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            try (Stream<Path> files = Files.walk(Repo.CHART)) {
                for (Path source : files.toList()) {
                    Path target = CHART_COPY.resolve(Repo.CHART.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            Files.writeString(CHART_COPY.resolve("templates").resolve(HOOK_PROBE),
                    "{{ include (print $.Template.BasePath \"/topics-job.yaml\") . | replace \"helm.sh/hook\" \""
                            + PROBED_HOOK_ANNOTATION + "\" }}\n");
            return CHART_COPY;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    Map<String, Object> named(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(Repo.at(o, "metadata", "name"))).findFirst()
                .orElseThrow(() -> new AssertionError(kind + " " + name + " not rendered; have " + objects.stream()
                        .map(o -> o.get("kind") + "/" + Repo.at(o, "metadata", "name")).toList()));
    }

    @Override
    public String toString() {
        return name;
    }
}
