package io.mediaplatform.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaplatform.common.signing.StandardWebhooks;
import io.mediaplatform.simulator.FetchedMedia;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The walking skeleton, end to end, on the real local stack: a real Kafka broker process, the schema
 * registry, S3, PostgreSQL, the WhatsApp simulator and the four services, with real files and a real
 * webhook receiver.
 */
class LocalStackEndToEndTest extends LocalStackTestBase {

    @Test
    void a_png_sent_to_a_whatsapp_number_ends_READ_with_full_history_and_a_signed_webhook_per_status() throws Exception {
        // Given a real PNG uploaded by the demo tenant
        byte[] png = Files.readAllBytes(DEMO.resolve("photo.png"));
        Http.Response upload = Http.upload(stack.ingestUrl() + "/v1/media", apiKey, "photo.png", "image/png", png,
                Map.of("conversationId", "conv-e2e-1", "channel", "WHATSAPP"));
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        JsonNode media = upload.json();
        assertThat(media.path("name").asText()).isEqualTo("conv-e2e-1_photo.png");
        assertThat(media.path("size").asLong()).isEqualTo(png.length);
        assertThat(media.path("message").asText()).isEqualTo("File uploaded successfully.");

        // When it is sent to a WhatsApp number with a callback URL
        Http.Response send = Http.postJson(stack.ingestUrl() + "/v1/messages", apiKey, """
                {"channel":"WHATSAPP","from":"+15550100001","to":"+15557654321","kind":"image",
                 "media":{"id":"%s"},"caption":"Hello","conversationId":"conv-e2e-1","externalId":"ext-e2e-1",
                 "callbacks":["%s"]}""".formatted(media.path("mediaId").asText(), receiver.url()));
        assertThat(send.status()).as(send.body()).isEqualTo(202);
        String messageId = send.json().path("messageId").asText();

        // Then the message ends READ with the whole history
        awaitReadWithWholeHistory(messageId);
        // And the client's webhook endpoint got each status, each correctly signed for the tenant
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> delivered = new ArrayList<>();
            for (WebhookReceiver.Received hook : receiver.received()) {
                JsonNode body = Http.JSON.readTree(hook.body());
                if (!messageId.equals(body.path("data").path("messageId").asText())) {
                    continue;
                }
                assertThat(StandardWebhooks.verify(webhookSecret, hook.headers().get("webhook-id"),
                        hook.headers().get("webhook-timestamp"), hook.body(), hook.headers().get("webhook-signature"),
                        Instant.now(), Duration.ofMinutes(5))).as("signature of " + hook.body()).isTrue();
                delivered.add(body.path("data").path("status").asText());
            }
            assertThat(delivered).containsExactlyInAnyOrder("ACCEPTED", "QUEUED", "SENT", "DELIVERED", "READ");
        });
    }

    @Test
    void an_asset_of_the_library_sent_by_its_id_ends_READ_and_its_thumbnail_opens_through_a_signed_link() throws Exception {
        // Given a real PNG added to the demo tenant's asset library (200 when an earlier run left it there)
        byte[] png = Files.readAllBytes(DEMO.resolve("photo.png"));
        Http.Response added = Http.upload(stack.ingestUrl() + "/v1/assets", apiKey, "photo.png", "image/png", png,
                Map.of("name", "Demo photo", "tags", "e2e"));
        assertThat(added.status()).as(added.body()).isIn(200, 201);
        String assetId = added.json().path("assetId").asText();
        String mediaId = added.json().path("mediaId").asText();

        // When it is sent to a WhatsApp number by its asset id
        Http.Response send = Http.postJson(stack.ingestUrl() + "/v1/messages", apiKey, """
                {"channel":"WHATSAPP","from":"+15550100001","to":"+15557654322","kind":"image",
                 "media":{"assetId":"%s"},"conversationId":"conv-e2e-asset"}""".formatted(assetId));
        assertThat(send.status()).as(send.body()).isEqualTo(202);

        // Then it ends READ
        awaitReadWithWholeHistory(send.json().path("messageId").asText());
        // And validation made its thumbnails: the media's signed link opens the 96x96 square and the 320x240 box
        String link = Http.postJson(stack.ingestUrl() + "/v1/media/" + mediaId + "/links", apiKey, "{}").json()
                .path("url").asText().replace("/content?", "/thumbnail?");
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.download(link).statusCode() == 200);
        BufferedImage square = ImageIO.read(new ByteArrayInputStream(Http.download(link).body()));
        assertThat(square.getWidth()).isEqualTo(96);
        assertThat(square.getHeight()).isEqualTo(96);
        BufferedImage box = ImageIO.read(new ByteArrayInputStream(Http.download(link + "&size=320x240").body()));
        assertThat(box.getWidth()).isLessThanOrEqualTo(320);
        assertThat(box.getHeight()).isLessThanOrEqualTo(240);
    }

    @Test
    void an_sms_png_reaches_twilio_as_a_text_whose_link_downloads_the_stored_bytes_and_a_tampered_link_is_refused()
            throws Exception {
        // Given a real PNG uploaded for an SMS conversation
        byte[] png = Files.readAllBytes(DEMO.resolve("photo.png"));
        String mediaId = uploaded(png, "conv-e2e-sms", "SMS");

        // When it is sent by SMS with a caption
        // Then it ends DELIVERED through Twilio
        sentUntil("""
                {"channel":"SMS","from":"+15550100002","to":"+15557650001","kind":"image","media":{"id":"%s"},
                 "caption":"Your photo","conversationId":"conv-e2e-sms"}""".formatted(mediaId),
                "ACCEPTED", "QUEUED", "SENT", "DELIVERED");

        // And Twilio got a text: the caption, a newline and a signed link to ingest's content, and no MediaUrl
        JsonNode form = stack.twilio().sends().stream()
                .filter(s -> "+15557650001".equals(s.body().path("To").asText())).findFirst().orElseThrow().body();
        assertThat(form.has("MediaUrl")).isFalse();
        String body = form.path("Body").asText();
        String prefix = "Your photo\n" + stack.ingestUrl() + "/v1/media/" + mediaId + "/content?";
        assertThat(body).startsWith(prefix);
        String link = body.substring("Your photo\n".length());

        // And the link, opened without a key, downloads the exact bytes that were uploaded
        var download = Http.download(link);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(png);

        // But with its signature tampered with, or its life lengthened, ingest refuses it
        String signature = link.substring(link.indexOf("signature=") + "signature=".length());
        String tampered = link.replace("signature=" + signature,
                "signature=" + (signature.charAt(0) == 'A' ? 'B' : 'A') + signature.substring(1));
        String expires = link.replaceAll(".*expires=(\\d+).*", "$1");
        String lengthened = link.replace("expires=" + expires, "expires=" + (Long.parseLong(expires) + 86_400));
        for (String refused : List.of(tampered, lengthened)) {
            var answer = Http.download(refused);
            assertThat(answer.statusCode()).as(refused).isEqualTo(403);
            assertThat(answer.body()).isNotEqualTo(png);
        }
    }

    @Test
    void a_png_push_reaches_fcm_with_an_image_link_to_the_stored_bytes_and_ends_SENT() throws Exception {
        // Given a real PNG uploaded for a push conversation
        byte[] png = Files.readAllBytes(DEMO.resolve("photo.png"));
        String mediaId = uploaded(png, "conv-e2e-push", "PUSH");

        // When it is pushed to a device token with a caption
        // Then it ends SENT, its last status (push has no delivery receipts)
        String messageId = sentUntil("""
                {"channel":"PUSH","from":"demo-app","to":"e2e-device-token-1","kind":"image","media":{"id":"%s"},
                 "caption":"A photo for you","conversationId":"conv-e2e-push"}""".formatted(mediaId),
                "ACCEPTED", "QUEUED", "SENT");

        // And FCM got the notification for the token, whose image downloads the uploaded bytes
        JsonNode message = stack.fcm().sends().stream()
                .filter(s -> "e2e-device-token-1".equals(s.body().at("/message/token").asText())).findFirst()
                .orElseThrow().body().path("message");
        assertThat(message.at("/notification/body").asText()).isEqualTo("A photo for you");
        assertThat(message.at("/data/messageId").asText()).isEqualTo(messageId);
        var download = Http.download(message.at("/notification/image").asText());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(png);
    }

    @Test
    void a_png_emailed_to_an_address_ends_SENT_and_the_smtp_sink_got_it_attached_byte_for_byte() throws Exception {
        // Given a real PNG uploaded for an e-mail conversation
        byte[] png = Files.readAllBytes(DEMO.resolve("photo.png"));
        String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(png));
        String mediaId = uploaded(png, "conv-e2e-email", "EMAIL");

        // When it is e-mailed to an address with a caption
        // Then it ends SENT, its last status (SMTP has no delivery receipts)
        String messageId = sentUntil("""
                {"channel":"EMAIL","from":"demo@mediaplatform.local","to":"e2e-customer@example.com","kind":"image",
                 "media":{"id":"%s"},"caption":"A photo for you","conversationId":"conv-e2e-email"}""".formatted(mediaId),
                "ACCEPTED", "QUEUED", "SENT");

        // And the simulator's SMTP sink lists the mail for the address, the PNG attached byte for byte
        JsonNode mails = Http.JSON.readTree(Http.get(stack.simulatorUrl()
                + "/simulator/email/sent-messages?to=e2e-customer%40example.com", null).body());
        assertThat(mails).hasSize(1);
        JsonNode mail = mails.get(0);
        assertThat(mail.path("from").get(0).asText()).isEqualTo("demo@mediaplatform.local");
        assertThat(mail.path("messageId").asText()).isEqualTo("<" + messageId + "@mediaplatform.local>");
        assertThat(mail.path("text").asText()).isEqualTo("A photo for you");
        JsonNode attachment = mail.path("attachments").get(0);
        assertThat(attachment.path("contentType").asText()).isEqualTo("image/png");
        assertThat(attachment.path("size").asLong()).isEqualTo(png.length);
        assertThat(attachment.path("sha256").asText()).isEqualTo(sha256);
        assertThat(stack.email().mails()).anySatisfy(m -> assertThat(m.rcptTo()).contains("e2e-customer@example.com"));
    }

    /** Sends the message (202), then waits until it has that history, its status the history's last. */
    private static String sentUntil(String message, String... history) throws Exception {
        Http.Response send = Http.postJson(stack.ingestUrl() + "/v1/messages", apiKey, message);
        assertThat(send.status()).as(send.body()).isEqualTo(202);
        String messageId = send.json().path("messageId").asText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Http.Response status = Http.get(stack.callbackUrl() + "/v1/messages/" + messageId, apiKey);
            assertThat(status.json().path("status").asText()).as(status.body()).isEqualTo(history[history.length - 1]);
            assertThat(statuses(status.json().path("history"))).containsExactly(history);
        });
        return messageId;
    }

    private static String uploaded(byte[] png, String conversation, String channel) throws Exception {
        Http.Response upload = Http.upload(stack.ingestUrl() + "/v1/media", apiKey, "photo.png", "image/png", png,
                Map.of("conversationId", conversation, "channel", channel));
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        return upload.json().path("mediaId").asText();
    }

    @Test
    void a_webp_photo_sent_to_whatsapp_arrives_at_the_provider_as_a_jpeg_and_the_original_stays_downloadable() throws Exception {
        // Given a real WebP photo uploaded by the demo tenant (WhatsApp images are JPEG or PNG)
        byte[] webp;
        try (var in = LocalStackEndToEndTest.class.getResourceAsStream("/auto-fit/photo.webp")) {
            webp = in.readAllBytes();
        }
        Http.Response upload = Http.upload(stack.ingestUrl() + "/v1/media", apiKey, "holiday.webp", "image/webp", webp,
                Map.of("conversationId", "conv-e2e-webp", "channel", "WHATSAPP"));
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        String mediaId = upload.json().path("mediaId").asText();

        // When it is sent as a WhatsApp image
        Http.Response send = Http.postJson(stack.ingestUrl() + "/v1/messages", apiKey, """
                {"channel":"WHATSAPP","from":"+15550100001","to":"+15557654321","kind":"image",
                 "media":{"id":"%s"},"conversationId":"conv-e2e-webp"}""".formatted(mediaId));
        assertThat(send.status()).as(send.body()).isEqualTo(202);
        String messageId = send.json().path("messageId").asText();

        // Then it ends READ instead of REJECTED, QUEUED saying what auto-fit converted
        JsonNode message = awaitReadWithWholeHistory(messageId);
        assertThat(message.path("history").get(1).path("detail").asText())
                .contains("image/webp is not allowed for WHATSAPP image").contains("converted to image/jpeg (320x240)");
        JsonNode converted = message.path("history").get(1).path("converted");
        assertThat(converted.path("from").asText()).isEqualTo("image/webp");
        assertThat(converted.path("to").asText()).isEqualTo("image/jpeg");
        assertThat(converted.path("sizeBefore").asLong()).isEqualTo(webp.length);
        // And the WhatsApp simulator was sent a link to a JPEG rendition (not the upload), fetched it and got a JPEG
        List<String> links = stack.whatsApp().sends().stream().map(s -> s.body().at("/image/link").asText())
                .filter(link -> link.contains("/v1/media/") && !link.contains(mediaId)).toList();
        List<FetchedMedia> fetched = stack.whatsApp().fetches().stream()
                .filter(f -> links.contains(f.link()) && f.status() == 200 && "image/jpeg".equals(f.contentType())).toList();
        assertThat(fetched).isNotEmpty();
        BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(fetched.getLast().body()));
        assertThat(jpeg.getWidth()).isEqualTo(320);
        // And the original is still downloadable as it was uploaded
        HttpResponse<byte[]> original = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.ingestUrl() + "/v1/media/" + mediaId + "/content"))
                .header("Authorization", "Bearer " + apiKey).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(original.statusCode()).isEqualTo(200);
        assertThat(original.body()).isEqualTo(webp);
    }

    @Test
    void a_windows_executable_renamed_photo_jpg_ends_REJECTED_with_TYPE_MISMATCH() throws Exception {
        // Given a Windows executable named photo.jpg, declared as a JPEG
        byte[] exe = Files.readAllBytes(DEMO.resolve("photo.jpg"));
        Http.Response upload = Http.upload(stack.ingestUrl() + "/v1/media", apiKey, "photo.jpg", "image/jpeg", exe,
                Map.of("conversationId", "conv-e2e-2", "channel", "WHATSAPP"));
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);

        // When it is sent as an image
        Http.Response send = Http.postJson(stack.ingestUrl() + "/v1/messages", apiKey, """
                {"channel":"WHATSAPP","from":"+15550100001","to":"+15557654321","kind":"image",
                 "media":{"id":"%s"},"conversationId":"conv-e2e-2"}""".formatted(upload.json().path("mediaId").asText()));
        assertThat(send.status()).as(send.body()).isEqualTo(202);
        String messageId = send.json().path("messageId").asText();

        // Then it is rejected for what it really is, and never reaches the provider
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Http.Response status = Http.get(stack.callbackUrl() + "/v1/messages/" + messageId, apiKey);
            assertThat(status.status()).as(status.body()).isEqualTo(200);
            assertThat(status.json().path("status").asText()).isEqualTo("REJECTED");
            assertThat(status.json().path("reason").asText()).isEqualTo("TYPE_MISMATCH");
            assertThat(statuses(status.json().path("history"))).containsExactly("ACCEPTED", "REJECTED");
        });
    }

    @Test
    void bad_input_gets_clear_problem_json() throws Exception {
        // Missing or wrong API key: 401
        Http.Response noKey = Http.upload(stack.ingestUrl() + "/v1/media", null, "photo.png", "image/png", new byte[]{1},
                Map.of("conversationId", "c", "channel", "WHATSAPP"));
        assertProblem(noKey, 401);
        assertProblem(Http.get(stack.callbackUrl() + "/v1/messages/whatever", "mpk_wrong"), 401);

        // Missing file or conversationId: 400
        assertProblem(Http.upload(stack.ingestUrl() + "/v1/media", apiKey, null, null, null,
                Map.of("conversationId", "c", "channel", "WHATSAPP")), 400);
        assertProblem(Http.upload(stack.ingestUrl() + "/v1/media", apiKey, "photo.png", "image/png",
                Files.readAllBytes(DEMO.resolve("photo.png")), Map.of("channel", "WHATSAPP")), 400);

        // Unknown media id: 404; another tenant's media: 404 as well
        assertProblem(Http.get(stack.ingestUrl() + "/v1/media/00000000-0000-0000-0000-000000000000", apiKey), 404);
        Http.Response mine = Http.upload(stack.ingestUrl() + "/v1/media", apiKey, "photo.png", "image/png",
                Files.readAllBytes(DEMO.resolve("photo.png")), Map.of("conversationId", "c-404", "channel", "WHATSAPP"));
        assertProblem(Http.get(stack.ingestUrl() + "/v1/media/" + mine.json().path("mediaId").asText(), otherTenantKey), 404);
        assertProblem(Http.get(stack.callbackUrl() + "/v1/messages/00000000-0000-0000-0000-000000000000", apiKey), 404);
    }

    @Test
    void local_stack_json_describes_every_endpoint_and_both_demo_tenants() throws Exception {
        JsonNode description = Http.JSON.readTree(dataDir.resolve("local-stack.json").toFile());
        assertThat(description.path("ingest").asText()).isEqualTo(stack.ingestUrl());
        assertThat(description.path("kafka").path("bootstrapServers").asText()).startsWith("127.0.0.1:");
        assertThat(description.path("s3").path("bucket").asText()).isEqualTo("media");
        assertThat(description.path("tenants")).hasSize(2);
        assertThat(description.path("simulators").path("smtp").asText()).isEqualTo("127.0.0.1:" + stack.email().smtpPort());
        assertThat(description.path("tenants").get(0).path("webhookSecret").asText()).startsWith("whsec_");
    }

    @Test
    void the_readme_walkthrough_works_as_written_and_matches_what_the_run_prints() throws Exception {
        // Given the README's "Try it" commands, and what the local stack prints when it is up
        ReadmeWalkthrough readme = ReadmeWalkthrough.read();
        assertThat(readme.blocks()).as("bash blocks in the README's Try it section").hasSize(5);
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        stack.printSummary(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        String summary = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        // Then the three curl lines the run prints are the README's, with the run's endpoints
        for (String line : readme.blocks().get(0).lines().filter(l -> l.startsWith("MEDIA_ID=") || l.startsWith("MESSAGE_ID=")
                || l.startsWith("curl ")).toList()) {
            assertThat(summary).contains(ReadmeWalkthrough.mapPorts(line, stack, dataDir));
        }

        // When the first block runs as written: upload, send, status
        String first = ReadmeWalkthrough.bash(ReadmeWalkthrough.mapPorts(readme.blocks().get(0), stack, dataDir)
                + "\necho \"::$MESSAGE_ID\"\n");
        String messageId = first.substring(first.lastIndexOf("::") + 2).trim();
        assertThat(messageId).matches("[0-9a-f-]{36}");
        // Then the message ends READ, as the README says, with its whole history
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            String status = ReadmeWalkthrough.bash(ReadmeWalkthrough.mapPorts(readme.blocks().get(0).lines()
                    .filter(l -> l.startsWith("export ") || l.startsWith("curl ")).reduce("", (a, b) -> a + b + "\n"), stack, dataDir)
                    .replace("$MESSAGE_ID", messageId));
            JsonNode json = Http.JSON.readTree(status);
            assertThat(json.path("status").asText()).isEqualTo("READ");
            assertThat(statuses(json.path("history"))).containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED", "READ");
        });
        // And the demo webhook inbox shows each status with a valid signature
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode inbox = Http.JSON.readTree(ReadmeWalkthrough.bash(ReadmeWalkthrough.mapPorts(readme.blocks().get(1), stack, dataDir)));
            List<String> seen = new ArrayList<>();
            inbox.forEach(hook -> {
                if (messageId.equals(hook.path("payload").path("data").path("messageId").asText())) {
                    assertThat(hook.path("signatureValid").asBoolean()).isTrue();
                    seen.add(hook.path("payload").path("data").path("status").asText());
                }
            });
            assertThat(seen).containsExactlyInAnyOrder("ACCEPTED", "QUEUED", "SENT", "DELIVERED", "READ");
        });

        // When the disguised executable block runs as written
        String third = ReadmeWalkthrough.bash("export API_KEY=" + apiKey + "\n"
                + ReadmeWalkthrough.mapPorts(readme.blocks().get(2), stack, dataDir) + "\necho \"::$MESSAGE_ID\"\n");
        String rejectedId = third.substring(third.lastIndexOf("::") + 2).trim();
        // Then it ends REJECTED with TYPE_MISMATCH
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Http.Response status = Http.get(stack.callbackUrl() + "/v1/messages/" + rejectedId, apiKey);
            assertThat(status.json().path("status").asText()).isEqualTo("REJECTED");
            assertThat(status.json().path("reason").asText()).isEqualTo("TYPE_MISMATCH");
        });

        // When the SMS and push block runs as written
        ReadmeWalkthrough.bash("export API_KEY=" + apiKey + "\n"
                + ReadmeWalkthrough.mapPorts(readme.blocks().get(3), stack, dataDir));
        // Then Twilio gets the SMS as a text with the link, and the FCM simulator's list (the block's last command)
        // shows the push with the PNG as its image
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(stack.twilio().sends())
                .anySatisfy(sms -> assertThat(sms.body().path("Body").asText())
                        .startsWith("Your photo\n" + stack.ingestUrl() + "/v1/media/")));
        String list = readme.blocks().get(3).lines().filter(l -> l.contains("/simulator/fcm/sent-messages")).findFirst()
                .orElseThrow();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ReadmeWalkthrough.bash(
                ReadmeWalkthrough.mapPorts(list, stack, dataDir))).contains("\"token\" : \"demo-device-token\"",
                "\"image\" : \"" + stack.ingestUrl() + "/v1/media/"));

        // When the e-mail block runs as written
        String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(DEMO.resolve("photo.png"))));
        ReadmeWalkthrough.bash("export API_KEY=" + apiKey + "\n" + ReadmeWalkthrough.mapPorts(readme.blocks().get(4)
                .lines().filter(l -> !l.contains("/simulator/email/sent-messages")).reduce("", (a, b) -> a + b + "\n"),
                stack, dataDir));
        // Then the SMTP sink's list (the block's last command) shows the mail to the address with the PNG attached
        String mails = readme.blocks().get(4).lines().filter(l -> l.contains("/simulator/email/sent-messages"))
                .findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ReadmeWalkthrough.bash(
                ReadmeWalkthrough.mapPorts(mails, stack, dataDir))).contains("\"customer@example.com\"",
                "\"sha256\" : \"" + sha256 + "\""));
    }

    /** Waits until the message is READ with the whole history (ACCEPTED to READ); answers the message as served. */
    private static JsonNode awaitReadWithWholeHistory(String messageId) {
        JsonNode[] message = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Http.Response status = Http.get(stack.callbackUrl() + "/v1/messages/" + messageId, apiKey);
            assertThat(status.status()).as(status.body()).isEqualTo(200);
            assertThat(status.json().path("status").asText()).isEqualTo("READ");
            assertThat(statuses(status.json().path("history")))
                    .containsExactly("ACCEPTED", "QUEUED", "SENT", "DELIVERED", "READ");
            message[0] = status.json();
        });
        return message[0];
    }

    private static void assertProblem(Http.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.has("type")).isTrue();
    }

    private static List<String> statuses(JsonNode history) {
        List<String> statuses = new ArrayList<>();
        history.forEach(entry -> statuses.add(entry.path("status").asText()));
        return statuses;
    }
}
