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

    private static void assertField(SendMessageRequest request, String field) {
        assertThatThrownBy(request::validate).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
