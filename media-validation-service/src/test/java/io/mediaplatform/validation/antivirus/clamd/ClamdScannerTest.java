package io.mediaplatform.validation.antivirus.clamd;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** clamd's answers, and a scanner nobody listens for. */
class ClamdScannerTest {

    @Test
    void reads_clean_and_infected_answers_and_treats_anything_else_as_an_unavailable_scanner() {
        assertThat(ClamdScanner.verdict("stream: OK")).isEqualTo(new ClamdScanner.Verdict.Clean());
        assertThat(ClamdScanner.verdict("stream: Test.EICAR.UNOFFICIAL FOUND"))
                .isEqualTo(new ClamdScanner.Verdict.Infected("Test.EICAR.UNOFFICIAL"));
        assertThat(ClamdScanner.verdict("INSTREAM size limit exceeded. ERROR"))
                .isInstanceOf(ClamdScanner.Verdict.TooLarge.class);
        assertThatThrownBy(() -> ClamdScanner.verdict("UNKNOWN COMMAND"))
                .isInstanceOf(ClamdScanner.ScannerUnavailableException.class);
    }

    @Test
    void reports_a_closed_port_as_an_unavailable_scanner() throws Exception {
        // Given a port nobody listens on
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ClamdScanner scanner = new ClamdScanner("127.0.0.1", port, null, Duration.ofSeconds(2), 8192);

        // Then scanning throws (the caller fails closed), naming where it tried
        assertThatThrownBy(() -> scanner.scan(new ByteArrayInputStream(new byte[]{1, 2, 3})))
                .isInstanceOf(ClamdScanner.ScannerUnavailableException.class)
                .hasMessageContaining("127.0.0.1:" + port);
    }
}
