package io.mediaplatform.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A restart of the local stack on its data directory, on other random ports. */
class RestartEndToEndTest extends LocalStackTestBase {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern PENDING = Pattern.compile("^callback_webhook_pending(\\{.*})? (\\S+)$", Pattern.MULTILINE);

    @Test
    void a_restart_on_other_ports_leaves_one_demo_inbound_endpoint_at_the_new_simulator_and_stops_retrying_the_dead_ones()
            throws Exception {
        // Given the tenant's own endpoint, and a demo-inbound endpoint an earlier run left at a simulator port now dead
        String ownUrl = receiver.url();
        assertThat(Http.postJson(stack.callbackUrl() + "/v1/webhooks", apiKey, """
                {"url":"%s","events":["message.received"],"description":"mine"}""".formatted(ownUrl)).status()).isEqualTo(201);
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        Http.Response stale = Http.postJson(stack.callbackUrl() + "/v1/webhooks", apiKey, """
                {"url":"http://127.0.0.1:%d/webhook-inbox/demo-inbound","events":["message.received"]}""".formatted(deadPort));
        assertThat(stale.status()).as(stale.body()).isEqualTo(201);
        String staleId = stale.json().path("id").asText();
        // And a customer's photo whose webhook to the dead port waits for a retry
        String before = customerPhoto();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> received(before), h -> h.size() == 1);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            JsonNode attempts = Http.get(stack.callbackUrl() + "/v1/webhooks/" + staleId + "/attempts", apiKey).json().path("items");
            assertThat(attempts).isNotEmpty();
            assertThat(attempts.get(0).path("deliveryStatus").asText()).isEqualTo("PENDING");
        });
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> pending() >= 1);

        // When the stack stops and starts again on the same data directory, on other random ports
        stack.close();
        stack = LocalStack.start(new LocalStackOptions(dataDir, false, true, Map.of()));

        // Then the tenant has its own endpoint and exactly one demo-inbound endpoint, at this run's simulator
        String inbound = stack.simulatorUrl() + WebhookInbox.PATH + LocalStack.INBOUND_INBOX;
        List<String> urls = new ArrayList<>();
        Http.get(stack.callbackUrl() + "/v1/webhooks", apiKey).json().path("items").forEach(e -> urls.add(e.path("url").asText()));
        assertThat(urls).containsExactlyInAnyOrder(ownUrl, inbound);
        assertThat(Http.JSON.readTree(dataDir.resolve("local-stack.json").toFile()).path("inboundWebhook").asText()).isEqualTo(inbound);
        // And the delivery to the dead port is not retried any more: nothing is pending
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> pending() == 0);
        // And a customer's photo now reaches the new demo-inbound once, signed with a secret the inbox trusts
        String after = customerPhoto();
        JsonNode hook = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> received(after), h -> h.size() == 1).getFirst();
        assertThat(hook.path("signatureValid").asBoolean()).isTrue();
        assertThat(Files.readString(dataDir.resolve("inbound-webhook.json"))).doesNotContain(staleId);
    }

    /** Has the WhatsApp simulator play a customer sending the demo photo; its provider message id. */
    private static String customerPhoto() throws Exception {
        Http.Response control = Http.postBytes(stack.simulatorUrl() + "/simulator/whatsapp/customer-messages?from=%2B15557654321&type=image",
                "image/png", Files.readAllBytes(DEMO.resolve("photo.png")));
        assertThat(control.status()).as(control.body()).isEqualTo(200);
        return control.json().path("providerMessageId").asText();
    }

    /** The {@code message.received} webhooks of one provider message in this run's demo-inbound inbox. */
    private static List<JsonNode> received(String providerMessageId) throws Exception {
        JsonNode inbox = Http.JSON.readTree(Http.get(stack.simulatorUrl() + WebhookInbox.PATH + LocalStack.INBOUND_INBOX, null).body());
        List<JsonNode> hooks = new ArrayList<>();
        inbox.forEach(hook -> {
            if (providerMessageId.equals(hook.path("payload").path("data").path("providerMessageId").asText())) {
                hooks.add(hook);
            }
        });
        return hooks;
    }

    /** Callback's {@code callback_webhook_pending} gauge: deliveries still to be made or retried. */
    private static double pending() throws Exception {
        HttpResponse<String> scraped = HTTP.send(HttpRequest.newBuilder(URI.create(stack.callbackUrl() + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scraped.statusCode()).isEqualTo(200);
        Matcher sample = PENDING.matcher(scraped.body());
        assertThat(sample.find()).as("callback_webhook_pending in " + stack.callbackUrl()).isTrue();
        return Double.parseDouble(sample.group(2));
    }
}
