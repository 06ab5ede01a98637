package io.mediaplatform.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaplatform.embedded.EmbeddedClamd;
import io.mediaplatform.ingest.media.core.MediaKeys;
import io.mediaplatform.validation.antivirus.clamd.MalwareGate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Antivirus on the real local stack with its own clamd (platform-embedded's {@link EmbeddedClamd}, whose only
 * signature is the EICAR test string): a customer sends a document carrying EICAR through the notification-API
 * simulator, and the file is refused as MALWARE, moved to {@code quarantine/} in S3 and told to the demo tenant's
 * endpoint and in the message API; a clean PNG sent the same way is scanned and accepted.
 */
class AntivirusEndToEndTest extends LocalStackTestBase {

    private static final Path PHOTO = ReadmeWalkthrough.REPO_ROOT.resolve("deploy/local-stack/demo/photo.png");
    private static final String CUSTOMER = "+15557654321";

    /**
     * Where clamd is not installed the class is skipped, with the reason, before {@link LocalStackTestBase} starts a
     * stack for nothing (an extension's before-all callback runs ahead of every {@code @BeforeAll} method).
     */
    @RegisterExtension
    static final BeforeAllCallback NEEDS_CLAMD = context -> assumeTrue(EmbeddedClamd.isAvailable(),
            "clamd is not installed (" + EmbeddedClamd.DEBIAN_BINARY + "; " + EmbeddedClamd.INSTALL_HINT
                    + "): the local stack runs without antivirus, so there is nothing to test");

    @Test
    void a_customers_eicar_document_is_refused_as_MALWARE_quarantined_and_the_client_is_told() throws Exception {
        // Given the local stack scans with its own clamd
        assertThat(antivirus()).containsEntry("enabled", true).containsEntry("embedded", true);
        String tenant = stack.secrets().tenants().getFirst().id();
        // And a PDF carrying the EICAR test string (RCS takes documents as PDF only, so the policy passes it and the
        // scan decides)
        byte[] pdf = eicarPdf();
        long foundBefore = clamdLog(" FOUND");

        // When a customer sends it as a document on RCS through the notification API
        JsonNode sent = customerSends(pdf, "application/pdf", "document", "eicar.pdf");
        assertThat(sent.path("webhookStatus").asInt()).as(sent.toString()).isBetween(200, 299);
        String providerMessageId = sent.path("providerMessageId").asText();

        // Then the demo endpoint gets one signed message.received: REJECTED, MALWARE, naming the signature, no link
        JsonNode hook = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> received(providerMessageId), hooks -> hooks.size() == 1).getFirst();
        assertThat(hook.path("signatureValid").asBoolean()).isTrue();
        assertThat(hook.path("payload").path("type").asText()).isEqualTo("message.received");
        JsonNode data = hook.path("payload").path("data");
        assertThat(data.path("direction").asText()).isEqualTo("INBOUND");
        assertThat(data.path("channel").asText()).isEqualTo("RCS");
        assertThat(data.path("from").asText()).isEqualTo(CUSTOMER);
        assertThat(data.path("fileName").asText()).isEqualTo("eicar.pdf");
        assertThat(data.path("status").asText()).isEqualTo("REJECTED");
        assertThat(data.path("reason").asText()).isEqualTo("MALWARE");
        assertThat(data.path("reasonMessage").asText()).contains(EmbeddedClamd.EICAR_SIGNATURE).contains("quarantined");
        assertThat(data.path("media").path("url").isNull()).as("no download link").isTrue();
        assertThat(data.path("media").path("sha256").asText()).isEqualTo(sha256(pdf));
        String mediaId = data.path("media").path("id").asText();
        assertThat(MediaKeys.isMediaId(mediaId)).as("media id " + mediaId).isTrue();
        // And clamd itself said so
        assertThat(clamdLog(" FOUND")).isGreaterThan(foundBefore);

        // And in S3 the file is under the quarantine prefix, byte for byte, and no longer at its media key
        String key = MediaKeys.media(tenant, mediaId);
        try (S3Client s3 = s3()) {
            String bucket = s3Description().get("bucket");
            assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket).key(MalwareGate.QUARANTINE_PREFIX + key)).asByteArray())
                    .isEqualTo(pdf);
            assertThatThrownBy(() -> s3.headObject(r -> r.bucket(bucket).key(key)))
                    .isInstanceOf(NoSuchKeyException.class);
        }

        // And the message API lists it INBOUND, REJECTED with reason MALWARE
        String messageId = data.path("messageId").asText();
        JsonNode item = inboundMessage(messageId);
        assertThat(item.path("status").asText()).isEqualTo("REJECTED");
        assertThat(item.path("reason").asText()).isEqualTo("MALWARE");
        assertThat(item.path("mediaId").asText()).isEqualTo(mediaId);
        Http.Response detail = Http.get(stack.callbackUrl() + "/v1/messages/" + messageId, apiKey);
        assertThat(detail.status()).as(detail.body()).isEqualTo(200);
        assertThat(detail.json().path("reasonMessage").asText()).contains(EmbeddedClamd.EICAR_SIGNATURE);
    }

    @Test
    void a_clean_png_sent_the_same_way_is_scanned_and_ACCEPTED() throws Exception {
        // Given the demo photo
        byte[] png = Files.readAllBytes(PHOTO);
        long cleanBefore = clamdLog(": OK");

        // When a customer sends it as an image on RCS
        JsonNode sent = customerSends(png, "image/png", "image", null);
        assertThat(sent.path("webhookStatus").asInt()).as(sent.toString()).isBetween(200, 299);
        String providerMessageId = sent.path("providerMessageId").asText();

        // Then the endpoint is told ACCEPTED with a link, clamd scanned it and found it clean
        JsonNode data = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> received(providerMessageId), hooks -> hooks.size() == 1).getFirst().path("payload").path("data");
        assertThat(data.path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(data.path("reason").isNull()).isTrue();
        assertThat(data.path("media").path("sha256").asText()).isEqualTo(sha256(png));
        assertThat(data.path("media").path("url").asText()).startsWith(stack.ingestUrl() + "/v1/media/");
        assertThat(clamdLog(": OK")).isGreaterThan(cleanBefore);
        // And the file stays at its media key, nothing in quarantine, and the link serves it
        String key = MediaKeys.media(stack.secrets().tenants().getFirst().id(), data.path("media").path("id").asText());
        try (S3Client s3 = s3()) {
            String bucket = s3Description().get("bucket");
            assertThat(s3.headObject(r -> r.bucket(bucket).key(key)).contentLength()).isEqualTo(png.length);
            assertThatThrownBy(() -> s3.headObject(r -> r.bucket(bucket).key(MalwareGate.QUARANTINE_PREFIX + key)))
                    .isInstanceOf(NoSuchKeyException.class);
        }
        assertThat(inboundMessage(data.path("messageId").asText()).path("status").asText()).isEqualTo("ACCEPTED");
    }

    /** Plays the customer through the simulator's HTTP control endpoint (as the README's curl lines do). */
    private static JsonNode customerSends(byte[] bytes, String contentType, String type, String fileName) throws Exception {
        String url = stack.simulatorUrl() + "/simulator/notify/customer-messages?from="
                + URLEncoder.encode(CUSTOMER, StandardCharsets.UTF_8) + "&channel=RCS&type=" + type
                + (fileName == null ? "" : "&filename=" + URLEncoder.encode(fileName, StandardCharsets.UTF_8));
        Http.Response response = Http.postBytes(url, contentType, bytes);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
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

    /** The message in {@code GET /v1/messages?direction=INBOUND}, once it is there. */
    private static JsonNode inboundMessage(String messageId) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            Http.Response list = Http.get(stack.callbackUrl() + "/v1/messages?direction=INBOUND&limit=100", apiKey);
            assertThat(list.status()).as(list.body()).isEqualTo(200);
            for (JsonNode item : list.json().path("items")) {
                if (messageId.equals(item.path("messageId").asText())) {
                    assertThat(item.path("direction").asText()).isEqualTo("INBOUND");
                    return item;
                }
            }
            return null;
        }, item -> item != null);
    }

    /** A small valid-looking PDF whose one content stream is the EICAR test string. */
    private static byte[] eicarPdf() {
        String eicar = EmbeddedClamd.eicar();
        return ("%PDF-1.4\n"
                + "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                + "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
                + "3 0 obj\n<< /Length " + eicar.length() + " >>\nstream\n" + eicar + "\nendstream\nendobj\n"
                + "trailer\n<< /Root 1 0 R >>\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Lines of the local stack's clamd log containing {@code marker}. */
    private static long clamdLog(String marker) throws Exception {
        Path log = dataDir.resolve("clamav/clamd.log");
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains("instream(") && l.contains(marker)).count();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> antivirus() {
        return (Map<String, Object>) stack.description().get("antivirus");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> s3Description() {
        return (Map<String, String>) stack.description().get("s3");
    }

    /** An S3 client with the local stack's endpoint and keys, as local-stack.json gives them. */
    private static S3Client s3() {
        Map<String, String> s3 = s3Description();
        return S3Client.builder()
                .endpointOverride(URI.create(s3.get("endpoint")))
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3.get("accessKey"), s3.get("secretKey"))))
                .build();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
