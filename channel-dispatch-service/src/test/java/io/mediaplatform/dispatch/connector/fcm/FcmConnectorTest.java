package io.mediaplatform.dispatch.connector.fcm;

import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.SendKind;
import io.mediaplatform.dispatch.send.core.SendResult;
import io.mediaplatform.simulator.FcmSimulator;
import io.mediaplatform.simulator.ReceivedSend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The FCM connector against the running FCM HTTP v1 simulator: the request and how each answer is read. */
class FcmConnectorTest {

    private static final String TOKEN = "fcm-connector-test-token";
    private static final String PROJECT = "p-connector";
    private static final String LINK = "http://127.0.0.1:1/v1/media/m-1/content?tenant=t-1&expires=1&signature=s";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static FcmSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = FcmSimulator.builder().accessToken(TOKEN).projectId(PROJECT).build().start();
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @BeforeEach
    void clear() {
        simulator.reset();
    }

    private static FcmConnector connector(String token) {
        return new FcmConnector(HTTP, simulator.url() + "/", PROJECT, token, "Hello", Duration.ofSeconds(5));
    }

    private static OutboundSend image(String deviceToken, String caption) {
        return OutboundSend.media("t-1", "msg-1", "PUSH", null, deviceToken, SendKind.IMAGE, caption, null, LINK, "m-1",
                null);
    }

    @Test
    void sends_the_v1_message_and_returns_the_message_name() {
        // When an image without a caption and without a conversation is pushed
        SendResult result = connector(TOKEN).send(image("device-1", null));

        // Then the name FCM answered is the provider message id
        assertThat(result).isInstanceOf(SendResult.Sent.class);
        assertThat(((SendResult.Sent) result).providerMessageId()).startsWith("projects/" + PROJECT + "/messages/0:");

        // And the notification has the title and the image, no body; data has only the ids we have
        ReceivedSend sent = simulator.sends().getFirst();
        assertThat(sent.header("Content-Type")).isEqualTo("application/json");
        assertThat(sent.body().at("/message/notification").fieldNames()).toIterable().containsExactly("title", "image");
        assertThat(sent.body().at("/message/notification/image").asText()).isEqualTo(LINK);
        assertThat(sent.body().at("/message/data").fieldNames()).toIterable()
                .containsExactly("tenantId", "messageId", "mediaId");
    }

    @Test
    void an_unregistered_or_invalid_token_fails_for_good_with_fcms_error_code() {
        // When pushes go to a token FCM no longer knows and to one it never could
        SendResult unregistered = connector(TOKEN).send(image("device-unregistered", "hi"));
        SendResult invalid = connector(TOKEN).send(image("device-invalid", "hi"));

        // Then both fail, not to be retried, with FCM's errorCode and message
        assertThat(unregistered).isEqualTo(new SendResult.Failed("UNREGISTERED", "Requested entity was not found.", false));
        assertThat(invalid).isEqualTo(new SendResult.Failed("INVALID_ARGUMENT",
                "The registration token is not a valid FCM registration token", false));
    }

    @Test
    void quota_and_unavailability_are_retryable_and_keep_fcms_retry_after() {
        // When FCM says its quota is spent, and that it is unavailable
        SendResult quota = connector(TOKEN).send(image("device-quota", "hi"));
        SendResult unavailable = connector(TOKEN).send(image("device-unavailable", "hi"));

        // Then both may be tried again, the first after FCM's Retry-After
        assertThat(quota).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
            assertThat(f.code()).isEqualTo("QUOTA_EXCEEDED");
            assertThat(f.retryable()).isTrue();
            assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        });
        assertThat(unavailable).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
            assertThat(f.code()).isEqualTo("UNAVAILABLE");
            assertThat(f.retryable()).isTrue();
        });
    }

    @Test
    void a_wrong_access_token_fails_with_unauthenticated_and_is_not_retried() {
        // When the access token is wrong
        SendResult result = connector("wrong").send(image("device-1", "hi"));

        // Then FCM's status is the reason
        assertThat(result).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
            assertThat(f.code()).isEqualTo("UNAUTHENTICATED");
            assertThat(f.retryable()).isFalse();
        });
    }
}
