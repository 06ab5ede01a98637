package io.mediaplatform.ingest.media;

import io.mediaplatform.common.signing.LinkSigner;
import io.mediaplatform.ingest.IngestServiceTestBase;
import io.mediaplatform.ingest.SourceServer;
import io.mediaplatform.schemas.topics.Topics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input at every door of the edge: each case answers the right status with RFC 9457 problem JSON and leaves
 * nothing behind — the bucket listing is unchanged and no record was added to {@code media.received.v1}.
 */
class BadInputSuiteTest extends IngestServiceTestBase {

    @Autowired
    S3AsyncClient s3;
    @Autowired
    LinkSigner signer;

    /** Media of tenant B (for cross-tenant cases) and of tenant A (for link cases), uploaded once. */
    private static String mediaOfB;
    private static String mediaOfA;

    @BeforeEach
    void storeMediaOnce() {
        if (mediaOfB == null) {
            mediaOfB = uploadPng(KEY_B, "conv-b", pngBytes(500));
            mediaOfA = uploadPng(KEY_A, "conv-a", pngBytes(500));
        }
    }

    /**
     * One bad request.
     *
     * @param name   what is wrong
     * @param status expected status
     * @param field  expected {@code field} member of the problem, or null
     * @param call   sends it
     */
    record Case(String name, int status, String field, Function<BadInputSuiteTest, HttpResponse<byte[]>> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // ---- POST /v1/media, multipart ----
        cases.add(new Case("multipart whose boundary does not match the body", 400, null, t -> t.rawMultipart(
                "multipart/form-data; boundary=NOT-THE-ONE", t.formBody("REAL-BOUNDARY", true, pngBytes(200)))));
        cases.add(new Case("multipart body cut off inside the file", 400, null, t -> {
            byte[] body = t.formBody("B0UNDARY", true, pngBytes(5_000));
            byte[] cut = java.util.Arrays.copyOf(body, body.length - 2_000);
            return t.rawMultipart("multipart/form-data; boundary=B0UNDARY", cut);
        }));
        cases.add(new Case("multipart without a boundary parameter", 400, null, t -> t.rawMultipart(
                "multipart/form-data", t.formBody("B0UNDARY", true, pngBytes(200)))));
        cases.add(new Case("multipart without the file part", 400, "file", t -> t.uploadMultipart(KEY_A,
                Part.field("conversationId", "c"), Part.field("channel", "MMS"))));
        cases.add(new Case("multipart without conversationId", 400, "conversationId", t -> t.uploadMultipart(KEY_A,
                Part.field("channel", "MMS"), Part.file("a.png", "image/png", pngBytes(100)))));
        cases.add(new Case("multipart without channel", 400, "channel", t -> t.uploadMultipart(KEY_A,
                Part.field("conversationId", "c"), Part.file("a.png", "image/png", pngBytes(100)))));
        cases.add(new Case("multipart with an unknown channel", 400, "channel", t -> t.uploadMultipart(KEY_A,
                Part.field("conversationId", "c"), Part.field("channel", "TELEX"), Part.file("a.png", "image/png", pngBytes(100)))));
        cases.add(new Case("multipart with an unknown direction", 400, "direction", t -> t.uploadMultipart(KEY_A,
                Part.field("conversationId", "c"), Part.field("channel", "MMS"), Part.field("direction", "SIDEWAYS"),
                Part.file("a.png", "image/png", pngBytes(100)))));
        cases.add(new Case("multipart with a 201-character conversationId", 400, "conversationId", t -> t.uploadMultipart(KEY_A,
                Part.field("conversationId", "c".repeat(201)), Part.field("channel", "MMS"),
                Part.file("a.png", "image/png", pngBytes(100)))));
        cases.add(new Case("multipart with two file parts", 400, "file", t -> t.uploadMultipart(KEY_A,
                Part.field("conversationId", "c"), Part.field("channel", "MMS"), Part.file("a.png", "image/png", pngBytes(100)),
                Part.file("b.png", "image/png", pngBytes(100)))));
        cases.add(new Case("multipart with a zero-byte file", 400, "file", t -> t.uploadMultipart(KEY_A,
                Part.field("conversationId", "c"), Part.field("channel", "MMS"), Part.file("a.png", "image/png", new byte[0]))));
        cases.add(new Case("multipart over the limit, streamed without a length", 413, null, t -> t.send(
                t.request("/v1/media", KEY_A).header("Content-Type", "multipart/form-data; boundary=B0UNDARY")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                                t.formBody("B0UNDARY", true, pngBytes((int) MAX_UPLOAD + 200_000))))).build())));
        // ---- POST /v1/media, raw body ----
        cases.add(new Case("raw body of zero bytes", 400, "file", t -> t.send(t.request(
                "/v1/media?conversationId=c&channel=MMS", KEY_A).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.noBody()).build())));
        cases.add(new Case("raw body over the limit, streamed without a length", 413, null, t -> t.send(t.request(
                "/v1/media?conversationId=c&channel=MMS", KEY_A).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                        pngBytes((int) MAX_UPLOAD + 200_000)))).build())));
        cases.add(new Case("raw body over the limit by Content-Length", 413, null, t -> t.send(t.request(
                "/v1/media?conversationId=c&channel=MMS", KEY_A).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(pngBytes((int) MAX_UPLOAD + 1))).build())));
        cases.add(new Case("JSON posted to /v1/media", 415, null, t -> t.postJson("/v1/media?conversationId=c&channel=MMS",
                KEY_A, "{\"sourceUrl\": \"https://example.com/a.png\"}")));
        cases.add(new Case("raw body without the conversation fields", 400, "conversationId", t -> t.send(t.request(
                "/v1/media", KEY_A).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(pngBytes(100))).build())));
        cases.add(new Case("upload with a read-only key", 403, null, t -> t.uploadMultipart(KEY_A_READ_ONLY,
                Part.field("conversationId", "c"), Part.field("channel", "MMS"), Part.file("a.png", "image/png", pngBytes(100)))));
        cases.add(new Case("upload without a key", 401, null, t -> t.uploadMultipart(null,
                Part.field("conversationId", "c"), Part.field("channel", "MMS"), Part.file("a.png", "image/png", pngBytes(100)))));
        // ---- POST /v1/messages ----
        cases.add(new Case("text/plain to /v1/messages", 415, null, t -> t.send(t.request("/v1/messages", KEY_A)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("send it")).build())));
        cases.add(new Case("XML to /v1/messages", 415, null, t -> t.send(t.request("/v1/messages", KEY_A)
                .header("Content-Type", "application/xml").POST(HttpRequest.BodyPublishers.ofString(
                        "<m><channel>WHATSAPP</channel></m>")).build())));
        cases.add(new Case("XML to /v1/media/from-url", 415, null, t -> t.send(t.request("/v1/media/from-url", KEY_A)
                .header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofString(
                        "<r><sourceUrl>https://example.com/a.png</sourceUrl></r>")).build())));
        cases.add(new Case("malformed JSON to /v1/messages", 400, null, t -> t.postJson("/v1/messages", KEY_A,
                "{\"channel\": \"MMS\", ")));
        cases.add(new Case("a JSON array to /v1/messages", 400, null, t -> t.postJson("/v1/messages", KEY_A, "[1, 2]")));
        cases.add(new Case("message with both media.id and media.url", 400, "media", t -> t.postJson("/v1/messages", KEY_A,
                message("image", "MMS", "{\"id\": \"" + mediaOfA + "\", \"url\": \"https://93.184.215.14/a.png\"}"))));
        cases.add(new Case("message with neither media.id nor media.url", 400, "media", t -> t.postJson("/v1/messages",
                KEY_A, message("image", "MMS", "{}"))));
        cases.add(new Case("message of an unknown kind", 400, "kind", t -> t.postJson("/v1/messages", KEY_A,
                message("hologram", "MMS", "{\"id\": \"" + mediaOfA + "\"}"))));
        cases.add(new Case("message on an unknown channel", 400, "channel", t -> t.postJson("/v1/messages", KEY_A,
                message("image", "PIGEON", "{\"id\": \"" + mediaOfA + "\"}"))));
        cases.add(new Case("message naming another tenant's media", 404, "media.id", t -> t.postJson("/v1/messages", KEY_A,
                message("image", "MMS", "{\"id\": \"" + mediaOfB + "\"}"))));
        cases.add(new Case("message with a read-only key", 403, null, t -> t.postJson("/v1/messages", KEY_A_READ_ONLY,
                message("image", "MMS", "{\"id\": \"" + mediaOfA + "\"}"))));
        cases.add(new Case("message with a callback to the metadata service", 400, "callbacks[0]", t -> t.postJson(
                "/v1/messages", KEY_A, """
                        {"channel": "MMS", "from": "+1", "to": "+2", "kind": "image", "media": {"id": "%s"},
                         "callbacks": ["http://169.254.169.254/latest/meta-data/"]}""".formatted(mediaOfA))));
        cases.add(new Case("message with media.url in hex spelling of loopback", 400, "media.url", t -> t.postJson(
                "/v1/messages", KEY_A, message("image", "MMS", "{\"url\": \"http://0x7f.0.0.1/a.png\"}"))));
        // ---- POST /v1/media/from-url: SSRF, every spelling ----
        for (String url : List.of("http://127.0.0.1/a.png", "http://10.0.0.1/a.png", "http://172.16.0.1/a.png",
                "http://192.168.1.1/a.png", "http://100.64.0.1/a.png", "http://169.254.169.254/latest/meta-data/",
                "http://224.0.0.1/a.png", "http://0.0.0.0/a.png", "http://[::1]/a.png", "http://[fc00::1]/a.png",
                "http://[fe80::1]/a.png", "http://[::ffff:127.0.0.1]/a.png", "http://2130706433/a.png",
                "http://0177.0.0.1/a.png", "http://0x7f.0.0.1/a.png", "http://127.1/a.png", "http://0x7f000001/a.png",
                "https://017700000001/a.png")) {
            cases.add(new Case("from-url to non-public " + url, 400, "sourceUrl", t -> t.fromUrl(url)));
        }
        cases.add(new Case("from-url with an ftp URL", 400, "sourceUrl", t -> t.fromUrl("ftp://example.com/a.png")));
        cases.add(new Case("from-url with a file URL", 400, "sourceUrl", t -> t.fromUrl("file:///etc/passwd")));
        cases.add(new Case("from-url with credentials in the URL", 400, "sourceUrl",
                t -> t.fromUrl("http://user:pw@localhost:" + SourceServer.port() + "/files/a.png")));
        // ---- from-url: what the source does ----
        cases.add(new Case("from-url to a redirect", 422, "sourceUrl", t -> t.fromUrl(SourceServer.url("/redirect"))));
        cases.add(new Case("from-url to a source trickling a byte every 100 ms", 504, "sourceUrl",
                t -> t.fromUrl(SourceServer.url("/trickle"))));
        cases.add(new Case("from-url to a source that stalls after the headers", 504, "sourceUrl",
                t -> t.fromUrl(SourceServer.url("/stall"))));
        cases.add(new Case("from-url to a source announcing more than the limit", 413, "sourceUrl",
                t -> t.fromUrl(SourceServer.url("/big"))));
        cases.add(new Case("from-url to a source streaming past the limit", 413, "sourceUrl",
                t -> t.fromUrl(SourceServer.url("/big-chunked"))));
        cases.add(new Case("from-url to a source answering 404", 502, "sourceUrl", t -> t.fromUrl(SourceServer.url("/missing"))));
        cases.add(new Case("from-url to a source answering zero bytes", 422, "sourceUrl", t -> t.fromUrl(SourceServer.url("/empty"))));
        cases.add(new Case("from-url to a closed port", 502, "sourceUrl", t -> t.fromUrl("http://localhost:1/a.png")));
        cases.add(new Case("from-url with a wrong bearer token", 502, "sourceUrl", t -> t.postJson("/v1/media/from-url", KEY_A,
                fromUrlBody(SourceServer.url("/auth/bearer/a.png"), "{\"type\": \"bearer\", \"token\": \"wrong\"}"))));
        // ---- from-url: bad requests ----
        cases.add(new Case("from-url with malformed JSON", 400, null, t -> t.postJson("/v1/media/from-url", KEY_A, "{\"sourceUrl\": ")));
        cases.add(new Case("from-url as text/plain", 415, null, t -> t.send(t.request("/v1/media/from-url", KEY_A)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(SourceServer.url("/files/a.png"))).build())));
        cases.add(new Case("from-url without sourceUrl", 400, "sourceUrl", t -> t.postJson("/v1/media/from-url", KEY_A,
                "{\"conversationId\": \"c\", \"channel\": \"MMS\"}")));
        cases.add(new Case("from-url on an unknown channel", 400, "channel", t -> t.postJson("/v1/media/from-url", KEY_A,
                "{\"sourceUrl\": \"" + SourceServer.url("/files/a.png") + "\", \"conversationId\": \"c\", \"channel\": \"SMOKE\"}")));
        cases.add(new Case("from-url with an unknown auth type", 400, "auth.type", t -> t.postJson("/v1/media/from-url", KEY_A,
                fromUrlBody(SourceServer.url("/files/a.png"), "{\"type\": \"kerberos\"}"))));
        cases.add(new Case("from-url with a bearer token containing a line break", 400, "auth.token", t -> t.postJson(
                "/v1/media/from-url", KEY_A, fromUrlBody(SourceServer.url("/files/a.png"),
                        "{\"type\": \"bearer\", \"token\": \"abc\\r\\nX-Injected: 1\"}"))));
        cases.add(new Case("from-url with OAuth2 client credentials the token endpoint refuses", 502, "auth.tokenUrl",
                t -> t.postJson("/v1/media/from-url", KEY_A, fromUrlBody(SourceServer.url("/auth/oauth/a.png"), """
                        {"type": "oauth2", "tokenUrl": "%s", "clientId": "%s", "clientSecret": "wrong"}"""
                        .formatted(SourceServer.url("/oauth/token"), SourceServer.CLIENT_ID)))));
        cases.add(new Case("from-url with an OAuth2 token URL on a private address", 400, "auth.tokenUrl",
                t -> t.postJson("/v1/media/from-url", KEY_A, fromUrlBody(SourceServer.url("/auth/oauth/a.png"), """
                        {"type": "oauth2", "tokenUrl": "http://10.1.2.3/token", "clientId": "a", "clientSecret": "b"}"""))));
        cases.add(new Case("from-url with a read-only key", 403, null, t -> t.fromUrl(KEY_A_READ_ONLY, SourceServer.url("/files/a.png"))));
        // ---- stored media and links ----
        cases.add(new Case("GET of another tenant's media", 404, null, t -> t.get("/v1/media/" + mediaOfB, KEY_A)));
        cases.add(new Case("DELETE of another tenant's media", 404, null, t -> t.send(t.request("/v1/media/" + mediaOfB, KEY_A)
                .DELETE().build())));
        cases.add(new Case("link request for another tenant's media", 404, null, t -> t.postJson("/v1/media/" + mediaOfB
                + "/links", KEY_A, "{}")));
        cases.add(new Case("link with a ttl beyond the maximum", 400, "ttlSeconds", t -> t.postJson("/v1/media/" + mediaOfA
                + "/links", KEY_A, "{\"ttlSeconds\": 999999}")));
        cases.add(new Case("expired signed link", 403, null, t -> t.get(t.signedPath(TENANT_A, mediaOfA,
                Instant.now().minusSeconds(5), false), null)));
        cases.add(new Case("tampered signed link", 403, null, t -> t.get(t.signedPath(TENANT_A, mediaOfA,
                Instant.now().plusSeconds(300), true), null)));
        cases.add(new Case("signed link re-pointed at another tenant", 403, null, t -> {
            String path = t.signedPath(TENANT_A, mediaOfA, Instant.now().plusSeconds(300), false);
            return t.get(path.replace("tenant=" + TENANT_A, "tenant=" + TENANT_B), null);
        }));
        cases.add(new Case("content without a key or a link", 401, null, t -> t.get("/v1/media/" + mediaOfA + "/content", null)));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bad_input_is_a_problem_and_leaves_nothing_behind(Case badInput) {
        // Given the bucket and the media.received topic as they are
        List<String> before = keys("tenants/");
        long recordsBefore = endOffsets(Topics.MEDIA_RECEIVED_NAME);

        // When the bad request is sent
        HttpResponse<byte[]> response = badInput.call().apply(this);

        // Then it is the expected problem
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(badInput.status());
        assertThat(header(response, "Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(badInput.status());
        assertThat(problem.get("type").asString()).startsWith("/problems/");
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        if (badInput.field() != null) {
            assertThat(problem.get("field").asString()).isEqualTo(badInput.field());
        }
        // And nothing was stored or announced
        assertThat(keys("tenants/")).containsExactlyInAnyOrderElementsOf(before);
        assertThat(endOffsets(Topics.MEDIA_RECEIVED_NAME)).isEqualTo(recordsBefore);
    }

    /** A file name the client gave, and the safe name it must be stored under. */
    record NameCase(String given, String stored) {
        @Override
        public String toString() {
            return given.replace("\u202e", "<RLO>").replace("\u200f", "<RLM>");
        }
    }

    static List<NameCase> names() {
        return List.of(new NameCase("../../etc/passwd", "passwd"),
                new NameCase("..\\..\\windows\\win.ini", "win.ini"),
                new NameCase("invoice\u202egnp.exe", "invoice_gnp.exe"),
                new NameCase("\u200fphoto.png", "_photo.png"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void traversal_and_bidi_file_names_are_sanitised_not_rejected(NameCase name) {
        // When media is uploaded under the name, and fetched from a URL under it
        HttpResponse<byte[]> upload = uploadMultipart(KEY_A, Part.field("conversationId", "conv-names"),
                Part.field("channel", "MMS"), Part.field("fileName", name.given()), Part.file("x.png", "image/png", pngBytes(300)));
        HttpResponse<byte[]> fetched = postJson("/v1/media/from-url", KEY_A, """
                {"sourceUrl": "%s", "conversationId": "conv-names", "channel": "MMS", "fileName": %s}"""
                .formatted(SourceServer.url("/files/x.png"), json.writeValueAsString(name.given())));

        // Then both are stored under the sanitised name
        for (HttpResponse<byte[]> response : List.of(upload, fetched)) {
            assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(201);
            assertThat(json(response).get("name").asString()).isEqualTo("conv-names_" + name.stored());
        }
    }

    // ---- helpers ----

    HttpResponse<byte[]> fromUrl(String url) {
        return fromUrl(KEY_A, url);
    }

    HttpResponse<byte[]> fromUrl(String key, String url) {
        return postJson("/v1/media/from-url", key, "{\"sourceUrl\": " + json.writeValueAsString(url)
                + ", \"conversationId\": \"conv-bad\", \"channel\": \"WHATSAPP\"}");
    }

    static String fromUrlBody(String url, String auth) {
        return "{\"sourceUrl\": \"" + url + "\", \"conversationId\": \"conv-bad\", \"channel\": \"WHATSAPP\", \"auth\": " + auth + "}";
    }

    static String message(String kind, String channel, String media) {
        return "{\"channel\": \"" + channel + "\", \"from\": \"+1555\", \"to\": \"+1666\", \"kind\": \"" + kind
                + "\", \"media\": " + media + "}";
    }

    String signedPath(String tenant, String mediaId, Instant expires, boolean tamper) {
        String link = signer.link("http://x", tenant, mediaId, expires);
        String path = link.substring("http://x".length());
        if (tamper) {
            int at = path.indexOf("signature=") + "signature=".length();
            char c = path.charAt(at);
            path = path.substring(0, at) + (c == 'A' ? 'B' : 'A') + path.substring(at + 1);
        }
        return path;
    }

    HttpResponse<byte[]> rawMultipart(String contentType, byte[] body) {
        return send(request("/v1/media", KEY_A).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** A well-formed multipart body with conversationId, channel and (optionally) a file, using {@code boundary}. */
    byte[] formBody(String boundary, boolean withFile, byte[] file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String fields = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"conversationId\"\r\n\r\nconv-x\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"channel\"\r\n\r\nMMS\r\n";
        out.writeBytes(fields.getBytes(StandardCharsets.UTF_8));
        if (withFile) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
                    + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(file);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            String continuation = token;
            var page = s3.listObjectsV2(b -> b.bucket("media").prefix(prefix).continuationToken(continuation)).join();
            page.contents().stream().map(S3Object::key).forEach(keys::add);
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return keys;
    }
}
