package io.mediaplatform.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Customers' media on the real local stack, driven by the README's "A customer sends media" section as written:
 * the simulators play the customer, dispatch takes the signed webhooks, ingest fetches the files, validation checks
 * them, and the demo tenant's endpoint (the webhook inbox {@code demo-inbound}) gets signed {@code message.received}
 * webhooks whose links serve the very bytes.
 */
class InboundEndToEndTest extends LocalStackTestBase {

    private static final Path PHOTO = ReadmeWalkthrough.REPO_ROOT.resolve("deploy/local-stack/demo/photo.png");

    @Test
    void the_readme_inbound_walkthrough_works_as_written() throws Exception {
        // Given the README's inbound section
        ReadmeWalkthrough readme = ReadmeWalkthrough.read("A customer sends media");
        assertThat(readme.blocks()).as("bash blocks of the inbound section").hasSize(6);
        String photoSha = sha256(Files.readAllBytes(PHOTO));

        // When a WhatsApp customer sends the photo, as written
        List<JsonNode> first = values(run(readme.blocks().get(0)));
        String wamid = first.getFirst().path("providerMessageId").asText();
        assertThat(wamid).startsWith("wamid.");
        assertThat(first.getFirst().path("webhookStatus").asInt()).isEqualTo(200);

        // Then the demo endpoint gets one signed message.received, ACCEPTED, with the photo's sha256 and a link
        JsonNode received = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> received(wamid), hooks -> hooks.size() == 1).getFirst();
        assertThat(received.path("signatureValid").asBoolean()).isTrue();
        JsonNode data = received.path("payload").path("data");
        assertThat(received.path("payload").path("type").asText()).isEqualTo("message.received");
        assertThat(data.path("direction").asText()).isEqualTo("INBOUND");
        assertThat(data.path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(data.path("channel").asText()).isEqualTo("WHATSAPP");
        assertThat(data.path("from").asText()).isEqualTo("+15557654321");
        assertThat(data.path("inboxId").asText()).isEqualTo("demo-inbox");
        assertThat(data.path("caption").asText()).isEqualTo("Broken lid");
        assertThat(data.path("media").path("type").asText()).isEqualTo("image/png");
        assertThat(data.path("media").path("sha256").asText()).isEqualTo(photoSha);
        assertThat(data.path("media").path("url").asText()).startsWith(stack.ingestUrl() + "/v1/media/");

        // When the download block runs as written
        String download = run(readme.blocks().get(1));
        // Then both digests are the photo's, and the message is in the API as INBOUND
        assertThat(download.lines().filter(l -> l.startsWith(photoSha))).hasSize(2);
        assertThat(download).contains("\"direction\":\"INBOUND\"").contains(data.path("messageId").asText());

        // When a Twilio customer sends an MMS with two pictures, as written
        String mms = values(run(readme.blocks().get(2))).getFirst().path("providerMessageId").asText();
        // Then two messages arrive, one per picture, both accepted
        List<JsonNode> two = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> received(mms), hooks -> hooks.size() == 2);
        assertThat(two).allSatisfy(hook -> {
            assertThat(hook.path("payload").path("data").path("status").asText()).isEqualTo("ACCEPTED");
            assertThat(hook.path("payload").path("data").path("channel").asText()).isEqualTo("MMS");
            assertThat(hook.path("payload").path("data").path("media").path("sha256").asText()).isEqualTo(photoSha);
        });
        assertThat(two.get(0).path("payload").path("data").path("messageId").asText())
                .isNotEqualTo(two.get(1).path("payload").path("data").path("messageId").asText());

        // When receiving is turned off and the customer sends again, as written
        List<JsonNode> off = values(run(readme.blocks().get(3)));
        String refused = off.get(1).path("providerMessageId").asText();
        // Then the client is told REJECTED / MEDIA_DISABLED without a link, and the customer got the inbox's message
        JsonNode rejected = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> received(refused), hooks -> hooks.size() == 1).getFirst().path("payload").path("data");
        assertThat(rejected.path("status").asText()).isEqualTo("REJECTED");
        assertThat(rejected.path("reason").asText()).isEqualTo("MEDIA_DISABLED");
        assertThat(rejected.path("media").path("url").isNull() || rejected.path("media").path("url").isMissingNode()).isTrue();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThat(Http.get(stack.simulatorUrl() + "/simulator/whatsapp/sent-messages?to=%2B15557654321", null).body())
                        .contains("Sorry, this inbox takes no files."));

        // When it is turned on again, as written
        assertThat(values(run(readme.blocks().get(4))).getFirst().path("receiveEnabled").asBoolean()).isTrue();

        // And a voice note sent as written afterwards is accepted again, as audio
        String voice = values(run(readme.blocks().get(5))).getFirst().path("providerMessageId").asText();
        JsonNode note = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> received(voice), hooks -> hooks.size() == 1).getFirst().path("payload").path("data");
        assertThat(note.path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(note.path("kind").asText()).isEqualToIgnoringCase("audio");
    }

    @Test
    void every_kind_a_whatsapp_customer_sends_is_validated_and_delivered_with_the_very_bytes() throws Exception {
        // Given real files of every kind a WhatsApp customer sends: a voice note, a video, a document, a sticker
        record Sent(String type, String file, String mimeType, String query, String kind) {
        }
        List<Sent> files = List.of(
                new Sent("audio", "voice.ogg", "audio/ogg; codecs=opus", "&voice=true", "audio"),
                new Sent("video", "clip.mp4", "video/mp4", "&caption=It%20rattles", "video"),
                new Sent("document", "invoice.pdf", "application/pdf", "&filename=invoice-4711.pdf", "document"),
                new Sent("sticker", "sticker.webp", "image/webp", "", "sticker"));
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        for (Sent sent : files) {
            byte[] bytes = Files.readAllBytes(ReadmeWalkthrough.REPO_ROOT.resolve("deploy/local-stack/demo/" + sent.file()));

            // When the customer sends it through the WhatsApp simulator (which posts the signed messages[] webhook)
            Http.Response control = Http.postBytes(stack.simulatorUrl() + "/simulator/whatsapp/customer-messages?from=%2B15557654321&type="
                    + sent.type() + sent.query(), sent.mimeType(), bytes);
            assertThat(control.status()).as(control.body()).isEqualTo(200);
            String wamid = control.json().path("providerMessageId").asText();

            // Then one signed message.received arrives, ACCEPTED, of that kind, and its link serves the very bytes
            JsonNode hook = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> received(wamid), hooks -> hooks.size() == 1).getFirst();
            JsonNode data = hook.path("payload").path("data");
            assertThat(hook.path("signatureValid").asBoolean()).as(sent.file()).isTrue();
            assertThat(data.path("status").asText()).as(sent.file() + " " + data).isEqualTo("ACCEPTED");
            assertThat(data.path("kind").asText().toLowerCase()).as(sent.file()).isEqualTo(sent.kind());
            byte[] served = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(data.path("media").path("url").asText()))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
            assertThat(sha256(served)).as(sent.file()).isEqualTo(sha256(bytes));
            if (sent.type().equals("document")) {
                assertThat(data.path("fileName").asText()).isEqualTo("invoice-4711.pdf");
            }
            if (sent.type().equals("video")) {
                assertThat(data.path("caption").asText()).isEqualTo("It rattles");
            }
        }
    }

    /** The {@code message.received} webhooks of one provider message in the demo endpoint's inbox. */
    private static List<JsonNode> received(String providerMessageId) throws Exception {
        JsonNode inbox = Http.JSON.readTree(Http.get(stack.simulatorUrl() + "/webhook-inbox/" + LocalStack.INBOUND_INBOX, null).body());
        List<JsonNode> hooks = new ArrayList<>();
        inbox.forEach(hook -> {
            if (providerMessageId.equals(hook.path("payload").path("data").path("providerMessageId").asText())) {
                hooks.add(hook);
            }
        });
        return hooks;
    }

    private static String run(String block) throws Exception {
        return ReadmeWalkthrough.bash("export API_KEY=" + apiKey + "\n" + ReadmeWalkthrough.mapPorts(block, stack, dataDir));
    }

    /** The JSON values curl printed one after another (curl -s adds no newline between them). */
    private static List<JsonNode> values(String output) throws Exception {
        List<JsonNode> values = new ArrayList<>();
        try (MappingIterator<JsonNode> it = Http.JSON.readerFor(JsonNode.class).readValues(output)) {
            while (it.hasNext()) {
                values.add(it.next());
            }
        }
        return values;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
