package io.mediaplatform.localstack;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
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
    /** Every span the four services ended (each service's context exports to it too). */
    static final InMemorySpanExporter spans = InMemorySpanExporter.create();

    @BeforeAll
    static void startPlatform() throws Exception {
        receiver = new WebhookReceiver();
        spans.reset();
        stack = LocalStack.start(new LocalStackOptions(dataDir, false, true, Map.of()), List.of(context ->
                context.getBeanFactory().registerSingleton("testSpanExporter", new SpanExporter() {
                    // a view of the shared exporter that a context's shutdown does not close for the others
                    @Override
                    public CompletableResultCode export(Collection<SpanData> batch) {
                        return spans.export(batch);
                    }

                    @Override
                    public CompletableResultCode flush() {
                        return CompletableResultCode.ofSuccess();
                    }

                    @Override
                    public CompletableResultCode shutdown() {
                        return CompletableResultCode.ofSuccess();
                    }
                })));
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
