package io.mediaplatform.localstack;

import io.mediaplatform.embedded.Ports;
import io.mediaplatform.simulator.EmailSimulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ports of the local stack: docs/ARCHITECTURE.md §7's defaults, or free ones with {@code --ports=random}. */
record StackPorts(int ingest, int schemaRegistry, int dispatch, int callback, int validation, int simulators,
                  int s3, int kafka, int kafkaController, int smtp) {

    static StackPorts defaults() {
        return new StackPorts(8080, 8081, 8082, 8083, 8084, 8099, 9000, 9092, 9093, EmailSimulator.DEFAULT_SMTP_PORT);
    }

    static StackPorts random() {
        return new StackPorts(Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(),
                Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort());
    }

    /** Ports this run will bind, by what binds them (external pieces excluded). */
    Map<String, Integer> toBind(boolean kafkaEmbedded, boolean registryEmbedded, boolean s3Embedded) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("ingest", ingest);
        ports.put("dispatch", dispatch);
        ports.put("callback", callback);
        ports.put("validation", validation);
        ports.put("provider simulators", simulators);
        ports.put("SMTP sink", smtp);
        if (registryEmbedded) {
            ports.put("schema registry", schemaRegistry);
        }
        if (s3Embedded) {
            ports.put("S3", s3);
        }
        if (kafkaEmbedded) {
            ports.put("Kafka", kafka);
            ports.put("Kafka controller", kafkaController);
        }
        return ports;
    }

    /** Refuses to start when one of the wanted ports is taken, naming what wanted it. */
    static void checkFree(Map<String, Integer> wanted) {
        List<String> busy = wanted.entrySet().stream().filter(e -> !Ports.isFree(e.getValue()))
                .map(e -> e.getValue() + " (" + e.getKey() + ")").toList();
        if (!busy.isEmpty()) {
            throw new PortInUseException("Port" + (busy.size() > 1 ? "s " : " ") + String.join(", ", busy)
                    + (busy.size() > 1 ? " are" : " is") + " already in use. Stop what uses "
                    + (busy.size() > 1 ? "them" : "it") + " (another local stack?), or start with --ports=random.");
        }
    }

    /** A default port is taken. */
    static class PortInUseException extends RuntimeException {
        PortInUseException(String message) {
            super(message);
        }
    }
}
