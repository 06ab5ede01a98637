package io.mediaplatform.dispatch.inbound.provider;

import io.mediaplatform.common.http.OutboundTimeoutException;
import io.mediaplatform.embedded.RecordingServer;
import io.mediaplatform.common.core.DownloadFailure;
import io.mediaplatform.dispatch.inbound.core.InboundProvider;
import io.mediaplatform.dispatch.inbound.core.MediaRequest;
import io.mediaplatform.dispatch.inbound.core.TrustedHosts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The provider client and the Twilio source against real HTTP servers on loopback: a Twilio API answering a redirect
 * to its CDN, a CDN, and a stranger that must never be called.
 */
class InboundHttpTest {

    private static final String SID = "AC0123";
    private static final String TOKEN = "twilio-secret";
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString((SID + ":" + TOKEN)
            .getBytes(StandardCharsets.UTF_8));
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

    private RecordingServer redirectingTo(String location) {
        return closing(new RecordingServer(exchange -> {
            exchange.getResponseHeaders().add("Location", location);
            exchange.sendResponseHeaders(307, -1);
        }));
    }

    private Opened twilioDownload(RecordingServer api, List<String> cdnHosts, Duration totalTimeout, String path) {
        TrustedHosts trusted = TrustedHosts.of(api.url(), cdnHosts);
        InboundHttp http = closing(new InboundHttp(Set.of("127.0.0.1", "localhost"), Duration.ofSeconds(1),
                Duration.ofSeconds(2)));
        TwilioMediaSource source = new TwilioMediaSource(http, SID, TOKEN, trusted);
        MediaRequest media = new MediaRequest(InboundProvider.TWILIO, "acme", "3b1f2b0e-7c53-3a4e-9b43-0d4b0e0f5a11",
                api.url() + path);
        return new Opened(source.open(media, System.nanoTime() + totalTimeout.toNanos()));
    }

    private record Opened(MediaSource.Opened opened) {
        byte[] body() throws IOException {
            assertThat(opened).isInstanceOf(MediaSource.Body.class);
            try (InboundHttp.Response response = ((MediaSource.Body) opened).response()) {
                return response.body().readAllBytes();
            }
        }

        DownloadFailure failure() {
            assertThat(opened).isInstanceOf(MediaSource.Failed.class);
            return ((MediaSource.Failed) opened).failure();
        }
    }

    @Test
    void a_twilio_redirect_to_its_trusted_cdn_is_followed_without_the_account_credentials() throws IOException {
        // Given a Twilio API that redirects the media URL to a CDN on another (trusted) origin
        RecordingServer cdn = closing(RecordingServer.serving(BYTES, "image/jpeg"));
        String cdnOrigin = cdn.url().replace("127.0.0.1", "localhost");
        RecordingServer api = redirectingTo(cdnOrigin + "/media/abc?sig=1");

        // When the media is downloaded
        byte[] body = twilioDownload(api, List.of(cdnOrigin), Duration.ofSeconds(5), "/2010-04-01/Media/ME1").body();

        // Then the bytes come from the CDN, which never saw the basic credentials the API got
        assertThat(body).isEqualTo(BYTES);
        assertThat(api.seen()).singleElement().satisfies(s ->
                assertThat(s.headers().get("Authorization")).containsExactly(BASIC));
        assertThat(cdn.seen()).singleElement().satisfies(s -> {
            assertThat(s.path()).isEqualTo("/media/abc");
            assertThat(s.hasAuthorization()).isFalse();
        });
    }

    @Test
    void a_redirect_on_the_same_origin_keeps_the_credentials() throws IOException {
        // Given an API that redirects to another path of its own origin, then serves the bytes there
        RecordingServer api = closing(new RecordingServer(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/first")) {
                exchange.getResponseHeaders().add("Location", "/second");
                exchange.sendResponseHeaders(302, -1);
            } else {
                exchange.sendResponseHeaders(200, BYTES.length);
                exchange.getResponseBody().write(BYTES);
            }
        }));

        // When the media is downloaded
        byte[] body = twilioDownload(api, List.of(), Duration.ofSeconds(5), "/first").body();

        // Then both requests carried the credentials
        assertThat(body).isEqualTo(BYTES);
        assertThat(api.seen()).hasSize(2).allSatisfy(s -> assertThat(s.headers().get("Authorization")).containsExactly(BASIC));
    }

    @Test
    void a_redirect_to_an_untrusted_host_is_refused_and_that_host_is_never_called() {
        // Given an API that redirects to a server that is not a trusted host
        RecordingServer stranger = closing(RecordingServer.serving(BYTES, "image/jpeg"));
        RecordingServer api = redirectingTo(stranger.url() + "/steal");

        // When the media is downloaded
        DownloadFailure failure = twilioDownload(api, List.of(), Duration.ofSeconds(5), "/media").failure();

        // Then it fails for good, and the stranger saw nothing
        assertThat(failure.cause()).isEqualTo(DownloadFailure.Cause.UNTRUSTED_HOST);
        assertThat(failure.retryable()).isFalse();
        assertThat(stranger.seen()).isEmpty();
    }

    @Test
    void a_media_url_on_an_untrusted_host_is_not_called_at_all() {
        RecordingServer api = closing(RecordingServer.serving(BYTES, "image/jpeg"));
        RecordingServer stranger = closing(RecordingServer.serving(BYTES, "image/jpeg"));
        TrustedHosts trusted = TrustedHosts.of(api.url(), List.of());
        InboundHttp http = closing(new InboundHttp(Set.of("127.0.0.1"), Duration.ofSeconds(1), Duration.ofSeconds(2)));

        assertThatThrownBy(() -> http.get(trusted, stranger.url() + "/x",
                        InboundHttp.Credentials.bearer("secret"), System.nanoTime() + Duration.ofSeconds(5).toNanos()))
                .isInstanceOf(UntrustedUrlException.class)
                .hasMessageNotContaining("secret");
        assertThat(stranger.seen()).isEmpty();
    }

    @Test
    void a_provider_trickling_bytes_is_cut_off_at_the_total_deadline_as_a_timeout() {
        // Given a provider that sends one byte every 300 ms (each within the read timeout)
        RecordingServer slow = closing(new RecordingServer(exchange -> {
            exchange.sendResponseHeaders(200, 1000);
            for (int i = 0; i < 1000; i++) {
                exchange.getResponseBody().write('x');
                exchange.getResponseBody().flush();
                LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
            }
        }));

        // When the media is downloaded with a one-second deadline
        MediaSource.Opened opened = twilioDownload(slow, List.of(), Duration.ofSeconds(1), "/media").opened();

        // Then reading the body fails as a timeout once the deadline passes
        assertThat(opened).isInstanceOf(MediaSource.Body.class);
        try (InboundHttp.Response response = ((MediaSource.Body) opened).response()) {
            assertThatThrownBy(() -> response.body().readAllBytes())
                    .isInstanceOf(OutboundTimeoutException.class);
        }
    }

    @Test
    void statuses_are_classified_for_the_retry_decision() {
        for (int[] c : new int[][]{{500, 1}, {503, 1}, {429, 1}, {401, 1}, {403, 1}, {404, 0}, {410, 0}, {400, 0}}) {
            RecordingServer api = closing(new RecordingServer(exchange -> exchange.sendResponseHeaders(c[0], -1)));
            DownloadFailure failure = twilioDownload(api, List.of(), Duration.ofSeconds(5), "/media").failure();
            assertThat(failure.retryable()).as("HTTP " + c[0]).isEqualTo(c[1] == 1);
            assertThat(failure.reason()).doesNotContain(TOKEN);
        }
    }
}
