package io.mediaplatform.dispatch.connector.email;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.SendKind;
import io.mediaplatform.dispatch.send.core.SendResult;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The e-mail connector against a real in-process SMTP server (GreenMail) and a real HTTP server for the media. */
class EmailConnectorTest {

    private static final byte[] PDF = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes();
    private static GreenMail smtp;
    private static HttpServer media;
    private static EmailConnector connector;

    @BeforeAll
    static void start() throws IOException {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        media = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        media.createContext("/media/report", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/pdf");
            exchange.sendResponseHeaders(200, PDF.length);
            exchange.getResponseBody().write(PDF);
            exchange.close();
        });
        media.createContext("/media/gone", exchange -> {
            exchange.sendResponseHeaders(403, -1);
            exchange.close();
        });
        media.createContext("/media/big", exchange -> {
            byte[] bytes = new byte[2048];
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        media.start();
        JavaMailSenderImpl mail = new JavaMailSenderImpl();
        mail.setHost("127.0.0.1");
        mail.setPort(smtp.getSmtp().getPort());
        connector = new EmailConnector(mail, HttpClient.newHttpClient(), "agent@example.com", "A file for you",
                "test.local", 1024, Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        smtp.stop();
        media.stop(0);
    }

    private static String link(String name) {
        return "http://127.0.0.1:" + media.getAddress().getPort() + "/media/" + name;
    }

    @Test
    void a_document_goes_out_as_an_attachment_with_its_file_name_and_our_message_id() throws Exception {
        // When a PDF document is sent to an e-mail address
        OutboundSend send = OutboundSend.media("tenant-a", "msg-mail-1", "EMAIL", null, "customer@example.org",
                SendKind.DOCUMENT, null, "report.pdf", link("report"), "media-1", "conv-1");
        SendResult result = connector.send(send);

        // Then it is sent with a Message-ID derived from our message id
        assertThat(result).isEqualTo(new SendResult.Sent("<msg-mail-1@test.local>"));

        // And the SMTP server received it with the PDF attached under its name
        MimeMessage[] received = smtp.getReceivedMessages();
        MimeMessage message = Arrays.stream(received)
                .filter(m -> header(m, "Message-ID").equals("<msg-mail-1@test.local>")).findFirst().orElseThrow();
        assertThat(message.getSubject()).isEqualTo("A file for you");
        assertThat(message.getFrom()[0].toString()).isEqualTo("agent@example.com");
        assertThat(message.getAllRecipients()[0].toString()).isEqualTo("customer@example.org");
        Part attachment = attachment((Multipart) message.getContent());
        assertThat(attachment.getFileName()).isEqualTo("report.pdf");
        assertThat(attachment.getContentType()).startsWith("application/pdf");
        assertThat(attachment.getInputStream().readAllBytes()).isEqualTo(PDF);
    }

    @Test
    void a_link_that_refuses_the_fetch_and_media_over_the_limit_fail_without_retry() {
        // When the media link answers 403, and when the media is larger than the limit (1 KiB here)
        SendResult refused = connector.send(OutboundSend.media("tenant-a", "msg-mail-2", "EMAIL", null,
                "customer@example.org", SendKind.IMAGE, null, null, link("gone"), "media-2", "conv-1"));
        SendResult tooLarge = connector.send(OutboundSend.media("tenant-a", "msg-mail-3", "EMAIL", null,
                "customer@example.org", SendKind.IMAGE, null, null, link("big"), "media-3", "conv-1"));

        // Then both are final failures
        assertThat(refused).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
            assertThat(f.code()).isEqualTo("FETCH_FAILED");
            assertThat(f.retryable()).isFalse();
        });
        assertThat(tooLarge).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
            assertThat(f.code()).isEqualTo("TOO_LARGE");
            assertThat(f.retryable()).isFalse();
        });
    }

    @Test
    void an_unreachable_smtp_server_is_a_retryable_failure() throws IOException {
        // Given a connector pointed at a port nobody listens on
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        JavaMailSenderImpl mail = new JavaMailSenderImpl();
        mail.setHost("127.0.0.1");
        mail.setPort(closedPort);
        EmailConnector down = new EmailConnector(mail, HttpClient.newHttpClient(), "agent@example.com", "s",
                "test.local", 1024, Duration.ofSeconds(5));

        // When it sends
        SendResult result = down.send(OutboundSend.media("tenant-a", "msg-mail-4", "EMAIL", null, "c@example.org",
                SendKind.DOCUMENT, null, "report.pdf", link("report"), "media-1", "conv-1"));

        // Then the failure is retryable
        assertThat(result).isInstanceOfSatisfying(SendResult.Failed.class, f -> assertThat(f.retryable()).isTrue());
    }

    private static String header(MimeMessage message, String name) {
        try {
            String[] values = message.getHeader(name);
            return values == null ? "" : values[0];
        } catch (Exception e) {
            return "";
        }
    }

    private static Part attachment(Multipart multipart) throws Exception {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                return part;
            }
            if (part.getContent() instanceof Multipart nested) {
                Part found = attachment(nested);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
