package io.mediaplatform.localstack;

import io.mediaplatform.common.signing.Hmac;
import io.mediaplatform.simulator.EmailSimulator;
import io.mediaplatform.simulator.FcmSimulator;
import io.mediaplatform.simulator.NotifySimulator;
import io.mediaplatform.simulator.TwilioSimulator;
import io.mediaplatform.simulator.WhatsAppSimulator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The local stack's provider simulators on one port (WhatsApp and 360dialog, Twilio, the notification API, FCM, the
 * e-mail sink's list of mails) with the webhook inbox, the e-mail sink's SMTP port, and the credentials and sender
 * addresses the stack gives them, derived from its secrets.
 */
final class StackSimulators {

    final WhatsAppSimulator whatsapp;
    final TwilioSimulator twilio;
    final NotifySimulator notify;
    final FcmSimulator fcm;
    final EmailSimulator email;
    final WebhookInbox webhookInbox;
    /** The sender addresses customers write to; the first demo tenant's inbox demo-inbox owns them (INBOUND_ROUTES). */
    final String whatsappPhoneNumberId;
    final String twilioFrom;
    final String notifySender;
    final String d360ApiKey;
    final String twilioAccountSid;
    final String twilioAuthToken;
    final String notifyApiKey;
    final String notifyWebhookSecret;
    final String fcmAccessToken;
    /** The default From of EMAIL messages (EMAIL_FROM). */
    final String emailFrom;

    private StackSimulators(LocalStackOptions options, LocalSecrets secrets, StackPorts ports, String dispatchUrl,
                            List<AutoCloseable> resources) {
        whatsappPhoneNumberId = options.env("WHATSAPP_PHONE_NUMBER_ID", secrets.whatsappPhoneNumberId());
        twilioFrom = options.env("TWILIO_FROM", "+15550100002");
        notifySender = options.env("NOTIFY_SENDER", "demo-sender");
        // The WhatsApp simulator plays 360dialog too (POST /messages with D360-API-KEY): WHATSAPP_PROVIDER=360dialog
        // ./local-stack sends WhatsApp through it.
        d360ApiKey = derived(secrets, "d360-api-key");
        whatsapp = WhatsAppSimulator.builder()
                .port(ports.simulators())
                .phoneNumberId(whatsappPhoneNumberId)
                .accessToken(secrets.whatsappAccessToken())
                .d360ApiKey(d360ApiKey)
                .appSecret(secrets.whatsappAppSecret())
                .webhookUrl(dispatchUrl + "/v1/providers/whatsapp/status")
                .build();
        resources.add(whatsapp);
        whatsapp.start();
        webhookInbox = new WebhookInbox(secrets.tenants());
        whatsapp.server().createContext(WebhookInbox.PATH, webhookInbox);
        // Twilio (MMS, SMS), the generic notification API (RCS, WEBCHAT) and FCM (PUSH) share the simulator port.
        twilioAccountSid = "AC" + derived(secrets, "twilio-account").substring(0, 32);
        twilioAuthToken = derived(secrets, "twilio-auth-token").substring(0, 32);
        notifyApiKey = derived(secrets, "notify-api-key");
        notifyWebhookSecret = "whsec_" + Base64.getEncoder().encodeToString(
                Hmac.sha256(secrets.linkSigningKey().getBytes(StandardCharsets.UTF_8), "notify-webhook-secret"));
        twilio = TwilioSimulator.builder().accountSid(twilioAccountSid).authToken(twilioAuthToken)
                .phoneNumber(twilioFrom).inboundWebhookUrl(dispatchUrl + "/v1/providers/twilio/status").build();
        resources.add(twilio);
        twilio.startOn(whatsapp.server());
        notify = NotifySimulator.builder().apiKey(notifyApiKey).webhookSecret(notifyWebhookSecret)
                .sender(notifySender).inboundWebhookUrl(dispatchUrl + "/v1/providers/notify/status").build();
        resources.add(notify);
        notify.startOn(whatsapp.server());
        fcmAccessToken = derived(secrets, "fcm-access-token");
        fcm = FcmSimulator.builder().accessToken(fcmAccessToken).build();
        resources.add(fcm);
        fcm.startOn(whatsapp.server());
        // EMAIL: an SMTP sink on its own loopback port (no AUTH, no STARTTLS), its mails listed on the simulator port
        emailFrom = options.env("EMAIL_FROM", "demo@mediaplatform.local");
        email = EmailSimulator.builder().smtpPort(ports.smtp()).build();
        resources.add(email);
        email.startOn(whatsapp.server());
    }

    /** Starts them all on the simulators' port; each is added to {@code resources} as it starts. */
    static StackSimulators start(LocalStackOptions options, LocalSecrets secrets, StackPorts ports, String dispatchUrl,
                                 List<AutoCloseable> resources) {
        return new StackSimulators(options, secrets, ports, dispatchUrl, resources);
    }

    /** The one base URL they all answer on. */
    String url() {
        return whatsapp.url();
    }

    /** A secret derived from the stack's link-signing key, stable across restarts. */
    private static String derived(LocalSecrets secrets, String label) {
        return HexFormat.of().formatHex(Hmac.sha256(secrets.linkSigningKey().getBytes(StandardCharsets.UTF_8), label));
    }
}
