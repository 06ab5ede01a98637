package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class FcmSimulatorTest {

    private static final String TOKEN = "test-fcm-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FcmSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = FcmSimulator.builder().accessToken(TOKEN).projectId("p-1").build().start();
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @BeforeEach
    void clear() {
        simulator.reset();
    }

    private static HttpResponse<String> send(String project, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.url() + "/v1/projects/" + project
                        + "/messages:send"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return WebhookReceiver.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String push(String deviceToken) {
        return """
                {"message":{"token":"%s","notification":{"title":"Hi","body":"Look","image":"https://cdn.example/a.jpg"},
                 "data":{"messageId":"m-1"}}}""".formatted(deviceToken);
    }

    @Test
    void accepts_a_push_to_a_token_answers_its_name_and_records_it_field_by_field() throws Exception {
        // When a notification with an image is sent with the right token to the project
        HttpResponse<String> response = send("p-1", TOKEN, push("device-1"));

        // Then FCM's answer names the message, and the request is kept as sent
        assertThat(response.statusCode()).isEqualTo(200);
        String name = JSON.readTree(response.body()).path("name").asText();
        assertThat(name).startsWith("projects/p-1/messages/0:");
        ReceivedSend send = simulator.sends().getFirst();
        assertThat(send.messageId()).isEqualTo(name);
        assertThat(send.path()).isEqualTo("/v1/projects/p-1/messages:send");
        assertThat(send.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(send.body().at("/message/token").asText()).isEqualTo("device-1");
        assertThat(send.body().at("/message/notification/image").asText()).isEqualTo("https://cdn.example/a.jpg");
        assertThat(send.body().at("/message/data/messageId").asText()).isEqualTo("m-1");
        JsonNode listed = JSON.readTree(WebhookReceiver.get(simulator.url() + FcmSimulator.SENT_MESSAGES_PATH, null).body());
        assertThat(listed.get(0).path("name").asText()).isEqualTo(name);
    }

    @Test
    void answers_fcm_errors_for_a_bad_credential_another_project_a_bad_body_and_the_magic_tokens() throws Exception {
        // When sends go wrong in each way FCM tells apart
        // Then each gets FCM's status and error code
        assertError(send("p-1", "wrong", push("device-1")), 401, "UNAUTHENTICATED", null);
        assertError(send("other", TOKEN, push("device-1")), 403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH");
        assertError(send("p-1", TOKEN, "{\"message\":{\"token\":\"d\",\"data\":{\"n\":1}}}"), 400, "INVALID_ARGUMENT",
                "INVALID_ARGUMENT");
        assertError(send("p-1", TOKEN, push("device-unregistered")), 404, "NOT_FOUND", "UNREGISTERED");
        assertError(send("p-1", TOKEN, push("device-invalid")), 400, "INVALID_ARGUMENT", "INVALID_ARGUMENT");
        HttpResponse<String> quota = send("p-1", TOKEN, push("device-quota"));
        assertError(quota, 429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED");
        assertThat(quota.headers().firstValue("Retry-After")).hasValue("1");
        assertError(send("p-1", TOKEN, push("device-unavailable")), 503, "UNAVAILABLE", "UNAVAILABLE");
        simulator.failNext(Fault.unavailable());
        assertError(send("p-1", TOKEN, push("device-1")), 503, "UNAVAILABLE", "UNAVAILABLE");
        assertThat(simulator.sends()).noneMatch(ReceivedSend::accepted);
    }

    private static void assertError(HttpResponse<String> response, int status, String statusName, String errorCode)
            throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(status);
        assertThat(error.path("status").asText()).isEqualTo(statusName);
        if (errorCode != null) {
            assertThat(error.at("/details/0/errorCode").asText()).isEqualTo(errorCode);
        }
    }
}
