package io.mediaplatform.ingest.messages.core;

import io.mediaplatform.ingest.core.InvalidInputException;
import io.mediaplatform.ingest.media.core.MediaChannel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SendMessageRequestTest {

    private static SendMessageRequest request(String to, String kind, SendMessageRequest.MediaSource media, List<String> callbacks) {
        return new SendMessageRequest("whatsapp", "+1", to, kind, media, " ", "../x.pdf", null, null, null, null, callbacks);
    }

    @Test
    void a_valid_request_is_normalised() {
        SendMessageRequest.Valid valid = request("+2", "Document", new SendMessageRequest.MediaSource(null, "https://e.com/x.pdf"),
                List.of(" https://hooks.example.com/a ")).validate();
        assertThat(valid.channel()).isEqualTo(MediaChannel.WHATSAPP);
        assertThat(valid.kind()).isEqualTo(MessageKind.DOCUMENT);
        assertThat(valid.caption()).isNull();
        assertThat(valid.fileName()).isEqualTo("x.pdf");
        assertThat(valid.callbacks()).containsExactly("https://hooks.example.com/a");
    }

    @Test
    void each_broken_rule_names_its_field() {
        var url = new SendMessageRequest.MediaSource(null, "https://e.com/x.pdf");
        assertField(request(null, "image", url, null), "to");
        assertField(request("+2", "gif", url, null), "kind");
        assertField(request("+2", "image", null, null), "media");
        assertField(request("+2", "image", new SendMessageRequest.MediaSource(null, null), null), "media");
        assertField(request("+2", "image", url, java.util.Arrays.asList("https://ok", "")), "callbacks[1]");
    }

    private static SendMessageRequest withFallback(String... fallback) {
        return new SendMessageRequest("push", "app", "token-1", "image", new SendMessageRequest.MediaSource("m-1", null),
                null, null, null, null, null, null, null, java.util.Arrays.asList(fallback));
    }

    @Test
    void fallback_channels_are_parsed_in_order_and_default_to_none() {
        assertThat(withFallback("mms", "SMS").validate().fallback()).containsExactly(MediaChannel.MMS, MediaChannel.SMS);
        assertThat(request("+2", "image", new SendMessageRequest.MediaSource("m-1", null), null).validate().fallback())
                .isEmpty();
    }

    @Test
    void fallback_with_an_unknown_repeated_or_first_channel_or_too_many_channels_names_the_fallback_field() {
        assertField(withFallback("FAX"), "fallback");
        assertField(withFallback("SMS", "sms"), "fallback");
        assertField(withFallback("PUSH"), "fallback");
        assertField(withFallback("SMS", "MMS", "WHATSAPP", "EMAIL"), "fallback");
        assertField(withFallback((String) null), "fallback");
    }

    private static void assertField(SendMessageRequest request, String field) {
        assertThatThrownBy(request::validate).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
