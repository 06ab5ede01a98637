package io.mediaplatform.dispatch.config;

import io.mediaplatform.dispatch.connector.email.EmailConnector;
import io.mediaplatform.dispatch.connector.fcm.FcmConnector;
import io.mediaplatform.dispatch.connector.notify.NotifyConnector;
import io.mediaplatform.dispatch.send.core.ProviderConnector;
import io.mediaplatform.dispatch.connector.twilio.TwilioConnector;
import io.mediaplatform.dispatch.connector.whatsapp.WhatsAppConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Builds each provider's connector from its settings when they are configured (otherwise its channels fail with
 * {@code CHANNEL_NOT_CONFIGURED}), each on a JDK {@code HttpClient} that follows no redirects, and the tenants whose SMS
 * go through another provider.
 */
final class Connectors {

    private static final Logger log = LoggerFactory.getLogger(Connectors.class);

    /** The tenants whose SMS go through another provider than {@code SMS_PROVIDER}'s, by their connector. */
    static Map<String, Map<String, ProviderConnector>> smsTenants(SmsProperties sms, Optional<ProviderConnector> twilio,
                                                                  Optional<ProviderConnector> notify) {
        Map<String, Map<String, ProviderConnector>> tenants = new HashMap<>();
        sms.tenants().forEach((tenant, provider) -> {
            Optional<ProviderConnector> connector = "notify".equals(provider) ? notify : twilio;
            if (connector.isEmpty()) {
                log.warn("Tenant {} sends SMS through {}, which is not configured: its SMS will fail with "
                        + "CHANNEL_NOT_CONFIGURED", tenant, provider);
                return;
            }
            tenants.put(tenant, Map.of(TwilioConnector.SMS, connector.get()));
        });
        if (!tenants.isEmpty()) {
            log.info("SMS through {} by default; tenants with their own SMS provider: {}", sms.provider(), sms.tenants());
        }
        return tenants;
    }

    /** The WhatsApp connector, when sending is configured; the channel fails with CHANNEL_NOT_CONFIGURED otherwise. */
    static Optional<ProviderConnector> whatsAppConnector(WhatsAppProperties properties) {
        if (!properties.sendConfigured()) {
            log.warn(properties.via360dialog()
                    ? "WhatsApp through 360dialog not configured (D360_API_KEY): WhatsApp messages will fail with "
                    + "CHANNEL_NOT_CONFIGURED"
                    : "WhatsApp sending not configured (WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_ACCESS_TOKEN): "
                    + "WhatsApp messages will fail with CHANNEL_NOT_CONFIGURED");
            return Optional.empty();
        }
        if (properties.via360dialog()) {
            log.info("WhatsApp connector sends through 360dialog at {}", properties.d360BaseUrl());
            String sender = properties.phoneNumberId() == null || properties.phoneNumberId().isBlank()
                    ? "360dialog" : properties.phoneNumberId();
            return Optional.of(WhatsAppConnector.dialog360(http(properties.connectTimeout()), properties.d360BaseUrl(),
                    properties.d360ApiKey(), sender, properties.requestTimeout()));
        }
        log.info("WhatsApp connector sends to {}", properties.baseUrl());
        return Optional.of(new WhatsAppConnector(http(properties.connectTimeout()), properties.baseUrl(),
                properties.apiVersion(), properties.phoneNumberId(), properties.accessToken(),
                properties.requestTimeout()));
    }

    static Optional<ProviderConnector> twilioConnector(TwilioProperties properties, boolean carriesWhatsApp,
                                                       boolean carriesSms, String publicUrl) {
        if (!properties.sendConfigured()) {
            log.info("Twilio not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN): MMS{}{} messages will fail with "
                    + "CHANNEL_NOT_CONFIGURED", carriesSms ? ", SMS" : "", carriesWhatsApp ? " and WhatsApp" : "");
            return Optional.empty();
        }
        Set<String> channels = new LinkedHashSet<>(List.of("MMS"));
        if (carriesSms) {
            channels.add(TwilioConnector.SMS);
        }
        if (carriesWhatsApp) {
            channels.add(WhatsAppConnector.CHANNEL);
        }
        log.info("Twilio connector sends {} to {}", channels, properties.baseUrl());
        return Optional.of(new TwilioConnector(http(properties.connectTimeout()), properties.baseUrl(),
                properties.accountSid(), properties.authToken(), properties.from(), publicUrl, channels,
                properties.requestTimeout()));
    }

    static Optional<ProviderConnector> notifyConnector(NotifyProperties properties, boolean carriesSms,
                                                       String publicUrl) {
        if (!properties.sendConfigured()) {
            log.info("Notification API not configured (NOTIFY_BASE_URL): {}{} messages will fail with "
                    + "CHANNEL_NOT_CONFIGURED", properties.channels(), carriesSms ? " and SMS" : "");
            return Optional.empty();
        }
        Set<String> channels = new LinkedHashSet<>();
        properties.channels().forEach(c -> channels.add(c.trim().toUpperCase(Locale.ROOT)));
        // SMS_PROVIDER, not NOTIFY_CHANNELS, says who carries SMS by default
        channels.remove(NotifyConnector.SMS);
        if (carriesSms) {
            channels.add(NotifyConnector.SMS);
        }
        log.info("Notification API connector sends {} to {}", channels, properties.baseUrl());
        return Optional.of(new NotifyConnector(http(properties.connectTimeout()), properties.baseUrl(),
                properties.apiKey(), publicUrl, channels, properties.requestTimeout()));
    }

    static Optional<ProviderConnector> emailConnector(EmailProperties properties) {
        if (!properties.sendConfigured()) {
            log.info("E-mail not configured (EMAIL_SMTP_HOST): EMAIL messages will fail with CHANNEL_NOT_CONFIGURED");
            return Optional.empty();
        }
        JavaMailSenderImpl mail = new JavaMailSenderImpl();
        mail.setHost(properties.smtpHost());
        mail.setPort(properties.smtpPort());
        mail.setDefaultEncoding("UTF-8");
        Properties javaMail = new Properties();
        String timeout = Long.toString(properties.timeout().toMillis());
        javaMail.put("mail.smtp.connectiontimeout", timeout);
        javaMail.put("mail.smtp.timeout", timeout);
        javaMail.put("mail.smtp.writetimeout", timeout);
        if (properties.username() != null && !properties.username().isBlank()) {
            mail.setUsername(properties.username());
            mail.setPassword(properties.password());
            javaMail.put("mail.smtp.auth", "true");
        }
        if (properties.startTls()) {
            javaMail.put("mail.smtp.starttls.enable", "true");
            javaMail.put("mail.smtp.starttls.required", "true");
        }
        mail.setJavaMailProperties(javaMail);
        log.info("E-mail connector sends through {}:{}", properties.smtpHost(), properties.smtpPort());
        return Optional.of(new EmailConnector(mail, http(properties.timeout()), properties.from(), properties.subject(),
                properties.messageIdDomain(), properties.maxAttachment().toBytes(), properties.timeout()));
    }

    static Optional<ProviderConnector> fcmConnector(FcmProperties properties) {
        if (!properties.sendConfigured()) {
            log.info("FCM not configured (FCM_PROJECT_ID, FCM_ACCESS_TOKEN): PUSH messages will fail with "
                    + "CHANNEL_NOT_CONFIGURED");
            return Optional.empty();
        }
        log.info("FCM connector sends PUSH to {} for project {}", properties.baseUrl(), properties.projectId());
        return Optional.of(new FcmConnector(http(properties.connectTimeout()), properties.baseUrl(),
                properties.projectId(), properties.accessToken(), properties.title(), properties.requestTimeout()));
    }

    private static HttpClient http(Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private Connectors() {
    }
}
