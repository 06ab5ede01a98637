package io.mediaplatform.localstack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/**
 * One real local stack per test class (a data directory of its own), with the demo tenants' keys, the demo files and a
 * client webhook endpoint ({@link #receiver}) at hand.
 */
abstract class LocalStackTestBase {

    static final Path DEMO = Path.of("demo");

    @TempDir
    static Path dataDir;
    static LocalStack stack;
    static String apiKey;
    static String otherTenantKey;
    static String webhookSecret;
    static WebhookReceiver receiver;

    @BeforeAll
    static void startPlatform() throws Exception {
        receiver = new WebhookReceiver();
        stack = LocalStack.start(new LocalStackOptions(dataDir, false, true, Map.of()));
        apiKey = stack.secrets().tenants().get(0).apiKey();
        webhookSecret = stack.secrets().tenants().get(0).webhookSecret();
        otherTenantKey = stack.secrets().tenants().get(1).apiKey();
    }

    @AfterAll
    static void stopPlatform() {
        if (receiver != null) {
            receiver.close();
            receiver = null;
        }
        if (stack != null) {
            stack.close();
            stack = null;
        }
    }
}
