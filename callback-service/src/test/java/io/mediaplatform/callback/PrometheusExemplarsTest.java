package io.mediaplatform.callback;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Trace exemplars on {@code /actuator/prometheus} (ARCHITECTURE §13): a webhook's latency bucket names the trace of its
 * message, and exemplars stand only where every Prometheus that reads OpenMetrics takes them.
 */
class PrometheusExemplarsTest extends CallbackServiceTestBase {

    private static final String OPENMETRICS = "application/openmetrics-text;version=1.0.0";

    @Test
    void the_webhook_latency_histogram_carries_an_exemplar_naming_the_trace_of_the_webhook() throws Exception {
        // Given a message whose webhook was delivered, as a span of the message's trace
        String messageId = UUID.randomUUID().toString();
        String path = "/exemplars/" + messageId;
        received(messageId, null, null, List.of(RECEIVER.url(path)), Instant.now());
        await().atMost(AWAIT).until(() -> RECEIVER.received(path).size() == 1);
        String traceId = RECEIVER.received(path).getFirst().headers().get("traceparent").split("-")[1];

        // When Prometheus scrapes callback in OpenMetrics
        HttpResponse<String> scraped = http.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/prometheus"))
                .header("Accept", OPENMETRICS).build(), HttpResponse.BodyHandlers.ofString());

        // Then a bucket of callback_webhook_latency_seconds carries that trace id as its exemplar
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/openmetrics-text"));
        Pattern exemplar = Pattern.compile("(?m)^callback_webhook_latency_seconds_bucket\\{[^}]*target=\"callback\"[^}]*} \\S+ "
                + "# \\{[^}]*trace_id=\"" + traceId + "\"[^}]*} \\S+");
        await().atMost(AWAIT).untilAsserted(() -> assertThat(exemplar.matcher(http.send(HttpRequest.newBuilder(
                        URI.create(base() + "/actuator/prometheus")).header("Accept", OPENMETRICS).build(),
                HttpResponse.BodyHandlers.ofString()).body()).find()).as("an exemplar of trace %s", traceId).isTrue());

        // And no exemplar stands on any other line than a counter's _total or a histogram's _bucket: a Prometheus
        // before 2.43 refuses the whole scrape for one on a _count
        List<String> withExemplars = scraped.body().lines().filter(line -> !line.startsWith("#") && line.contains(" # {"))
                .toList();
        assertThat(withExemplars).isNotEmpty()
                .allSatisfy(line -> assertThat(line).matches("^[a-zA-Z_:][a-zA-Z0-9_:]*(_bucket|_total)(\\{.*)?$"));
        // And the classic text format has none
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).doesNotContain("trace_id=");
    }
}
