package io.mediaplatform.dispatch.connector.twilio;

import io.mediaplatform.dispatch.inbound.core.InboundKind;
import io.mediaplatform.dispatch.inbound.core.ProviderMessage;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TwilioInboundMessagesTest {

    @Test
    void a_form_with_num_media_is_an_incoming_message_and_one_with_message_status_a_status() {
        assertThat(TwilioInboundMessages.isInboundMessage(form(Map.of("NumMedia", "1", "SmsStatus", "received"))))
                .isTrue();
        assertThat(TwilioInboundMessages.isInboundMessage(form(Map.of("MessageStatus", "delivered")))).isFalse();
        assertThat(TwilioInboundMessages.isInboundMessage(form(Map.of("NumMedia", "0", "MessageStatus", "sent"))))
                .isFalse();
    }

    @Test
    void at_most_ten_media_are_taken_and_a_missing_content_type_is_a_document() {
        // Given a form announcing twelve media, the first without a content type
        Map<String, String> fields = new LinkedHashMap<>(Map.of("MessageSid", "MM1", "From", "+15557654321",
                "To", "+15550100002", "NumMedia", "12"));
        for (int i = 0; i < 12; i++) {
            fields.put("MediaUrl" + i, "https://api.twilio.com/m/" + i);
            if (i > 0) {
                fields.put("MediaContentType" + i, "image/png");
            }
        }

        // When it is read
        ProviderMessage message = TwilioInboundMessages.parse(form(fields)).orElseThrow();

        // Then ten media are taken, in order
        assertThat(message.media()).hasSize(10);
        assertThat(message.media().getFirst().kind()).isEqualTo(InboundKind.DOCUMENT);
        assertThat(message.media().get(9).url()).isEqualTo("https://api.twilio.com/m/9");
        assertThat(message.text()).isNull();
    }

    @Test
    void a_form_without_media_or_without_a_message_sid_is_skipped() {
        assertThat(TwilioInboundMessages.parse(form(Map.of("MessageSid", "SM1", "From", "+1", "To", "+2",
                "NumMedia", "0")))).isEmpty();
        assertThat(TwilioInboundMessages.parse(form(Map.of("From", "+1", "To", "+2", "NumMedia", "1")))).isEmpty();
        assertThat(TwilioInboundMessages.parse(form(Map.of("MessageSid", "MM1", "From", "+1", "To", "+2",
                "NumMedia", "many")))).isEmpty();
    }

    private static Map<String, List<String>> form(Map<String, String> fields) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        fields.forEach((k, v) -> form.put(k, List.of(v)));
        return form;
    }
}
