package io.mediaplatform.common.web;

import io.mediaplatform.common.security.ApiSecurityConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Errors Tomcat raises before the application sees the request answer problem JSON, like the application's own.
 * Raw sockets: an HTTP client library would refuse to send some of these requests at all.
 */
@SpringBootTest(classes = ContainerErrorsTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"platform.security.api-keys=", "platform.security.public-paths=/v1/**"})
class ContainerErrorsTest {

    @SpringBootApplication(exclude = KafkaAutoConfiguration.class)
    @Import(ApiSecurityConfiguration.class)
    static class App {
        @RestController
        static class Echo {
            @GetMapping("/v1/echo/{value}")
            String echo(@PathVariable String value) {
                return value;
            }

            @GetMapping("/v1/busy")
            String busy() {
                throw new io.mediaplatform.common.storage.UploadMemoryBusyException("no room", null);
            }

            @GetMapping("/v1/search")
            String search(@RequestParam(required = false) String q) {
                return String.valueOf(q);
            }
        }
    }

    @LocalServerPort
    int port;

    @Test
    void an_encoded_slash_in_the_path_is_a_400_problem_not_an_html_page() throws Exception {
        // Given a path with an encoded '/'
        // When it is requested
        String response = exchange("GET /v1/echo/a%2Fb HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        // Then the container's 400 is problem JSON
        assertProblem(response, 400);
    }

    @Test
    void a_20_kb_header_is_a_400_problem_not_an_html_page() throws Exception {
        // Given a request with a 20 KB header (over Tomcat's 8 KB default)
        String big = "x".repeat(20 * 1024);

        // When it is sent
        String response = exchange("GET /v1/echo/a HTTP/1.1\r\nHost: localhost\r\nX-Big: " + big + "\r\nConnection: close\r\n\r\n");

        // Then the container's answer is problem JSON
        assertProblem(response, 400);
    }

    @Test
    void a_query_parameter_that_is_not_valid_percent_encoding_is_a_400_problem_not_a_500() throws Exception {
        // Given query strings whose escapes are broken (%ZZ) or decode to bytes that are not UTF-8 (%ff%fe)
        for (String query : new String[]{"q=abc%ZZ", "q=%ff%fe", "q=%"}) {
            // When one is sent to an endpoint that reads the parameter
            String response = exchange("GET /v1/search?" + query + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

            // Then the answer is a 400 problem that says what was wrong, not an internal error
            assertProblem(response, 400);
            assertThat(response).as(query).contains("percent-encoded UTF-8").doesNotContain("/problems/internal");
        }
    }

    @Test
    void an_upload_refused_for_want_of_upload_memory_is_a_503_problem_with_retry_after() throws Exception {
        // Given an endpoint whose upload found no room in S3_UPLOAD_MEMORY
        // When it is requested
        String response = exchange("GET /v1/busy HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        // Then the client is told to come back, as problem JSON
        assertProblem(response, 503);
        assertThat(response).contains("/problems/uploads-busy").containsIgnoringCase("Retry-After: 5");
    }

    @Test
    void the_applications_own_answers_are_untouched() throws Exception {
        // Given a good request
        // When it is sent
        String response = exchange("GET /v1/echo/hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        // Then the application's body comes back as it wrote it
        assertThat(response).startsWith("HTTP/1.1 200").endsWith("hello");
    }

    private static void assertProblem(String response, int status) {
        assertThat(response).startsWith("HTTP/1.1 " + status);
        assertThat(response.toLowerCase()).contains("content-type: application/problem+json");
        assertThat(response).contains("\"status\":" + status).contains("\"type\":\"/problems/")
                .doesNotContain("<html").doesNotContain("Tomcat");
    }

    private String exchange(String request) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
