package io.mediaplatform.ingest;

import io.mediaplatform.dispatch.DispatchApplication;
import io.mediaplatform.embedded.SharedTestInfra;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The real channel-dispatch-service, through which ingest fetches customers' media
 * ({@code GET /v1/providers/{provider}/inbound-media}): started once per test JVM on the shared broker and registry,
 * on a random port, with the provider simulators' credentials (ingest has none), and {@code LINK_SIGNING_KEY} shared
 * with ingest. Its provider webhooks are not used: the inbound tests play that side and publish the
 * {@code InboundMessage} themselves.
 */
public final class TestDispatch {

    private static ConfigurableApplicationContext context;
    private static String url;

    private TestDispatch() {
    }

    /** Dispatch's base URL, starting it on the broker at {@code bootstrapServers} on first use. */
    public static synchronized String url(String bootstrapServers) {
        if (context == null) {
            Map<String, String> properties = new LinkedHashMap<>(SharedTestInfra.springProperties(bootstrapServers));
            properties.put("server.port", "0");
            properties.put("spring.main.banner-mode", "off");
            properties.put("spring.autoconfigure.exclude", SharedTestInfra.WITHOUT_DATABASE);
            properties.put("dispatch.links.signing-key", IngestServiceTestBase.LINK_SIGNING_KEY);
            properties.put("dispatch.whatsapp.base-url", ProviderSimulators.whatsApp().url());
            properties.put("dispatch.whatsapp.access-token", ProviderSimulators.WHATSAPP_TOKEN);
            properties.put("dispatch.twilio.base-url", ProviderSimulators.twilio().url());
            properties.put("dispatch.twilio.account-sid", ProviderSimulators.TWILIO_ACCOUNT_SID);
            properties.put("dispatch.twilio.auth-token", ProviderSimulators.TWILIO_AUTH_TOKEN);
            properties.put("dispatch.notify.base-url", ProviderSimulators.notifyApi().url());
            properties.put("dispatch.notify.api-key", ProviderSimulators.NOTIFY_API_KEY);
            properties.put("dispatch.inbound.media.timeout", IngestServiceTestBase.FETCH_TOTAL_TIMEOUT.toMillis() + "ms");
            properties.put("platform.outbound.connect-timeout", "1s");
            properties.put("platform.outbound.read-timeout", "2s");
            String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                    .toArray(String[]::new);
            context = DispatchApplication.builder().registerShutdownHook(false).run(args);
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            url = "http://127.0.0.1:" + port;
        }
        return url;
    }

    /** Stops dispatch if it runs (before the broker goes away). */
    static synchronized void stop() {
        if (context != null) {
            context.close();
            context = null;
        }
    }
}
