package io.mediaplatform.dispatch.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * SMTP e-mail connector for the EMAIL channel.
 *
 * @param smtpHost        SMTP server ({@code EMAIL_SMTP_HOST}); blank: channel not configured
 * @param smtpPort        its port ({@code EMAIL_SMTP_PORT})
 * @param username        SMTP user ({@code EMAIL_SMTP_USERNAME}); blank: no authentication
 * @param password        SMTP password ({@code EMAIL_SMTP_PASSWORD})
 * @param startTls        require STARTTLS ({@code EMAIL_SMTP_STARTTLS})
 * @param from            sender address when a message names none ({@code EMAIL_FROM})
 * @param subject         subject line ({@code EMAIL_SUBJECT})
 * @param messageIdDomain right-hand side of the {@code Message-ID} ({@code EMAIL_MESSAGE_ID_DOMAIN})
 * @param maxAttachment   largest attachment ({@code EMAIL_MAX_ATTACHMENT}); docs/ARCHITECTURE.md §5 says 40 MB per message
 * @param timeout         SMTP connect/read/write and media fetch timeout ({@code EMAIL_TIMEOUT})
 * @param rateLimit       messages per second per sender address ({@code EMAIL_RATE_LIMIT}); 0: no limit
 */
@ConfigurationProperties("dispatch.email")
public record EmailProperties(
        String smtpHost,
        @DefaultValue("587") int smtpPort,
        String username,
        String password,
        @DefaultValue("true") boolean startTls,
        String from,
        @DefaultValue("A file for you") String subject,
        @DefaultValue("mediaplatform.local") String messageIdDomain,
        @DefaultValue("40MB") DataSize maxAttachment,
        @DefaultValue("30s") Duration timeout,
        @DefaultValue("10") int rateLimit) {

    /** Whether sends can be made. */
    public boolean sendConfigured() {
        return smtpHost != null && !smtpHost.isBlank();
    }

    @Override
    public String toString() {
        return "EmailProperties[smtpHost=" + smtpHost + ", smtpPort=" + smtpPort + ", username=" + username
                + ", password=" + (password == null || password.isBlank() ? "<unset>" : "<set>") + ", startTls=" + startTls
                + ", from=" + from + ", maxAttachment=" + maxAttachment + ", rateLimit=" + rateLimit + "]";
    }
}
