package io.mediaplatform.dispatch.connector.email;

import io.mediaplatform.dispatch.send.core.OutboundSend;
import io.mediaplatform.dispatch.send.core.ProviderConnector;
import io.mediaplatform.dispatch.send.core.SendKind;
import io.mediaplatform.dispatch.send.core.SendResult;
import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * E-mail connector over SMTP: fetches the media through its signed link (bounded in size and time) and sends it as
 * an attachment with the caption as text. The {@code Message-ID} is derived from the platform message id
 * ({@code <messageId@domain>}), so a resend of the same message carries the same id and receiving systems can
 * recognise it; that id is the provider message id on {@code message.status}. SMTP has no delivery receipts here:
 * the message ends SENT. SMTP 5xx answers and authentication failures are final; 4xx, connection failures and
 * timeouts are retryable.
 */
public final class EmailConnector implements ProviderConnector {

    /** Provider name on {@code message.status}. */
    public static final String PROVIDER = "smtp";
    /** Channel it serves. */
    public static final String CHANNEL = "EMAIL";

    private static final Logger log = LoggerFactory.getLogger(EmailConnector.class);
    private static final Pattern SMTP_CODE = Pattern.compile("^\\s*([45]\\d\\d)[ -]");

    private final JavaMailSenderImpl mail;
    private final HttpClient http;
    private final String defaultFrom;
    private final String subject;
    private final String messageIdDomain;
    private final long maxAttachmentBytes;
    private final Duration fetchTimeout;

    /**
     * @param mail               configured SMTP sender
     * @param http               client fetching the media
     * @param defaultFrom        sender address when the message names none
     * @param subject            subject line
     * @param messageIdDomain    right-hand side of the Message-ID
     * @param maxAttachmentBytes largest attachment (docs/ARCHITECTURE.md §5: 40 MB per message)
     * @param fetchTimeout       time to fetch the media
     */
    public EmailConnector(JavaMailSenderImpl mail, HttpClient http, String defaultFrom, String subject,
                          String messageIdDomain, long maxAttachmentBytes, Duration fetchTimeout) {
        this.mail = mail;
        this.http = http;
        this.defaultFrom = defaultFrom;
        this.subject = subject;
        this.messageIdDomain = messageIdDomain;
        this.maxAttachmentBytes = maxAttachmentBytes;
        this.fetchTimeout = fetchTimeout;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public String senderOf(OutboundSend send) {
        return from(send);
    }

    @Override
    public SendResult send(OutboundSend send) {
        String from = from(send);
        if (from == null || from.isBlank()) {
            return new SendResult.Failed("NO_SENDER", "No From address: the message has none and EMAIL_FROM is not set",
                    false);
        }
        Attachment attachment = null;
        if (send.kind() != SendKind.TEXT) {
            Object fetched = fetch(send.mediaLink());
            if (fetched instanceof SendResult.Failed failed) {
                return failed;
            }
            attachment = (Attachment) fetched;
        }
        String messageIdHeader = "<" + send.messageId() + "@" + messageIdDomain + ">";
        try {
            MimeMessage message = new FixedIdMimeMessage(mail.getSession(), messageIdHeader);
            MimeMessageHelper helper = new MimeMessageHelper(message, attachment != null, "UTF-8");
            helper.setFrom(from);
            helper.setTo(send.to());
            helper.setSubject(subject);
            helper.setText(text(send));
            if (attachment != null) {
                // base64 always: a binary file that happens to look like text must not have its line ends rewritten
                MimeBodyPart part = new MimeBodyPart();
                part.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment.bytes(), attachment.contentType())));
                part.setFileName(MimeUtility.encodeText(fileName(send, attachment.contentType()), "UTF-8", null));
                part.setDisposition(Part.ATTACHMENT);
                part.setHeader("Content-Transfer-Encoding", "base64");
                helper.getRootMimeMultipart().addBodyPart(part);
            }
            mail.send(message);
            log.info("E-mail message {} of tenant {} handed to SMTP as {}", send.messageId(), send.tenantId(),
                    messageIdHeader);
            return new SendResult.Sent(messageIdHeader);
        } catch (MessagingException | java.io.UnsupportedEncodingException | MailParseException
                 | MailPreparationException e) {
            return new SendResult.Failed("INVALID_MESSAGE", "The e-mail could not be built: " + e.getMessage(), false);
        } catch (MailAuthenticationException e) {
            return new SendResult.Failed("SMTP_AUTH", "The SMTP server refused the credentials", false);
        } catch (MailException e) {
            String code = smtpCode(e);
            boolean permanent = code != null && code.startsWith("5");
            log.info("SMTP refused message {} of tenant {}: {} (retryable: {})", send.messageId(), send.tenantId(),
                    code == null ? e.getClass().getSimpleName() : code, !permanent);
            return new SendResult.Failed(code == null ? "SMTP_ERROR" : "SMTP_" + code,
                    "The SMTP server did not take the message: " + rootMessage(e), !permanent);
        }
    }

    private String from(OutboundSend send) {
        return send.from() != null && send.from().contains("@") ? send.from() : defaultFrom;
    }

    private static String text(OutboundSend send) {
        if (send.text() != null) {
            return send.text();
        }
        if (send.caption() != null && !send.caption().isBlank()) {
            return send.caption();
        }
        return "Please find the file attached.";
    }

    private static String fileName(OutboundSend send, String contentType) {
        if (send.fileName() != null && !send.fileName().isBlank()) {
            return send.fileName();
        }
        String base = send.mediaId() != null ? send.mediaId() : send.messageId();
        String subtype = contentType.contains("/") ? contentType.substring(contentType.indexOf('/') + 1) : "bin";
        int semicolon = subtype.indexOf(';');
        subtype = semicolon >= 0 ? subtype.substring(0, semicolon) : subtype;
        String extension = switch (subtype.toLowerCase(Locale.ROOT)) {
            case "jpeg" -> "jpg";
            case "mpeg" -> "mp3";
            case "plain" -> "txt";
            default -> subtype.replaceAll("[^a-z0-9]", "");
        };
        return base + "." + (extension.isEmpty() ? "bin" : extension);
    }

    private record Attachment(byte[] bytes, String contentType) {
    }

    /** The attachment, or the failure. */
    private Object fetch(String link) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(link)).timeout(fetchTimeout).GET().build();
        } catch (IllegalArgumentException e) {
            return new SendResult.Failed("FETCH_FAILED", "Invalid media link", false);
        }
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                int status = response.statusCode();
                if (status / 100 != 2) {
                    return new SendResult.Failed("FETCH_FAILED", "The media link answered HTTP " + status,
                            status >= 500 || status == 429);
                }
                byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxAttachmentBytes + 1));
                if (bytes.length > maxAttachmentBytes) {
                    return new SendResult.Failed("TOO_LARGE", "The media is larger than " + maxAttachmentBytes
                            + " bytes, the e-mail limit", false);
                }
                String type = response.headers().firstValue("Content-Type").orElse("application/octet-stream");
                return new Attachment(bytes, type);
            }
        } catch (HttpTimeoutException e) {
            return new SendResult.Failed("FETCH_FAILED", "The media link did not answer within " + fetchTimeout, true);
        } catch (IOException e) {
            return new SendResult.Failed("FETCH_FAILED", "The media could not be fetched: " + e.getClass().getSimpleName(),
                    true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SendResult.Failed("INTERRUPTED", "Interrupted while fetching the media", true);
        }
    }

    private static String smtpCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                Matcher m = SMTP_CODE.matcher(t.getMessage());
                if (m.find()) {
                    return m.group(1);
                }
            }
            if (t instanceof jakarta.mail.MessagingException me && me.getNextException() != null
                    && me.getNextException() != t.getCause()) {
                String code = smtpCode(me.getNextException());
                if (code != null) {
                    return code;
                }
            }
            if (t instanceof org.springframework.mail.MailSendException mse) {
                for (Exception failed : mse.getMessageExceptions()) {
                    String code = smtpCode(failed);
                    if (code != null) {
                        return code;
                    }
                }
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** A message whose {@code Message-ID} is ours, kept when the message is saved. */
    private static final class FixedIdMimeMessage extends MimeMessage {
        private final String messageId;

        FixedIdMimeMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
