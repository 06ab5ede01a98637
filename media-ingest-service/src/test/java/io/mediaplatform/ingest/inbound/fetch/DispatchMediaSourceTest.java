package io.mediaplatform.ingest.inbound.fetch;

import io.mediaplatform.common.signing.InboundMediaSigner;
import io.mediaplatform.embedded.RecordingServer;
import io.mediaplatform.common.core.DownloadFailure;
import io.mediaplatform.common.core.DownloadFailure.Cause;
import io.mediaplatform.ingest.inbound.core.InboundContent;
import io.mediaplatform.ingest.inbound.core.InboundMedia;
import io.mediaplatform.ingest.inbound.core.Provider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client of dispatch's inbound-media endpoint against real HTTP servers on loopback playing dispatch: what it
 * asks (a signed request for that media, to that host only) and how dispatch's answers map back to ingest's retry
 * decisions.
 */
class DispatchMediaSourceTest {

    private static final String KEY = "test-link-signing-key-0123456789abcdef";
    private static final String MEDIA_ID = "3b1f2b0e-7c53-3a4e-9b43-0d4b0e0f5a11";
    private static final byte[] BYTES = "the customer's photo".getBytes(StandardCharsets.UTF_8);

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closing.add(closeable);
        return closeable;
    }

    private RecordingServer dispatch(int status, String contentType, String body, String... headers) {
        return closing(new RecordingServer(exchange -> {
            for (int i = 0; i + 1 < headers.length; i += 2) {
                exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            if (contentType != null) {
                exchange.getResponseHeaders().add("Content-Type", contentType);
            }
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }));
    }

    private DispatchMediaSource.Opened open(String dispatchUrl, InboundMedia media) {
        DispatchMediaSource source = closing(new DispatchMediaSource(dispatchUrl, new InboundMediaSigner(KEY),
                JsonMapper.builder().build(), Duration.ofSeconds(1), Duration.ofSeconds(2), Clock.systemUTC()));
        return source.open(media, System.nanoTime() + Duration.ofSeconds(5).toNanos());
    }

    private static InboundMedia notify(String url) {
        return new InboundMedia("acme", Provider.NOTIFY, MEDIA_ID, "RCS:+15557654321", "RCS", null,
                InboundContent.Kind.IMAGE, false, null, url, "image/jpeg", null, null);
    }

    private static InboundMedia whatsApp(String providerMediaId) {
        return new InboundMedia("acme", Provider.WHATSAPP, MEDIA_ID, "WHATSAPP:+15557654321", "WHATSAPP", null,
                InboundContent.Kind.IMAGE, false, providerMediaId, null, "image/jpeg", null, null);
    }

    private static DownloadFailure failure(DispatchMediaSource.Opened opened) {
        assertThat(opened).isInstanceOf(DispatchMediaSource.Failed.class);
        return ((DispatchMediaSource.Failed) opened).failure();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return query;
    }

    @Test
    void asks_for_the_media_with_a_request_signed_for_it_that_expires_within_a_minute() throws IOException {
        // Given a dispatch serving the bytes with the provider's announced digest
        RecordingServer dispatch = closing(new RecordingServer(exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "image/jpeg");
            exchange.getResponseHeaders().add("X-Provider-Sha256", "abc123");
            exchange.sendResponseHeaders(200, BYTES.length);
            exchange.getResponseBody().write(BYTES);
        }));
        Instant before = Instant.now();

        // When a WhatsApp media is asked for
        DispatchMediaSource.Opened opened = open(dispatch.url(), whatsApp("wa-media-42"));

        // Then the body is the bytes, the provider's digest is to be checked too
        assertThat(opened).isInstanceOf(DispatchMediaSource.Body.class);
        DispatchMediaSource.Body body = (DispatchMediaSource.Body) opened;
        try (DispatchMediaSource.Response response = body.response()) {
            assertThat(response.body().readAllBytes()).isEqualTo(BYTES);
        }
        assertThat(body.announcedSha256()).containsExactly("abc123");
        // and the request named the provider, tenant, media id and WhatsApp media id, signed for the next minute
        RecordingServer.Seen seen = dispatch.seen().getFirst();
        assertThat(seen.path()).isEqualTo("/v1/providers/whatsapp/inbound-media");
        Map<String, String> query = query(seen.query());
        assertThat(query).containsEntry("tenant", "acme").containsEntry("mediaId", MEDIA_ID)
                .containsEntry("ref", "wa-media-42");
        long expires = Long.parseLong(query.get("expires"));
        assertThat(expires).isBetween(before.getEpochSecond() + 59, Instant.now().getEpochSecond() + 60);
        assertThat(new InboundMediaSigner(KEY).verify("whatsapp", "acme", MEDIA_ID, "wa-media-42", query.get("expires"),
                query.get("signature"), Instant.now())).isEqualTo(InboundMediaSigner.Verdict.VALID);
        assertThat(seen.hasAuthorization()).isFalse();
    }

    @Test
    void a_problem_names_the_cause_and_its_detail_and_retry_after_are_kept() {
        // Given a dispatch whose provider answered 5xx with Retry-After
        RecordingServer dispatch = dispatch(502, "application/problem+json", """
                {"type":"/problems/provider-failed","title":"Provider download failed","status":502,
                 "detail":"WhatsApp answered HTTP 500 to the media download","reason":"PROVIDER_ERROR","retryable":true}""",
                "Retry-After", "120");

        // When the media is asked for
        DownloadFailure failure = failure(open(dispatch.url(), whatsApp("wa-1")));

        // Then it may pass, with dispatch's text and the provider's wait
        assertThat(failure.cause()).isEqualTo(Cause.PROVIDER_ERROR);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.reason()).isEqualTo("WhatsApp answered HTTP 500 to the media download");
        assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void gone_and_untrusted_are_for_good() {
        RecordingServer gone = dispatch(404, "application/problem+json", """
                {"status":404,"detail":"The media is no longer available at WhatsApp (HTTP 404 to the media lookup)",
                 "reason":"GONE","retryable":false}""");
        RecordingServer untrusted = dispatch(422, "application/problem+json", """
                {"status":422,"detail":"The media URL is on a host that is not trusted for the provider (evil.example)",
                 "reason":"UNTRUSTED_HOST","retryable":false}""");

        DownloadFailure g = failure(open(gone.url(), whatsApp("wa-1")));
        DownloadFailure u = failure(open(untrusted.url(), notify("https://evil.example/x")));

        assertThat(g.cause()).isEqualTo(Cause.GONE);
        assertThat(g.retryable()).isFalse();
        assertThat(g.reason()).contains("no longer available at WhatsApp");
        assertThat(u.cause()).isEqualTo(Cause.UNTRUSTED_HOST);
        assertThat(u.retryable()).isFalse();
    }

    @Test
    void answers_without_a_known_reason_are_judged_by_retryable_or_status() {
        // a reason ingest does not know: the retryable flag decides
        assertThat(failure(open(dispatch(502, "application/problem+json",
                "{\"reason\":\"SOMETHING_NEW\",\"retryable\":true}").url(), whatsApp("wa-1"))).retryable()).isTrue();
        assertThat(failure(open(dispatch(422, "application/problem+json",
                "{\"reason\":\"SOMETHING_NEW\",\"retryable\":false}").url(), whatsApp("wa-1"))).retryable()).isFalse();
        // a 404 without a reason is no gone media but a missing endpoint (a dispatch not upgraded yet): it may pass
        assertThat(failure(open(dispatch(404, "text/html", "<h1>Not found</h1>").url(), whatsApp("wa-1"))).retryable())
                .isTrue();
        // a refused signature is the operator's key mismatch: it may pass once fixed, and the text says so
        DownloadFailure refused = failure(open(dispatch(401, "application/problem+json",
                "{\"reason\":\"BAD_SIGNATURE\",\"detail\":\"Missing or invalid signature\"}").url(), whatsApp("wa-1")));
        assertThat(refused.cause()).isEqualTo(Cause.CREDENTIALS_REFUSED);
        assertThat(refused.reason()).contains("LINK_SIGNING_KEY");
        // another 4xx without anything: unusable
        assertThat(failure(open(dispatch(400, null, "").url(), whatsApp("wa-1"))).cause()).isEqualTo(Cause.BAD_ANSWER);
    }

    @Test
    void a_redirect_is_not_followed_and_its_target_is_never_called() {
        // Given a "dispatch" that redirects elsewhere
        RecordingServer elsewhere = closing(RecordingServer.serving(BYTES, "image/jpeg"));
        RecordingServer dispatch = dispatch(302, null, "", "Location", elsewhere.url() + "/steal");

        // When the media is asked for
        DownloadFailure failure = failure(open(dispatch.url(), notify("https://notify.example/notify/media/1")));

        // Then the answer is unusable and the other server saw nothing
        assertThat(failure.cause()).isEqualTo(Cause.BAD_ANSWER);
        assertThat(elsewhere.seen()).isEmpty();
    }

    @Test
    void a_dispatch_that_cannot_be_reached_is_a_failure_that_may_pass() throws IOException {
        // Given a port nothing listens on
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        DownloadFailure failure = failure(open("http://127.0.0.1:" + port, whatsApp("wa-1")));

        assertThat(failure.cause()).isEqualTo(Cause.CONNECTION);
        assertThat(failure.retryable()).isTrue();
    }
}
