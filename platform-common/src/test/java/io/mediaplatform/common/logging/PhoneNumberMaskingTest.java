package io.mediaplatform.common.logging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PhoneNumberMaskingTest {

    @Test
    void an_e164_number_keeps_only_its_last_four_digits() {
        assertThat(PhoneNumberMasking.mask("Message m1 sent to +15557654321 on WHATSAPP"))
                .isEqualTo("Message m1 sent to +*******4321 on WHATSAPP");
    }

    @Test
    void every_number_of_a_line_is_masked_and_other_text_stays() {
        assertThat(PhoneNumberMasking.mask("from +15550100001 to +447700900123, retry in 30 s"))
                .isEqualTo("from +*******0001 to +********0123, retry in 30 s");
    }

    @Test
    void ids_counts_and_short_plus_numbers_are_left_alone() {
        String line = "media 531bd69f-4a51-4894-b236-49d11c094d6d size=123456789 +12 more";
        assertThat(PhoneNumberMasking.mask(line)).isEqualTo(line);
        assertThat(PhoneNumberMasking.mask(null)).isNull();
    }
}
