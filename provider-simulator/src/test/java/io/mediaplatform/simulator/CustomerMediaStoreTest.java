package io.mediaplatform.simulator;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared plumbing: fault syntax, multipart parsing, phone normalisation. */
class CustomerMediaStoreTest {

    @Test
    void faults_parse_from_the_comma_separated_syntax_and_combine() {
        // When the fault syntax is parsed
        MediaFaults faults = MediaFaults.parse(" download-5xx:3 , wrong-sha256,oversize,gone,expired-url");

        // Then every fault is set and the spec gives them back
        assertThat(faults).isEqualTo(new MediaFaults(3, true, true, true, true));
        assertThat(MediaFaults.parse(faults.spec())).isEqualTo(faults);
        assertThat(MediaFaults.parse("download-5xx").download5xx()).isEqualTo(1);
        assertThat(MediaFaults.parse(null).none()).isTrue();
        assertThat(MediaFaults.parse("").none()).isTrue();
    }

    @Test
    void an_unknown_fault_or_a_bad_count_is_refused() {
        assertThatThrownBy(() -> MediaFaults.parse("gone,melted")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("melted");
        assertThatThrownBy(() -> MediaFaults.parse("download-5xx:x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MediaFaults.parse("download-5xx:-1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_multipart_body_gives_its_files_and_fields_byte_for_byte() {
        // Given a body with a quoted boundary, a text field and a binary file containing CR LF and dashes
        byte[] binary = {(byte) 0xff, '\r', '\n', '-', '-', 'x', 0, (byte) 0x80};
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--b0und\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nBroken; lid\r\n"
                + "--b0und\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a;b.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(binary);
        body.writeBytes("\r\n--b0und--\r\n".getBytes(StandardCharsets.UTF_8));

        // When it is parsed
        List<MultipartForm.Part> parts = MultipartForm.parseMultipart(
                "multipart/form-data; boundary=\"b0und\"", body.toByteArray());

        // Then both parts come out whole
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).name()).isEqualTo("caption");
        assertThat(new String(parts.get(0).content(), StandardCharsets.UTF_8)).isEqualTo("Broken; lid");
        assertThat(parts.get(1).fileName()).isEqualTo("a;b.jpg");
        assertThat(parts.get(1).contentType()).isEqualTo("image/jpeg");
        assertThat(parts.get(1).content()).isEqualTo(binary);
    }

    @Test
    void a_multipart_body_without_its_boundary_is_refused() {
        assertThatThrownBy(() -> MultipartForm.parseMultipart("multipart/form-data", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultipartForm.parseMultipart("multipart/form-data; boundary=x",
                "--x\r\nContent-Type: a/b\r\n\r\nno end".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void phone_numbers_become_e164_even_when_a_query_string_turned_their_plus_into_a_space() {
        assertThat(CustomerMedia.normalisePhone(" 15557654321")).isEqualTo("+15557654321");
        assertThat(CustomerMedia.normalisePhone("15557654321")).isEqualTo("+15557654321");
        assertThat(CustomerMedia.normalisePhone("+15557654321")).isEqualTo("+15557654321");
        assertThat(CustomerMedia.normalisePhone("whatsapp: 15557654321")).isEqualTo("whatsapp:+15557654321");
        assertThat(CustomerMedia.normalisePhone("visitor-42")).isEqualTo("visitor-42");
    }
}
