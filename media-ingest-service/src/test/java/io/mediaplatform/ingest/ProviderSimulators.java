package io.mediaplatform.ingest;

import io.mediaplatform.simulator.NotifySimulator;
import io.mediaplatform.simulator.TwilioSimulator;
import io.mediaplatform.simulator.WhatsAppSimulator;

/**
 * The provider simulators (provider-simulator module) the inbound tests' customers send media through, one of each
 * per JVM, started before the test's dispatch ({@link TestDispatch}) so their URLs and credentials can be its
 * settings: dispatch downloads the media from them for ingest. No webhook URL is set: the tests play dispatch's webhook
 * side themselves and publish the {@code InboundMessage}.
 */
public final class ProviderSimulators {

    public static final String WHATSAPP_TOKEN = "test-whatsapp-token";
    public static final String TWILIO_ACCOUNT_SID = "AC" + "0123456789abcdef0123456789abcdef";
    public static final String TWILIO_AUTH_TOKEN = "test-twilio-auth-token";
    public static final String NOTIFY_API_KEY = "test-notify-api-key";
    /** Bytes an {@code oversize} download streams: above the tests' {@code INBOUND_MAX_SIZE} (2 MB). */
    public static final long OVERSIZE_BYTES = 3L * 1024 * 1024;

    private static final WhatsAppSimulator WHATSAPP = WhatsAppSimulator.builder().accessToken(WHATSAPP_TOKEN)
            .appSecret("test-app-secret").oversizeBytes(OVERSIZE_BYTES).build().start();
    private static final TwilioSimulator TWILIO = TwilioSimulator.builder().accountSid(TWILIO_ACCOUNT_SID)
            .authToken(TWILIO_AUTH_TOKEN).oversizeBytes(OVERSIZE_BYTES).build().start();
    private static final NotifySimulator NOTIFY = NotifySimulator.builder().apiKey(NOTIFY_API_KEY)
            .webhookSecret("test-notify-secret").oversizeBytes(OVERSIZE_BYTES).build().start();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            WHATSAPP.close();
            TWILIO.close();
            NOTIFY.close();
        }, "provider-simulators-shutdown"));
    }

    private ProviderSimulators() {
    }

    public static WhatsAppSimulator whatsApp() {
        return WHATSAPP;
    }

    public static TwilioSimulator twilio() {
        return TWILIO;
    }

    public static NotifySimulator notifyApi() {
        return NOTIFY;
    }
}
