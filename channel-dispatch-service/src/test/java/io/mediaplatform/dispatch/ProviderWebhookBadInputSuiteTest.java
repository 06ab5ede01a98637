package io.mediaplatform.dispatch;

import io.mediaplatform.common.signing.StandardWebhooks;
import io.mediaplatform.simulator.NotifySimulator;
import io.mediaplatform.simulator.TwilioSimulator;
import io.mediaplatform.simulator.WhatsAppSimulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad input at every provider webhook of dispatch — WhatsApp's handshake and notifications, Twilio's form callbacks,
 * the notification API's Standard Webhooks callbacks — and at the signed inbound-media endpoint ingest calls: each
 * case answers its 4xx as RFC 9457 problem JSON with a {@code type}, {@code title}, {@code status} and a
 * {@code detail}, and publishes nothing on {@code message.status.v1}, {@code message.inbound.v1} or its dead letters
 * (checked without a timer, by a later rightly signed callback whose status is read: see
 * {@link ProviderWebhookTestBase}).
 */
class ProviderWebhookBadInputSuiteTest extends ProviderWebhookTestBase {

    private static final String VERIFY_TOKEN = "bad-input-verify-token";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void verifyToken(DynamicPropertyRegistry registry) {
        registry.add("dispatch.whatsapp.verify-token", () -> VERIFY_TOKEN);
    }

    /**
     * One bad request.
     *
     * @param name        what is wrong
     * @param status      expected status
     * @param detail      a piece the problem's {@code detail} must contain, or null
     * @param call        sends it
     * @param alternative another status that is as right (the container or the application may refuse it first)
     */
    record Case(String name, int status, String detail, Call call, int alternative) {
        Case(String name, int status, String detail, Call call) {
            this(name, status, detail, call, status);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Call {
        HttpResponse<String> send() throws Exception;
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        String statusUrl = statusUrl("twilio", UUID.randomUUID().toString());
        String notifyUrl = statusUrl("notify", UUID.randomUUID().toString());
        // ---- WhatsApp subscription handshake (GET) ----
        cases.add(new Case("handshake with a wrong verify token", 403, "verify_token",
                () -> get(WHATSAPP_URL + "?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=123")));
        cases.add(new Case("handshake with a mode other than subscribe", 403, "hub.mode",
                () -> get(WHATSAPP_URL + "?hub.mode=unsubscribe&hub.verify_token=" + VERIFY_TOKEN + "&hub.challenge=123")));
        cases.add(new Case("handshake without hub.challenge", 400, "hub.challenge",
                () -> get(WHATSAPP_URL + "?hub.mode=subscribe&hub.verify_token=" + VERIFY_TOKEN)));
        cases.add(new Case("handshake without hub.verify_token", 400, "hub.verify_token",
                () -> get(WHATSAPP_URL + "?hub.mode=subscribe&hub.challenge=123")));
        cases.add(new Case("handshake without any parameter", 400, "hub.mode", () -> get(WHATSAPP_URL)));
        cases.add(new Case("handshake asking for JSON only, with a wrong token", 403, null, () -> HTTP.send(
                HttpRequest.newBuilder(URI.create(WHATSAPP_URL + "?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1"))
                        .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString()), 406));
        // ---- WhatsApp notifications (POST) ----
        byte[] whatsApp = whatsAppBody();
        cases.add(new Case("WhatsApp without a signature", 401, "X-Hub-Signature-256", () -> postWhatsApp(whatsApp, null)));
        cases.add(new Case("WhatsApp with a signature by another secret", 401, "X-Hub-Signature-256",
                () -> postWhatsApp(whatsApp, WhatsAppSimulator.signature("not-the-app-secret", whatsApp))));
        cases.add(new Case("WhatsApp with a signature of another body", 401, null,
                () -> postWhatsApp(whatsApp, WhatsAppSimulator.signature(APP_SECRET, "{}".getBytes(StandardCharsets.UTF_8)))));
        cases.add(new Case("WhatsApp with a signature without its sha256= prefix", 401, null,
                () -> postWhatsApp(whatsApp, WhatsAppSimulator.signature(APP_SECRET, whatsApp).replace("sha256=", ""))));
        cases.add(new Case("WhatsApp with a signature that is not hex", 401, null,
                () -> postWhatsApp(whatsApp, "sha256=zzzz")));
        cases.add(new Case("WhatsApp with an empty body, unsigned", 401, null, () -> postWhatsApp(new byte[0], null)));
        cases.add(new Case("WhatsApp signed body that is not JSON", 400, "JSON",
                () -> postSignedWhatsApp("status=delivered".getBytes(StandardCharsets.UTF_8))));
        cases.add(new Case("WhatsApp signed body that is a JSON array", 400, "JSON",
                () -> postSignedWhatsApp("[1,2,3]".getBytes(StandardCharsets.UTF_8))));
        cases.add(new Case("WhatsApp signed body that is cut off", 400, "JSON", () -> postSignedWhatsApp(
                java.util.Arrays.copyOf(whatsApp, whatsApp.length / 2))));
        cases.add(new Case("WhatsApp signed empty body", 400, "JSON", () -> postSignedWhatsApp(new byte[0])));
        cases.add(new Case("WhatsApp signed body that is not UTF-8", 400, "JSON",
                () -> postSignedWhatsApp(new byte[]{(byte) 0xff, (byte) 0xfe, 0x7b, 0x7d})));
        cases.add(new Case("WhatsApp by PUT", 405, null, () -> HTTP.send(HttpRequest.newBuilder(URI.create(WHATSAPP_URL))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofByteArray(whatsApp)).build(),
                HttpResponse.BodyHandlers.ofString())));
        cases.add(new Case("WhatsApp by DELETE", 405, null, () -> send("DELETE", WHATSAPP_URL)));
        // ---- Twilio (form-encoded) ----
        Map<String, String> delivered = twilioParams("SM" + UUID.randomUUID(), "delivered");
        cases.add(new Case("Twilio without a signature", 401, "X-Twilio-Signature", () -> HTTP.send(HttpRequest.newBuilder(
                URI.create(statusUrl)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("MessageSid=SM1&MessageStatus=delivered")).build(),
                HttpResponse.BodyHandlers.ofString())));
        cases.add(new Case("Twilio with a signature by another token", 401, "X-Twilio-Signature",
                () -> postTwilio(statusUrl, delivered, TwilioSimulator.signature("not-the-token", statusUrl, delivered))));
        cases.add(new Case("Twilio with a signature over another URL", 401, null, () -> postTwilio(statusUrl, delivered,
                TwilioSimulator.signature(TWILIO_TOKEN, statusUrl.replace("m=", "m=x"), delivered))));
        cases.add(new Case("Twilio with a parameter changed after signing", 401, null, () -> {
            Map<String, String> changed = new LinkedHashMap<>(delivered);
            changed.put("MessageStatus", "failed");
            return postTwilio(statusUrl, changed, TwilioSimulator.signature(TWILIO_TOKEN, statusUrl, delivered));
        }));
        cases.add(new Case("Twilio with garbage in the signature", 401, null, () -> postTwilio(statusUrl, delivered, "%%%")));
        cases.add(new Case("Twilio signed status without MessageSid", 400, "MessageSid", () -> {
            Map<String, String> params = new LinkedHashMap<>(delivered);
            params.remove("MessageSid");
            return postSignedTwilio(statusUrl, params);
        }));
        cases.add(new Case("Twilio signed status with an empty MessageSid", 400, "MessageSid", () -> {
            Map<String, String> params = new LinkedHashMap<>(delivered);
            params.put("MessageSid", " ");
            return postSignedTwilio(statusUrl, params);
        }));
        cases.add(new Case("Twilio signed callback without MessageStatus or NumMedia", 400, "MessageStatus", () -> {
            Map<String, String> params = new LinkedHashMap<>(delivered);
            params.remove("MessageStatus");
            return postSignedTwilio(statusUrl, params);
        }));
        cases.add(new Case("Twilio body that is JSON, unsigned", 401, null, () -> HTTP.send(HttpRequest.newBuilder(
                URI.create(statusUrl)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"MessageSid\":\"SM1\",\"MessageStatus\":\"delivered\"}")).build(),
                HttpResponse.BodyHandlers.ofString())));
        cases.add(new Case("Twilio by GET", 405, null, () -> get(statusUrl)));
        // ---- notification API (Standard Webhooks) ----
        String notifyBody = notifyBody(UUID.randomUUID().toString(), "DELIVERED");
        cases.add(new Case("notify without any signature header", 401, "signature", () -> HTTP.send(HttpRequest.newBuilder(
                URI.create(notifyUrl)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(notifyBody)).build(), HttpResponse.BodyHandlers.ofString())));
        cases.add(new Case("notify signed with another secret", 401, "signature", () -> {
            long now = Instant.now().getEpochSecond();
            return postNotify(notifyUrl, "msg_1", now, notifyBody, NotifySimulator.signature(StandardWebhooks.newSecret(),
                    "msg_1", now, notifyBody));
        }));
        cases.add(new Case("notify with a body changed after signing", 401, null, () -> {
            long now = Instant.now().getEpochSecond();
            return postNotify(notifyUrl, "msg_2", now, notifyBody.replace("DELIVERED", "FAILED"),
                    NotifySimulator.signature(NOTIFY_SECRET, "msg_2", now, notifyBody));
        }));
        cases.add(new Case("notify with a webhook-id changed after signing", 401, null, () -> {
            long now = Instant.now().getEpochSecond();
            return postNotify(notifyUrl, "msg_other", now, notifyBody, NotifySimulator.signature(NOTIFY_SECRET, "msg_3",
                    now, notifyBody));
        }));
        cases.add(new Case("notify with a stale timestamp, rightly signed", 401, "webhook-timestamp", () -> {
            long then = Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond();
            return postNotify(notifyUrl, "msg_4", then, notifyBody, NotifySimulator.signature(NOTIFY_SECRET, "msg_4", then,
                    notifyBody));
        }));
        cases.add(new Case("notify with a timestamp in the future, rightly signed", 401, "webhook-timestamp", () -> {
            long later = Instant.now().plus(Duration.ofMinutes(10)).getEpochSecond();
            return postNotify(notifyUrl, "msg_5", later, notifyBody, NotifySimulator.signature(NOTIFY_SECRET, "msg_5",
                    later, notifyBody));
        }));
        cases.add(new Case("notify with a timestamp in milliseconds", 401, null, () -> {
            long millis = Instant.now().toEpochMilli();
            return postNotify(notifyUrl, "msg_6", millis, notifyBody, NotifySimulator.signature(NOTIFY_SECRET, "msg_6",
                    millis, notifyBody));
        }));
        cases.add(new Case("notify with a timestamp that is no number", 401, null, () -> HTTP.send(HttpRequest.newBuilder(
                URI.create(notifyUrl)).header("Content-Type", "application/json")
                .header(StandardWebhooks.ID_HEADER, "msg_7").header(StandardWebhooks.TIMESTAMP_HEADER, "yesterday")
                .header(StandardWebhooks.SIGNATURE_HEADER, "v1,AAAA")
                .POST(HttpRequest.BodyPublishers.ofString(notifyBody)).build(), HttpResponse.BodyHandlers.ofString())));
        cases.add(new Case("notify signed body that is not JSON", 400, "JSON", () -> postSignedNotify(notifyUrl, "status=DELIVERED")));
        cases.add(new Case("notify signed body that is a JSON array", 400, "JSON", () -> postSignedNotify(notifyUrl, "[]")));
        cases.add(new Case("notify signed body that is cut off", 400, "JSON",
                () -> postSignedNotify(notifyUrl, notifyBody.substring(0, notifyBody.length() / 2))));
        cases.add(new Case("notify signed empty body", 400, "JSON", () -> postSignedNotify(notifyUrl, "")));
        cases.add(new Case("notify by GET", 405, null, () -> get(notifyUrl)));
        // ---- inbound media (signed by ingest) ----
        String mediaId = UUID.randomUUID().toString();
        cases.add(new Case("inbound media of an unknown provider", 404, "provider",
                () -> get(inboundMediaUri("telegram", mediaId, "ref-1", Instant.now().plusSeconds(60)).toString())));
        cases.add(new Case("inbound media without a signature", 401, "signature",
                () -> get(BASE + "/v1/providers/whatsapp/inbound-media?tenant=" + TENANT + "&mediaId=" + mediaId + "&ref=r")));
        cases.add(new Case("inbound media with an expired signature", 401, "expired",
                () -> get(inboundMediaUri("whatsapp", mediaId, "ref-1", Instant.now().minusSeconds(5)).toString())));
        cases.add(new Case("inbound media with a tampered signature", 401, "signature", () -> {
            String uri = inboundMediaUri("whatsapp", mediaId, "ref-1", Instant.now().plusSeconds(60)).toString();
            int at = uri.indexOf("signature=") + "signature=".length();
            // the signature is hex, compared ignoring case: another digit, never the same one in another case
            return get(uri.substring(0, at) + (uri.charAt(at) == '0' ? '1' : '0') + uri.substring(at + 1));
        }));
        cases.add(new Case("inbound media signed for another provider", 401, "signature", () -> get(
                inboundMediaUri("whatsapp", mediaId, "ref-1", Instant.now().plusSeconds(60)).toString()
                        .replace("/whatsapp/", "/twilio/"))));
        cases.add(new Case("inbound media re-pointed at another tenant", 401, "signature", () -> get(
                inboundMediaUri("whatsapp", mediaId, "ref-1", Instant.now().plusSeconds(60)).toString()
                        .replace("tenant=" + TENANT, "tenant=tenant-other"))));
        cases.add(new Case("inbound media re-pointed at another ref", 401, "signature", () -> get(
                inboundMediaUri("whatsapp", mediaId, "ref-1", Instant.now().plusSeconds(60)).toString()
                        .replace("ref=ref-1", "ref=ref-2"))));
        cases.add(new Case("inbound media with expires that is no number", 401, null, () -> get(
                inboundMediaUri("whatsapp", mediaId, "ref-1", Instant.now().plusSeconds(60)).toString()
                        .replaceAll("expires=[0-9]+", "expires=soon"))));
        cases.add(new Case("inbound media by POST", 405, null, () -> HTTP.send(HttpRequest.newBuilder(
                inboundMediaUri("whatsapp", mediaId, "ref-1", Instant.now().plusSeconds(60)))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())));
        // ---- paths and the container's own refusals ----
        cases.add(new Case("status webhook of an unknown provider", 404, null, () -> HTTP.send(HttpRequest.newBuilder(
                URI.create(BASE + "/v1/providers/telegram/status")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString())));
        cases.add(new Case("an encoded slash in the webhook path", 400, null,
                () -> get(BASE + "/v1/providers/whatsapp%2Fstatus")));
        cases.add(new Case("a 20 KB header on a webhook", 400, null, () -> HTTP.send(HttpRequest.newBuilder(
                URI.create(WHATSAPP_URL)).header("Content-Type", "application/json")
                .header("X-Padding", "p".repeat(20 * 1024))
                .POST(HttpRequest.BodyPublishers.ofByteArray(whatsApp)).build(), HttpResponse.BodyHandlers.ofString())));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bad_input_is_a_problem_and_publishes_nothing(Case badInput) throws Exception {
        // Given what was published so far
        int statuses = statusRecords().size();
        int inbound = inboundRecords().size();
        int deadLetters = inboundDeadLetters().size();

        // When the bad request is sent
        HttpResponse<String> response = badInput.call().send();

        // Then it is the expected problem
        assertThat(response.statusCode()).as(badInput.name() + ": " + response.body()).isIn(badInput.status(), badInput.alternative());
        assertThat(response.headers().firstValue("Content-Type")).as(response.body())
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(response.statusCode());
        assertThat(problem.path("type").asString()).startsWith("/problems/");
        assertThat(problem.path("title").asString()).isNotBlank();
        assertThat(problem.path("detail").asString()).isNotBlank().doesNotContain("Exception", "at io.", "at org.");
        if (badInput.detail() != null) {
            assertThat(problem.path("detail").asString()).containsIgnoringCase(badInput.detail());
        }

        // And when a rightly signed status of another message follows and is read
        String sentinel = UUID.randomUUID().toString();
        assertThat(postSignedNotify(statusUrl("notify", sentinel), notifyBody(sentinel, "DELIVERED")).statusCode())
                .isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> statusRecords().stream()
                .anyMatch(r -> sentinel.equals(r.value().getMessageId())));

        // Then the bad request published nothing before it
        assertThat(statusRecords()).hasSize(statuses + 1);
        assertThat(inboundRecords()).hasSize(inbound);
        assertThat(inboundDeadLetters()).hasSize(deadLetters);
    }

    // ---- helpers ----

    private static HttpResponse<String> get(String url) throws Exception {
        return send("GET", url);
    }

    private static HttpResponse<String> send(String method, String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A status callback URL of a provider with our correlation for the message, as dispatch gives it out. */
    private static String statusUrl(String provider, String messageId) {
        return BASE + "/v1/providers/" + provider + "/status?t=tenant-a&m=" + messageId + "&c=conv-" + messageId
                + "&to=%2B15553330001&ch=" + ("twilio".equals(provider) ? "MMS" : "RCS");
    }

    private static String notifyBody(String messageId, String status) {
        return "{\"transactionId\":\"tx-" + messageId + "\",\"status\":\"" + status + "\",\"timestamp\":"
                + Instant.now().toEpochMilli() + "}";
    }

    private static Map<String, String> twilioParams(String sid, String status) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", sid);
        params.put("MessageStatus", status);
        params.put("AccountSid", "AC00000000000000000000000000000009");
        params.put("From", "+15550002222");
        params.put("To", "+15553330001");
        return params;
    }

    private static byte[] whatsAppBody() {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",
                 "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881",
                 "phone_number_id":"109876543210"},"statuses":[{"id":"wamid.bad-input-%s","status":"delivered",
                 "timestamp":"1700000000","recipient_id":"15551110003"}]}}]}]}"""
                .formatted(UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    }
}
