package io.mediaplatform.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * An SMTP sink for the EMAIL channel, for the local stack and for tests: it takes mail on a loopback SMTP port like a
 * relay would (EHLO/HELO, MAIL FROM, RCPT TO, DATA with dot-unstuffing, RSET, NOOP, QUIT; no AUTH, no STARTTLS:
 * loopback only) and keeps each mail as the recipient would see it ({@link #mails()}), the newest
 * {@link Builder#maxMails(int) maxMails} (1000 by default). Attachments are decoded and digested, their bytes not
 * kept: {@code GET /simulator/email/sent-messages[?to=<address>]} on the simulators' HTTP port lists the mails, newest
 * last ({@code [{"receivedAt","mailFrom","rcptTo","from","to","subject","messageId","text","attachments":[{"fileName",
 * "contentType","size","sha256"}]}]}). SMTP has no delivery receipts, so nothing is posted back.
 */
public final class EmailSimulator extends SimulatorServer<EmailSimulator> {

    /** The control endpoint listing the received mails. */
    public static final String SENT_MESSAGES_PATH = "/simulator/email/sent-messages";
    /** The SMTP port the local stack gives it by default. */
    public static final int DEFAULT_SMTP_PORT = 2525;

    private static final Logger log = LoggerFactory.getLogger(EmailSimulator.class);
    private static final int MAX_COMMAND_LINE = 2048;
    private static final int MAX_RECIPIENTS = 100;
    private static final int MAX_TEXT_CHARS = 64 * 1024;
    private static final int MAX_CONNECTIONS = 64;
    private static final int IDLE_TIMEOUT_MILLIS = 120_000;
    /** What {@code readLine} answers for a line over its limit (compared by identity). */
    private static final byte[] OVERLONG = new byte[0];

    private final int requestedSmtpPort;
    private final int maxMails;
    private final long maxMessageBytes;
    private final ArrayDeque<ReceivedMail> mails = new ArrayDeque<>();
    private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);

    private ServerSocket smtp;
    private ExecutorService sessions;

    private EmailSimulator(Builder builder) {
        super("E-mail simulator", "email-simulator-", 1, builder.port);
        this.requestedSmtpPort = builder.smtpPort;
        this.maxMails = builder.maxMails;
        this.maxMessageBytes = builder.maxMessageBytes;
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Listens for SMTP on loopback and serves the HTTP list on a loopback port of its own; returns this. */
    @Override
    public synchronized EmailSimulator start() {
        super.start();
        return startSmtp();
    }

    /** Listens for SMTP on loopback and serves the HTTP list on another simulator's server; returns this. */
    @Override
    public synchronized EmailSimulator startOn(HttpServer shared) {
        super.startOn(shared);
        return startSmtp();
    }

    private EmailSimulator startSmtp() {
        if (smtp != null) {
            return this;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedSmtpPort), 50);
            smtp = socket;
        } catch (IOException e) {
            super.close();
            throw new UncheckedIOException("E-mail simulator cannot listen for SMTP on port " + requestedSmtpPort
                    + " (in use?): " + e.getMessage(), e);
        }
        sessions = Executors.newVirtualThreadPerTaskExecutor();
        ServerSocket listening = smtp;
        Thread accept = new Thread(() -> acceptLoop(listening), "email-simulator-smtp-accept");
        accept.setDaemon(true);
        accept.start();
        log.info("E-mail simulator takes SMTP on 127.0.0.1:{}", smtpPort());
        return this;
    }

    /** The SMTP port it listens on (what {@code EMAIL_SMTP_PORT} should be; the host is 127.0.0.1). */
    public synchronized int smtpPort() {
        if (smtp == null) {
            throw new IllegalStateException("not started");
        }
        return smtp.getLocalPort();
    }

    /** The mails received so far (the newest {@code maxMails}), oldest first. */
    public List<ReceivedMail> mails() {
        synchronized (mails) {
            return List.copyOf(mails);
        }
    }

    /** Forgets the received mails. */
    public void reset() {
        synchronized (mails) {
            mails.clear();
        }
        forgetSends();
    }

    @Override
    protected void serve(HttpServer server) {
        server.createContext(SENT_MESSAGES_PATH, this::sentMessages);
    }

    @Override
    protected List<String> contexts() {
        return List.of(SENT_MESSAGES_PATH);
    }

    @Override
    public synchronized void close() {
        if (smtp != null) {
            try {
                smtp.close();
            } catch (IOException e) {
                log.debug("Closing the SMTP socket: {}", e.getMessage());
            }
            sessions.shutdownNow();
            smtp = null;
        }
        super.close();
    }

    private void sentMessages(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equalsIgnoreCase(exchange.getRequestMethod())
                    || !SENT_MESSAGES_PATH.equals(exchange.getRequestURI().getPath())) {
                respond(exchange, 404, json.createObjectNode().put("title", "Not Found").put("status", 404)
                        .put("detail", "GET " + SENT_MESSAGES_PATH + "[?to=<address>]"), null);
                return;
            }
            String to = SimulatorRequests.query(exchange.getRequestURI().getRawQuery()).get("to");
            ArrayNode list = json.createArrayNode();
            for (ReceivedMail mail : mails()) {
                if (to == null || to.isBlank() || mail.addressedTo(to)) {
                    list.add(toJson(mail));
                }
            }
            respond(exchange, 200, list, null);
        }
    }

    private ObjectNode toJson(ReceivedMail mail) {
        ObjectNode item = json.createObjectNode().put("receivedAt", mail.receivedAt().toString())
                .put("mailFrom", mail.mailFrom());
        mail.rcptTo().forEach(item.putArray("rcptTo")::add);
        mail.from().forEach(item.putArray("from")::add);
        mail.to().forEach(item.putArray("to")::add);
        item.put("subject", mail.subject()).put("messageId", mail.messageId()).put("text", mail.text());
        ArrayNode attachments = item.putArray("attachments");
        for (ReceivedMail.Attachment a : mail.attachments()) {
            attachments.addObject().put("fileName", a.fileName()).put("contentType", a.contentType())
                    .put("size", a.size()).put("sha256", a.sha256());
        }
        return item;
    }

    /** Pretty-printed, like the other simulators' lists. */
    @Override
    protected byte[] render(com.fasterxml.jackson.databind.JsonNode body) throws IOException {
        return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
    }

    private void acceptLoop(ServerSocket listening) {
        while (!listening.isClosed()) {
            Socket socket;
            try {
                socket = listening.accept();
            } catch (IOException e) {
                if (!listening.isClosed()) {
                    log.warn("E-mail simulator stopped accepting SMTP connections: {}", e.getMessage());
                }
                return;
            }
            if (!connections.tryAcquire()) {
                try (socket) {
                    socket.getOutputStream().write("421 4.3.2 Too many connections, try again later\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // the client went away
                }
                continue;
            }
            try {
                sessions.execute(() -> {
                    try (socket) {
                        new SmtpSession(socket).run();
                    } catch (IOException e) {
                        log.debug("SMTP session ended: {}", e.getMessage());
                    } finally {
                        connections.release();
                    }
                });
            } catch (RuntimeException e) { // closing
                connections.release();
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    private void keep(ReceivedMail mail) {
        synchronized (mails) {
            mails.addLast(mail);
            while (mails.size() > maxMails) {
                mails.removeFirst();
            }
        }
    }

    /** One SMTP connection, RFC 5321's commands a relay needs, on its own (virtual) thread. */
    private final class SmtpSession {
        private final InputStream in;
        private final OutputStream out;
        private String mailFrom;
        private final List<String> rcptTo = new ArrayList<>();

        SmtpSession(Socket socket) throws IOException {
            socket.setSoTimeout(IDLE_TIMEOUT_MILLIS);
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        void run() throws IOException {
            reply("220 127.0.0.1 ESMTP media-platform SMTP sink");
            while (true) {
                byte[] raw = readLine(MAX_COMMAND_LINE);
                if (raw == null) {
                    return;
                }
                if (raw == OVERLONG) {
                    reply("500 5.5.2 Line too long");
                    continue;
                }
                String line = new String(raw, StandardCharsets.UTF_8);
                String verb = (line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line).toUpperCase(Locale.ROOT);
                String argument = line.contains(" ") ? line.substring(line.indexOf(' ') + 1).trim() : "";
                switch (verb) {
                    case "EHLO" -> {
                        reset();
                        reply("250-127.0.0.1 Hello " + (argument.isEmpty() ? "there" : argument), "250-8BITMIME",
                                "250-SIZE " + maxMessageBytes, "250 SMTPUTF8");
                    }
                    case "HELO" -> {
                        reset();
                        reply("250 127.0.0.1 Hello " + (argument.isEmpty() ? "there" : argument));
                    }
                    case "MAIL" -> {
                        String address = path(argument, "FROM:");
                        if (address == null) {
                            reply("501 5.5.4 Syntax: MAIL FROM:<address>");
                        } else {
                            reset();
                            mailFrom = address;
                            reply("250 2.1.0 Sender OK");
                        }
                    }
                    case "RCPT" -> {
                        String address = path(argument, "TO:");
                        if (mailFrom == null) {
                            reply("503 5.5.1 MAIL first");
                        } else if (address == null || address.isEmpty()) {
                            reply("501 5.5.4 Syntax: RCPT TO:<address>");
                        } else if (rcptTo.size() >= MAX_RECIPIENTS) {
                            reply("452 4.5.3 Too many recipients");
                        } else {
                            rcptTo.add(address);
                            reply("250 2.1.5 Recipient OK");
                        }
                    }
                    case "DATA" -> {
                        if (mailFrom == null || rcptTo.isEmpty()) {
                            reply("503 5.5.1 RCPT first");
                        } else {
                            reply("354 End data with <CR><LF>.<CR><LF>");
                            data();
                        }
                    }
                    case "RSET" -> {
                        reset();
                        reply("250 2.0.0 OK");
                    }
                    case "NOOP" -> reply("250 2.0.0 OK");
                    case "VRFY" -> reply("252 2.5.0 Cannot VRFY user, but will accept the message");
                    case "QUIT" -> {
                        reply("221 2.0.0 Bye");
                        return;
                    }
                    default -> reply("502 5.5.1 Command not implemented");
                }
            }
        }

        /** Reads the message up to the lone dot, unstuffing dots; keeps it when it fits and parses. */
        private void data() throws IOException {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            boolean tooLarge = false;
            while (true) {
                byte[] line = readLine((int) Math.min(maxMessageBytes, Integer.MAX_VALUE - 8));
                if (line == null) {
                    throw new SocketException("connection closed during DATA");
                }
                if (line == OVERLONG) {
                    tooLarge = true;
                    continue;
                }
                if (line.length == 1 && line[0] == '.') {
                    break;
                }
                int from = line.length > 0 && line[0] == '.' ? 1 : 0;
                if (!tooLarge && message.size() + line.length + 2L > maxMessageBytes) {
                    tooLarge = true;
                    message = new ByteArrayOutputStream();
                }
                if (!tooLarge) {
                    message.write(line, from, line.length - from);
                    message.write('\r');
                    message.write('\n');
                }
            }
            List<String> recipients = List.copyOf(rcptTo);
            String sender = mailFrom;
            reset();
            if (tooLarge) {
                reply("552 5.3.4 Message larger than " + maxMessageBytes + " bytes");
                return;
            }
            ReceivedMail mail;
            try {
                mail = parse(sender, recipients, message.toByteArray());
            } catch (MessagingException | IOException | RuntimeException e) {
                log.info("E-mail simulator refused a mail it could not read: {}", e.toString());
                reply("554 5.6.0 Message could not be read: " + e.getClass().getSimpleName());
                return;
            }
            keep(mail);
            log.info("E-mail simulator took a mail from {} to {} ({} attachment(s)), Message-ID {}", sender,
                    recipients, mail.attachments().size(), mail.messageId());
            reply("250 2.0.0 OK queued" + (mail.messageId() != null ? " as " + mail.messageId() : ""));
        }

        private void reset() {
            mailFrom = null;
            rcptTo.clear();
        }

        /** The address of {@code FROM:<a> params} / {@code TO:<a> params}, or null when the syntax is wrong. */
        private static String path(String argument, String prefix) {
            if (!argument.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return null;
            }
            String rest = argument.substring(prefix.length()).trim();
            if (rest.startsWith("<")) {
                int close = rest.indexOf('>');
                return close < 0 ? null : rest.substring(1, close).trim();
            }
            int space = rest.indexOf(' ');
            return space < 0 ? rest : rest.substring(0, space);
        }

        /**
         * A line without its CRLF (or bare LF); null at the end of the stream. A line longer than {@code max} is read
         * to its end, not kept, and answered as {@link #OVERLONG}.
         */
        private byte[] readLine(int max) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean overlong = false;
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    if (overlong) {
                        return OVERLONG;
                    }
                    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return Arrays.copyOf(bytes, length);
                }
                if (line.size() <= max) { // the CR before the LF is one byte more
                    line.write(b);
                } else {
                    overlong = true;
                }
            }
            return line.size() == 0 && !overlong ? null : overlong ? OVERLONG : line.toByteArray();
        }

        private void reply(String... lines) throws IOException {
            StringBuilder reply = new StringBuilder();
            for (String line : lines) {
                reply.append(line).append("\r\n");
            }
            out.write(reply.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private static ReceivedMail parse(String mailFrom, List<String> rcptTo, byte[] raw)
            throws MessagingException, IOException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
        List<ReceivedMail.Attachment> attachments = new ArrayList<>();
        String[] text = new String[1];
        walk(message, attachments, text);
        return new ReceivedMail(Instant.now(), mailFrom, rcptTo, addresses(message.getFrom()),
                addresses(message.getRecipients(Message.RecipientType.TO)), message.getSubject(),
                message.getHeader("Message-ID", null), text[0], attachments);
    }

    private static void walk(Part part, List<ReceivedMail.Attachment> attachments, String[] text)
            throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                walk(child, attachments, text);
            }
            return;
        }
        String fileName = part.getFileName();
        boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || fileName != null;
        if (!attachment && text[0] == null && part.isMimeType("text/plain")) {
            String content = String.valueOf(part.getContent());
            text[0] = content.length() > MAX_TEXT_CHARS ? content.substring(0, MAX_TEXT_CHARS) : content;
            return;
        }
        if (!attachment) {
            return;
        }
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size = 0;
        try (InputStream decoded = part.getInputStream()) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = decoded.read(buffer)) != -1) {
                sha256.update(buffer, 0, n);
                size += n;
            }
        }
        String contentType;
        try {
            contentType = new ContentType(part.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
        } catch (MessagingException e) {
            contentType = part.getContentType();
        }
        attachments.add(new ReceivedMail.Attachment(fileName == null ? null : MimeUtility.decodeText(fileName),
                contentType, size, HexFormat.of().formatHex(sha256.digest())));
    }

    private static List<String> addresses(Address[] addresses) {
        if (addresses == null) {
            return List.of();
        }
        List<String> list = new ArrayList<>();
        for (Address address : addresses) {
            list.add(address instanceof InternetAddress internet ? internet.getAddress() : address.toString());
        }
        return list;
    }

    /** Builder of an {@link EmailSimulator}. */
    public static final class Builder {
        private int port;
        private int smtpPort;
        private int maxMails = 1000;
        private long maxMessageBytes = 64L * 1024 * 1024;

        private Builder() {
        }

        /** HTTP port of the mail list when started alone; 0 (default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** SMTP port on 127.0.0.1; 0 (default) picks a free one. */
        public Builder smtpPort(int smtpPort) {
            this.smtpPort = smtpPort;
            return this;
        }

        /** How many mails it keeps, the newest (default 1000). */
        public Builder maxMails(int maxMails) {
            if (maxMails <= 0) {
                throw new IllegalArgumentException("maxMails must be positive: " + maxMails);
            }
            this.maxMails = maxMails;
            return this;
        }

        /**
         * The largest message it takes, as sent (default 64 MiB: a 40 MB attachment in base64 and the rest); a larger
         * one is answered {@code 552}.
         */
        public Builder maxMessageBytes(long maxMessageBytes) {
            if (maxMessageBytes <= 0) {
                throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
            }
            this.maxMessageBytes = maxMessageBytes;
            return this;
        }

        public EmailSimulator build() {
            return new EmailSimulator(this);
        }
    }
}
