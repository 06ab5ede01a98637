package io.mediaplatform.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/providers/{provider}/inbound-media} on a dispatch without the providers' download credentials (the
 * webhook tests' settings: secrets to check webhooks, no WhatsApp access token, no Twilio account SID, no
 * notification-API base URL): a retryable 503, so ingest keeps the media until the operator configures the provider.
 */
class InboundMediaNotConfiguredTest extends ProviderWebhookTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @CsvSource({"whatsapp, wa-media-1", "twilio, https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
            "notify, https://notify.example/notify/media/nm1"})
    void a_provider_without_credentials_is_a_retryable_503(String provider, String ref) throws Exception {
        // Given a dispatch that has no download credentials for the provider
        // When ingest asks for a customer's media of that provider
        HttpResponse<byte[]> response = getInboundMedia(provider, UUID.randomUUID().toString(), ref);

        // Then it is told to try again later: the provider is not configured yet
        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("reason").asText()).isEqualTo("NOT_CONFIGURED");
        assertThat(problem.path("retryable").asBoolean()).isTrue();
        assertThat(problem.path("type").asText()).isEqualTo("/problems/provider-not-configured");
    }
}
