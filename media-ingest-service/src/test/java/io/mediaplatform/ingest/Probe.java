package io.mediaplatform.ingest;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One answer of an actuator probe as an operator's tooling gets it: the HTTP status and the JSON body. A probe that
 * takes longer than {@link #TIMEOUT} (the compose healthcheck's timeout; the Helm chart's readiness probe waits 3 s)
 * fails with an exception.
 */
record Probe(int status, JsonNode body) {

    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static Probe readiness(int port) {
        return get(port, "/actuator/health/readiness");
    }

    static Probe liveness(int port) {
        return get(port, "/actuator/health/liveness");
    }

    static Probe get(int port, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            return new Probe(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The group's overall status: UP, DOWN, OUT_OF_SERVICE. */
    String state() {
        return body.path("status").asString();
    }

    /** The status of one component of the group, e.g. {@code kafka}; empty when the group has no such component. */
    String component(String name) {
        return body.path("components").path(name).path("status").asString();
    }

    String error(String component) {
        return body.path("components").path(component).path("details").path("error").asString();
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}
