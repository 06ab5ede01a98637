package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Properties;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EmailSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmailSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = EmailSimulator.builder().maxMails(3).build().start();
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @BeforeEach
    void clear() {
        simulator.reset();
    }

    private static void send(String to, String subject, String text, byte[] attachment) throws Exception {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", Integer.toString(simulator.smtpPort()));
        properties.put("mail.smtp.connectiontimeout", "5000");
        properties.put("mail.smtp.timeout", "5000");
        String messageId = "<" + subject.hashCode() + "@mediaplatform.local>";
        MimeMessage message = new MimeMessage(Session.getInstance(properties)) {
            @Override
            protected void updateMessageID() throws jakarta.mail.MessagingException {
                setHeader("Message-ID", messageId); // ours, as the e-mail connector sets it
            }
        };
        message.setFrom(new InternetAddress("demo@mediaplatform.local"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject, "UTF-8");
        MimeMultipart multipart = new MimeMultipart();
        MimeBodyPart body = new MimeBodyPart();
        body.setText(text, "UTF-8");
        multipart.addBodyPart(body);
        if (attachment != null) {
            MimeBodyPart file = new MimeBodyPart();
            file.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment, "image/png")));
            file.setFileName("photo.png");
            file.setDisposition(Part.ATTACHMENT);
            file.setHeader("Content-Transfer-Encoding", "base64");
            multipart.addBodyPart(file);
        }
        message.setContent(multipart);
        Transport.send(message);
    }

    private static JsonNode listed(String query) throws Exception {
        var response = WebhookReceiver.get(simulator.url() + EmailSimulator.SENT_MESSAGES_PATH + query, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void a_mail_with_an_attachment_sent_over_smtp_is_listed_with_its_text_and_the_attachments_sha256() throws Exception {
        // Given a file of random bytes
        byte[] file = new byte[200_000];
        new Random(7).nextBytes(file);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));

        // When it is mailed as an attachment through a real SMTP client, with a line of text starting with a dot
        send("customer@example.com", "A file for you", "Your photo\n.and a dotted line", file);

        // Then the sink lists the mail as the recipient got it, the attachment byte for byte by its digest
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(listed("")).hasSize(1));
        JsonNode mail = listed("?to=customer%40example.com").get(0);
        assertThat(mail.path("from").get(0).asText()).isEqualTo("demo@mediaplatform.local");
        assertThat(mail.path("to").get(0).asText()).isEqualTo("customer@example.com");
        assertThat(mail.path("rcptTo").get(0).asText()).isEqualTo("customer@example.com");
        assertThat(mail.path("subject").asText()).isEqualTo("A file for you");
        assertThat(mail.path("messageId").asText()).isEqualTo("<" + "A file for you".hashCode() + "@mediaplatform.local>");
        assertThat(mail.path("text").asText().replace("\r\n", "\n")).isEqualTo("Your photo\n.and a dotted line");
        JsonNode attachment = mail.path("attachments").get(0);
        assertThat(attachment.path("fileName").asText()).isEqualTo("photo.png");
        assertThat(attachment.path("contentType").asText()).isEqualTo("image/png");
        assertThat(attachment.path("size").asLong()).isEqualTo(file.length);
        assertThat(attachment.path("sha256").asText()).isEqualTo(sha256);
        // And the bytes are not kept, only the digest
        assertThat(simulator.mails().getFirst().attachments().getFirst().sha256()).isEqualTo(sha256);
    }

    @Test
    void lists_only_the_mails_to_the_address_asked_for_and_keeps_only_the_newest() throws Exception {
        // Given more mails than the sink keeps (3), to two addresses
        for (int i = 1; i <= 4; i++) {
            send(i % 2 == 0 ? "even@example.com" : "Odd@Example.com", "mail " + i, "text " + i, null);
        }

        // Then the oldest is dropped, newest last
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(listed("")).hasSize(3));
        assertThat(listed("").findValuesAsText("subject")).containsExactly("mail 2", "mail 3", "mail 4");
        // And ?to= keeps the ones to that address, its case aside
        assertThat(listed("?to=odd%40example.com").findValuesAsText("subject")).containsExactly("mail 3");
        assertThat(listed("?to=even%40example.com").findValuesAsText("subject")).containsExactly("mail 2", "mail 4");
    }

    @Test
    void speaks_smtp_refusing_commands_out_of_order_and_forgetting_a_reset_transaction() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), simulator.smtpPort())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            // Given a greeted session
            assertThat(in.readLine()).startsWith("220 ");
            assertThat(command(out, in, "HELO client")).startsWith("250 ");
            // When commands come out of order, Then they are refused
            assertThat(command(out, in, "RCPT TO:<a@example.com>")).startsWith("503 ");
            assertThat(command(out, in, "DATA")).startsWith("503 ");
            assertThat(command(out, in, "AUTH PLAIN abc")).startsWith("502 ");
            // When a transaction is reset, Then its recipients are gone
            assertThat(command(out, in, "MAIL FROM:<demo@mediaplatform.local>")).startsWith("250 ");
            assertThat(command(out, in, "RCPT TO:<gone@example.com>")).startsWith("250 ");
            assertThat(command(out, in, "RSET")).startsWith("250 ");
            assertThat(command(out, in, "DATA")).startsWith("503 ");
            assertThat(command(out, in, "NOOP")).startsWith("250 ");
            // When a mail is sent by hand with a dot-stuffed line
            assertThat(command(out, in, "MAIL FROM:<demo@mediaplatform.local>")).startsWith("250 ");
            assertThat(command(out, in, "RCPT TO:<kept@example.com>")).startsWith("250 ");
            assertThat(command(out, in, "DATA")).startsWith("354 ");
            assertThat(command(out, in, "From: demo@mediaplatform.local\r\nTo: kept@example.com\r\nSubject: hand\r\n\r\n"
                    + "..a line starting with a dot\r\n.")).startsWith("250 ");
            assertThat(command(out, in, "QUIT")).startsWith("221 ");
        }
        // Then it is kept unstuffed, for its envelope recipient only
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(simulator.mails()).hasSize(1));
        assertThat(simulator.mails().getFirst().rcptTo()).containsExactly("kept@example.com");
        assertThat(simulator.mails().getFirst().text()).isEqualTo(".a line starting with a dot\r\n");
    }

    private static String command(OutputStream out, BufferedReader in, String line) throws Exception {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String reply;
        do {
            reply = in.readLine();
        } while (reply != null && reply.length() > 3 && reply.charAt(3) == '-');
        return reply;
    }
}
