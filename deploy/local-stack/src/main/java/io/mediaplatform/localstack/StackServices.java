package io.mediaplatform.localstack;

import io.mediaplatform.callback.CallbackApplication;
import io.mediaplatform.dispatch.DispatchApplication;
import io.mediaplatform.embedded.Ports;
import io.mediaplatform.ingest.IngestApplication;
import io.mediaplatform.validation.ValidationApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the four services in their start order (callback, validation, dispatch, ingest): as Spring contexts in this
 * JVM, dispatch and callback with their replicas, or each as its own child JVM ({@link ServiceProcess}).
 */
final class StackServices {

    /** Called with callback's context before the next service starts. */
    interface CallbackStarted {
        void accept(ConfigurableApplicationContext callback) throws Exception;
    }

    private final List<AutoCloseable> resources;
    private final List<ApplicationContextInitializer<ConfigurableApplicationContext>> initializers;
    private final Map<String, ServiceProcess> processes = new LinkedHashMap<>();

    /** Each started service is added to {@code resources}; every context gets the initializers first. */
    StackServices(List<AutoCloseable> resources,
                  List<ApplicationContextInitializer<ConfigurableApplicationContext>> initializers) {
        this.resources = resources;
        this.initializers = initializers;
    }

    /** Starts the four in this JVM, {@code replicas} of dispatch and of callback each. */
    void startInJvm(Map<String, Map<String, String>> settings, int replicas, CallbackStarted callbackStarted)
            throws Exception {
        callbackStarted.accept(run("callback", CallbackApplication.builder(), settings.get("callback")));
        run("validation", ValidationApplication.builder(), settings.get("validation"));
        run("dispatch", DispatchApplication.builder(), settings.get("dispatch"));
        for (int replica = 2; replica <= replicas; replica++) {
            Map<String, String> again = new LinkedHashMap<>(settings.get("dispatch"));
            again.put("DISPATCH_PORT", String.valueOf(Ports.freePort()));
            run("dispatch-" + replica, DispatchApplication.builder(), again);
            Map<String, String> callbackAgain = new LinkedHashMap<>(settings.get("callback"));
            callbackAgain.put("CALLBACK_PORT", String.valueOf(Ports.freePort()));
            run("callback-" + replica, CallbackApplication.builder(), callbackAgain);
        }
        run("ingest", IngestApplication.builder(), settings.get("ingest"));
    }

    /** Launches the four service JVMs at once, with {@code extra} settings added, then waits until each is ready. */
    void startProcesses(Path data, StackPorts ports, Map<String, Map<String, String>> settings,
                        Map<String, String> extra) throws InterruptedException {
        Map<String, Integer> httpPorts = Map.of("callback", ports.callback(), "validation", ports.validation(),
                "dispatch", ports.dispatch(), "ingest", ports.ingest());
        for (String name : List.of("callback", "validation", "dispatch", "ingest")) {
            Map<String, String> properties = new LinkedHashMap<>(settings.get(name));
            properties.putAll(extra);
            ServiceProcess process = new ServiceProcess(name, httpPorts.get(name), properties, data);
            resources.add(process);
            processes.put(name, process.launch());
        }
        for (ServiceProcess process : processes.values()) {
            process.awaitReady();
        }
    }

    /** One service's child JVM, when started with {@link #startProcesses}. */
    ServiceProcess process(String name) {
        ServiceProcess process = processes.get(name);
        if (process == null) {
            throw new IllegalArgumentException("no service process " + name + " (services run as processes only with startWithServiceProcesses)");
        }
        return process;
    }

    private ConfigurableApplicationContext run(String name, SpringApplicationBuilder builder, Map<String, String> properties) {
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        initializers.forEach(initializer -> builder.initializers(initializer));
        ConfigurableApplicationContext context = builder.registerShutdownHook(false).run(args);
        resources.add(context::close);
        return context;
    }
}
