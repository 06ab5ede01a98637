package io.mediaplatform.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mediaplatform.embedded.RecordingServer;
import io.mediaplatform.simulator.CustomerMedia;
import io.mediaplatform.simulator.CustomerSent;
import io.mediaplatform.simulator.NotifySimulator;
import io.mediaplatform.simulator.TwilioSimulator;
import io.mediaplatform.simulator.WhatsAppSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code GET /v1/providers/{provider}/inbound-media} over real HTTP against the provider simulators and real servers
 * on loopback: dispatch downloads a customer's media with its own provider credentials and streams it to the signed
 * caller (ingest), with the provider-side rules moved here from ingest (re-resolving an expired WhatsApp URL, Twilio
 * basic auth and its CDN reached without the credentials, untrusted hosts never called) and the failures classified
 * as problems with {@code reason} and {@code retryable}.
 */
class InboundMediaEndpointTest extends ProviderWebhookTestBase {

    private static final String WHATSAPP_TOKEN = "endpoint-test-whatsapp-token";
    private static final String TWILIO_SID = "AC" + "0123456789abcdef0123456789abcdef";
    private static final String NOTIFY_KEY = "endpoint-test-notify-api-key";
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString((TWILIO_SID + ":" + TWILIO_TOKEN)
            .getBytes(StandardCharsets.UTF_8));
    private static final byte[] CDN_BYTES = "the customer's photo, from the CDN".getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The gated provider's body: large, produced as it is sent. */
    private static final long LARGE = 48L * 1024 * 1024;
    private static final int FIRST_PART = 1024 * 1024;

    private static final WhatsAppSimulator WHATSAPP = WhatsAppSimulator.builder().accessToken(WHATSAPP_TOKEN)
            .appSecret(APP_SECRET).build().start();
    private static final TwilioSimulator TWILIO = TwilioSimulator.builder().accountSid(TWILIO_SID)
            .authToken(TWILIO_TOKEN).build().start();
    private static final NotifySimulator NOTIFY = NotifySimulator.builder().apiKey(NOTIFY_KEY)
            .webhookSecret(NOTIFY_SECRET).build().start();
    /** Twilio's CDN: a trusted host on another origin. */
    private static final RecordingServer CDN = RecordingServer.serving(CDN_BYTES, "image/jpeg");
    /** A Twilio media host (trusted) that redirects to the CDN, as Twilio's API does. */
    private static final RecordingServer TWILIO_API = new RecordingServer(exchange -> {
        exchange.getResponseHeaders().add("Location", cdnOrigin() + "/media/abc?sig=1");
        exchange.sendResponseHeaders(307, -1);
    });
    /** A host no provider is trusted on. */
    private static final RecordingServer STRANGER = RecordingServer.serving(CDN_BYTES, "image/jpeg");
    /** A notification-API media host answering {@code /status/<code>} with that status ({@code Retry-After: 120}). */
    private static final RecordingServer STATUSES = new RecordingServer(exchange -> {
        String path = exchange.getRequestURI().getPath();
        exchange.getResponseHeaders().add("Retry-After", "120");
        exchange.sendResponseHeaders(Integer.parseInt(path.substring(path.lastIndexOf('/') + 1)), -1);
    });
    /** Sends the first MiB of a large body, then waits for the test to have received it before sending the rest. */
    private static final CountDownLatch FIRST_PART_RECEIVED = new CountDownLatch(1);
    private static final AtomicBoolean GATE_OPENED = new AtomicBoolean();
    private static volatile String gatedSha256;
    private static final RecordingServer GATED = new RecordingServer(exchange -> {
        exchange.getResponseHeaders().add("Content-Type", "video/mp4");
        exchange.sendResponseHeaders(200, LARGE);
        MessageDigest digest = sha256();
        OutputStream out = exchange.getResponseBody();
        byte[] chunk = new byte[64 * 1024];
        long sent = 0;
        while (sent < LARGE) {
            if (sent == FIRST_PART) {
                out.flush();
                try {
                    if (!FIRST_PART_RECEIVED.await(30, TimeUnit.SECONDS)) {
                        throw new IOException("the first part never reached the client: the answer is held back");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                GATE_OPENED.set(true);
            }
            ThreadLocalRandom.current().nextBytes(chunk);
            out.write(chunk);
            digest.update(chunk);
            sent += chunk.length;
        }
        gatedSha256 = HexFormat.of().formatHex(digest.digest());
    });
    /** A provider that sends part of a chunked body, then drops the connection without the closing chunk. */
    private static final BrokenServer BROKEN = new BrokenServer();

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        registry.add("dispatch.whatsapp.base-url", WHATSAPP::url);
        registry.add("dispatch.whatsapp.access-token", () -> WHATSAPP_TOKEN);
        registry.add("dispatch.twilio.base-url", TWILIO::url);
        registry.add("dispatch.twilio.account-sid", () -> TWILIO_SID);
        registry.add("dispatch.notify.base-url", NOTIFY::url);
        registry.add("dispatch.notify.api-key", () -> NOTIFY_KEY);
        registry.add("dispatch.inbound.media.twilio-hosts", () -> TWILIO_API.url() + "," + cdnOrigin());
        registry.add("dispatch.inbound.media.notify-hosts", () -> STATUSES.url() + "," + GATED.url() + "," + BROKEN.url());
        registry.add("dispatch.inbound.media.timeout", () -> "60s");
        registry.add("platform.outbound.connect-timeout", () -> "2s");
        registry.add("platform.outbound.read-timeout", () -> "10s");
    }

    @AfterAll
    static void stopServers() {
        for (AutoCloseable server : new AutoCloseable[]{WHATSAPP, TWILIO, NOTIFY, CDN, TWILIO_API, STRANGER, STATUSES,
                GATED, BROKEN}) {
            try {
                server.close();
            } catch (Exception ignored) {
                // stopping anyway
            }
        }
    }

    private static String cdnOrigin() {
        return CDN.url().replace("127.0.0.1", "localhost");
    }

    private static String mediaId() {
        return UUID.randomUUID().toString();
    }

    // ---------------------------------------------------------------- the providers

    @Test
    void a_whatsapp_media_is_served_with_its_type_its_length_and_the_sha256_of_the_lookup() throws Exception {
        // Given a customer's photo on WhatsApp
        byte[] photo = bytes(40_000);
        CustomerSent sent = WHATSAPP.customerSends(CustomerMedia.of("image", photo, "image/jpeg").build());

        // When ingest asks for it by its WhatsApp media id
        HttpResponse<byte[]> response = getInboundMedia("whatsapp", mediaId(), sent.mediaId());

        // Then the very bytes come back, resolved and downloaded once with dispatch's token
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(photo);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(photo.length);
        assertThat(response.headers().firstValue("X-Provider-Sha256")).hasValue(sent.first().reportedSha256())
                .hasValue(sha256Hex(photo));
        assertThat(WHATSAPP.resolves(sent.mediaId())).isEqualTo(1);
        assertThat(WHATSAPP.downloads(sent.mediaId())).isEqualTo(1);
    }

    @Test
    void an_expired_whatsapp_url_is_resolved_again_in_the_same_request() throws Exception {
        // Given a WhatsApp media whose first download URL is already expired
        byte[] photo = bytes(15_000);
        CustomerSent sent = WHATSAPP.customerSends(CustomerMedia.of("image", photo, "image/jpeg")
                .faults("expired-url").build());

        // When ingest asks for it
        HttpResponse<byte[]> response = getInboundMedia("whatsapp", mediaId(), sent.mediaId());

        // Then dispatch resolves the media id a second time and serves the bytes of the fresh URL
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(photo);
        assertThat(WHATSAPP.resolves(sent.mediaId())).isEqualTo(2);
        assertThat(WHATSAPP.downloads(sent.mediaId())).isEqualTo(2);
    }

    @Test
    void a_provider_5xx_is_a_retryable_502_and_a_later_request_gets_the_media() throws Exception {
        // Given a WhatsApp media whose first download answers 500
        byte[] photo = bytes(10_000);
        CustomerSent sent = WHATSAPP.customerSends(CustomerMedia.of("image", photo, "image/jpeg")
                .faults("download-5xx:1").build());

        // When ingest asks for it
        HttpResponse<byte[]> first = getInboundMedia("whatsapp", mediaId(), sent.mediaId());

        // Then it is told a retryable 502 problem naming the provider's answer
        assertThat(first.statusCode()).isEqualTo(502);
        assertThat(first.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(first.body());
        assertThat(problem.path("reason").asText()).isEqualTo("PROVIDER_ERROR");
        assertThat(problem.path("retryable").asBoolean()).isTrue();
        assertThat(problem.path("detail").asText()).isEqualTo("WhatsApp answered HTTP 500 to the media download");
        assertThat(problem.path("status").asInt()).isEqualTo(502);

        // When it asks again
        HttpResponse<byte[]> second = getInboundMedia("whatsapp", mediaId(), sent.mediaId());

        // Then it gets the media
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(photo);
        assertThat(WHATSAPP.downloads(sent.mediaId())).isEqualTo(2);
    }

    @Test
    void media_the_provider_deleted_is_a_404_gone_that_is_not_retryable() throws Exception {
        // Given a WhatsApp media that was deleted
        CustomerSent sent = WHATSAPP.customerSends(CustomerMedia.of("image", bytes(5_000), "image/jpeg")
                .faults("gone").build());

        // When ingest asks for it
        HttpResponse<byte[]> response = getInboundMedia("whatsapp", mediaId(), sent.mediaId());

        // Then it is gone, for good
        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("reason").asText()).isEqualTo("GONE");
        assertThat(problem.path("retryable").asBoolean()).isFalse();
        assertThat(problem.path("detail").asText()).contains("no longer available at WhatsApp");
        assertThat(WHATSAPP.downloads(sent.mediaId())).isZero();
    }

    @Test
    void twilio_media_is_downloaded_with_the_accounts_basic_auth() throws Exception {
        // Given an MMS with a photo and a PDF
        byte[] photo = bytes(30_000);
        byte[] pdf = bytes(20_000);
        CustomerSent sent = TWILIO.customerSends(CustomerMedia.of(null, photo, "image/jpeg")
                .attach(pdf, "application/pdf").text("Both pages").build());

        // When ingest asks for each by its MediaUrl
        HttpResponse<byte[]> first = getInboundMedia("twilio", mediaId(), sent.media().get(0).url());
        HttpResponse<byte[]> second = getInboundMedia("twilio", mediaId(), sent.media().get(1).url());

        // Then each comes back with its bytes and type, and Twilio reports no digest
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo(photo);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(pdf);
        assertThat(second.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(first.headers().firstValue("X-Provider-Sha256")).isEmpty();
        assertThat(TWILIO.downloads(sent.media().get(0).mediaId())).isEqualTo(1);
    }

    @Test
    void a_twilio_redirect_to_its_trusted_cdn_is_followed_without_the_account_credentials() throws Exception {
        // Given a Twilio media URL that redirects to the CDN, a trusted host on another origin
        String path = "/2010-04-01/Media/ME" + UUID.randomUUID().toString().replace("-", "");

        // When ingest asks for it
        HttpResponse<byte[]> response = getInboundMedia("twilio", mediaId(), TWILIO_API.url() + path);

        // Then the bytes come from the CDN, which never saw the basic credentials the Twilio host got
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(CDN_BYTES);
        assertThat(TWILIO_API.seen()).filteredOn(s -> s.path().equals(path)).singleElement().satisfies(s ->
                assertThat(s.headers().get("Authorization")).containsExactly(BASIC));
        assertThat(CDN.seen()).isNotEmpty().allSatisfy(s -> {
            assertThat(s.path()).isEqualTo("/media/abc");
            assertThat(s.hasAuthorization()).isFalse();
        });
    }

    @Test
    void notification_api_media_is_downloaded_with_the_api_key() throws Exception {
        // Given an RCS customer's image through the notification API
        byte[] photo = bytes(35_000);
        CustomerSent sent = NOTIFY.customerSends(CustomerMedia.of("image", photo, "image/jpeg").channel("RCS").build());

        // When ingest asks for it by its URL
        HttpResponse<byte[]> response = getInboundMedia("notify", mediaId(), sent.first().url());

        // Then it comes back whole
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(photo);
        assertThat(NOTIFY.downloads(sent.mediaId())).isEqualTo(1);
    }

    @Test
    void a_media_url_on_an_untrusted_host_is_refused_with_422_and_that_host_is_never_called() throws Exception {
        // Given a notification-API media URL on a server that is not the provider's
        String url = STRANGER.url() + "/notify/media/nm1";

        // When ingest asks for it
        HttpResponse<byte[]> response = getInboundMedia("notify", mediaId(), url);

        // Then it is refused for good, and the stranger got no request, so no credential
        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("reason").asText()).isEqualTo("UNTRUSTED_HOST");
        assertThat(problem.path("retryable").asBoolean()).isFalse();
        assertThat(problem.path("detail").asText()).contains("not trusted").doesNotContain(NOTIFY_KEY);
        assertThat(STRANGER.seen()).isEmpty();
    }

    @ParameterizedTest(name = "provider HTTP {0} -> {1} {2}")
    @CsvSource({
            "500, 502, PROVIDER_ERROR, true, true",
            "503, 502, PROVIDER_ERROR, true, true",
            "429, 502, THROTTLED, true, true",
            "401, 502, CREDENTIALS_REFUSED, true, false",
            "403, 502, CREDENTIALS_REFUSED, true, false",
            "404, 404, GONE, false, false",
            "410, 404, GONE, false, false",
            "400, 422, BAD_ANSWER, false, false"})
    void provider_answers_are_classified_for_ingests_retry_decision(int providerStatus, int status, String reason,
                                                                    boolean retryable, boolean retryAfter)
            throws Exception {
        // Given a provider media host that answers that status (with Retry-After: 120)
        // When ingest asks for a media there
        HttpResponse<byte[]> response = getInboundMedia("notify", mediaId(), STATUSES.url() + "/status/" + providerStatus);

        // Then the problem carries the classification, and a provider error or throttling passes its Retry-After on
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("reason").asText()).isEqualTo(reason);
        assertThat(problem.path("retryable").asBoolean()).isEqualTo(retryable);
        assertThat(problem.path("detail").asText()).doesNotContain(NOTIFY_KEY);
        if (retryAfter) {
            assertThat(response.headers().firstValue("Retry-After")).hasValue("120");
        } else {
            assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        }
    }

    // ---------------------------------------------------------------- the signature

    @Test
    void a_request_with_a_wrong_or_missing_signature_is_a_401_and_the_provider_is_not_asked() throws Exception {
        // Given a customer's media on WhatsApp, and a request signed for another media id
        CustomerSent sent = WHATSAPP.customerSends(CustomerMedia.of("image", bytes(5_000), "image/jpeg").build());
        URI signedForAnother = inboundMediaUri("whatsapp", mediaId(), "another-media-id", Instant.now().plusSeconds(60));
        URI moved = URI.create(signedForAnother.toString().replace("ref=another-media-id", "ref=" + sent.mediaId()));
        URI unsigned = URI.create(BASE + "/v1/providers/whatsapp/inbound-media?tenant=" + TENANT + "&mediaId="
                + mediaId() + "&ref=" + sent.mediaId() + "&expires=" + Instant.now().plusSeconds(60).getEpochSecond());
        URI otherKey = URI.create(BASE + "/v1/providers/whatsapp/inbound-media?" + new io.mediaplatform.common.signing
                .InboundMediaSigner("another-link-signing-key-0123456789abcdef")
                .query("whatsapp", TENANT, mediaId(), sent.mediaId(), Instant.now().plusSeconds(60)));

        for (URI uri : new URI[]{moved, unsigned, otherKey}) {
            // When it is sent
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());

            // Then it is refused as unauthorized problem JSON
            assertThat(response.statusCode()).as(uri.toString()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(response.body()).path("reason").asText()).isEqualTo("BAD_SIGNATURE");
        }
        // And WhatsApp was never asked
        assertThat(WHATSAPP.resolves(sent.mediaId())).isZero();
        assertThat(WHATSAPP.downloads(sent.mediaId())).isZero();
    }

    @Test
    void a_rightly_signed_request_past_its_expiry_is_a_401() throws Exception {
        // Given a request signed right but expired a second ago
        CustomerSent sent = WHATSAPP.customerSends(CustomerMedia.of("image", bytes(5_000), "image/jpeg").build());
        URI expired = inboundMediaUri("whatsapp", mediaId(), sent.mediaId(), Instant.now().minusSeconds(1));

        // When it is sent
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(expired).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());

        // Then it is refused, and nothing is downloaded
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).path("reason").asText()).isEqualTo("EXPIRED_SIGNATURE");
        assertThat(WHATSAPP.resolves(sent.mediaId())).isZero();
    }

    @Test
    void an_unknown_provider_is_a_404_problem() throws Exception {
        HttpResponse<byte[]> response = getInboundMedia("fax", mediaId(), "ref");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).path("type").asText()).isEqualTo("/problems/unknown-provider");
    }

    // ---------------------------------------------------------------- streaming

    @Test
    void a_large_body_is_streamed_through_as_it_arrives_never_held_whole() throws Exception {
        // Given a provider that sends the first MiB of a 48 MiB media, then waits until the caller has received it
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = inboundMediaUri("notify", mediaId(), GATED.url() + "/notify/media/large", Instant.now().plusSeconds(60));

        // When ingest asks for it and reads the answer as it comes
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest digest = sha256();
        long read;
        try (InputStream body = response.body()) {
            byte[] first = body.readNBytes(FIRST_PART);
            // Then the first MiB arrives while the provider still holds back the rest
            assertThat(first).hasSize(FIRST_PART);
            assertThat(GATE_OPENED).isFalse();
            digest.update(first);
            FIRST_PART_RECEIVED.countDown();
            read = first.length;
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = body.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                read += n;
            }
        }

        // And the whole body follows, with the provider's length and type
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(LARGE);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(read).isEqualTo(LARGE);
        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(gatedSha256);
    }

    @Test
    void a_provider_breaking_off_a_body_of_unknown_length_breaks_the_answer_off_too() throws Exception {
        // Given a provider that sends 300 KiB of a chunked body and then drops the connection
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = inboundMediaUri("notify", mediaId(), BROKEN.url() + "/notify/media/broken", Instant.now().plusSeconds(60));

        // When ingest reads the answer
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());

        // Then the answer started, but ends in an error, never as a complete-looking short body
        assertThat(response.statusCode()).isEqualTo(200);
        try (InputStream body = response.body()) {
            assertThatThrownBy(body::readAllBytes).isInstanceOf(IOException.class);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A raw HTTP/1.1 server on loopback answering every request 200 with a chunked body of 300 KiB and then closing
     * the socket without the closing chunk: a provider that breaks off mid-body.
     */
    private static final class BrokenServer implements AutoCloseable {
        private final ServerSocket socket;

        BrokenServer() {
            try {
                socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Thread.ofVirtual().name("broken-provider").start(this::serve);
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    Thread.ofVirtual().start(() -> answer(client));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void answer(Socket client) {
            try (client) {
                InputStream in = client.getInputStream();
                // read the request head
                int state = 0;
                while (state < 4) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                            ? state + 1 : 0;
                }
                OutputStream out = client.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[100 * 1024];
                for (int i = 0; i < 3; i++) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
                client.setSoLinger(true, 0);
            } catch (IOException ignored) {
                // the connection is dropped anyway
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
