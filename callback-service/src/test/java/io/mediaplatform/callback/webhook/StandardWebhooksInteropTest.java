package io.mediaplatform.callback.webhook;

import io.mediaplatform.common.signing.StandardWebhooks;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our webhook signatures verified by the reference Standard Webhooks library ({@code standardwebhooks} on npm,
 * {@code src/test/node}). Skipped, never failed, when node or npm is missing or the package cannot be installed
 * (no network).
 */
class StandardWebhooksInteropTest {

    private static final Path NODE_DIR = Path.of("src/test/node").toAbsolutePath();

    @BeforeAll
    static void nodeAndTheReferenceLibrary() throws Exception {
        Assumptions.assumeTrue(Files.exists(NODE_DIR.resolve("verify.mjs")), "src/test/node/verify.mjs not found");
        Assumptions.assumeTrue(run(List.of("node", "--version"), 30).exitCode() == 0, "node is not installed: skipping");
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules/standardwebhooks"))) {
            Assumptions.assumeTrue(run(List.of("npm", "--version"), 30).exitCode() == 0, "npm is not installed: skipping");
            Result install = run(Files.exists(NODE_DIR.resolve("package-lock.json"))
                    ? List.of("npm", "ci", "--no-audit", "--no-fund") : List.of("npm", "install", "--no-audit", "--no-fund"), 180);
            Assumptions.assumeTrue(install.exitCode() == 0 && Files.isDirectory(NODE_DIR.resolve("node_modules/standardwebhooks")),
                    "could not install the standardwebhooks npm package (offline?): skipping\n" + install.output());
        }
    }

    @Test
    void the_reference_library_verifies_our_signatures_including_both_of_a_rotation_and_refuses_a_wrong_secret(@TempDir Path dir)
            throws Exception {
        // Given webhooks signed by our signer: one secret, and two during a rotation (new first, old second)
        String oldSecret = StandardWebhooks.newSecret();
        String newSecret = StandardWebhooks.newSecret();
        String body = "{\"type\":\"message.status.updated\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"data\":{\"messageId\":\"m-1\","
                + "\"status\":\"READ\",\"detail\":\"caf\\u00e9 \u2713 \\\"quoted\\\"\"}}";
        long now = Instant.now().getEpochSecond();
        Map<String, String> single = WebhookSigner.headers(List.of(oldSecret), UUID.randomUUID().toString(), now, body);
        Map<String, String> rotated = WebhookSigner.headers(List.of(newSecret, oldSecret), UUID.randomUUID().toString(), now, body);
        assertThat(rotated.get("webhook-signature")).matches("v1,[A-Za-z0-9+/=]+ v1,[A-Za-z0-9+/=]+");
        List<Map<String, Object>> cases = new ArrayList<>();
        cases.add(testCase("one secret", oldSecret, body, single, true));
        cases.add(testCase("rotated, receiver has the new secret", newSecret, body, rotated, true));
        cases.add(testCase("rotated, receiver still has the old secret", oldSecret, body, rotated, true));
        cases.add(testCase("wrong secret", StandardWebhooks.newSecret(), body, single, false));
        cases.add(testCase("body changed", oldSecret, body.replace("READ", "SENT"), single, false));
        Path input = dir.resolve("cases.json");
        Files.writeString(input, JsonMapper.builder().build().writeValueAsString(cases), StandardCharsets.UTF_8);

        // When the reference library verifies them
        Result verified = run(List.of("node", "verify.mjs", input.toString()), 60);

        // Then every case verifies exactly as expected
        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(verified.output()).contains("OK   one secret", "OK   rotated, receiver has the new secret",
                "OK   rotated, receiver still has the old secret", "OK   wrong secret", "OK   body changed");
    }

    private static Map<String, Object> testCase(String name, String secret, String payload, Map<String, String> headers, boolean valid) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("secret", secret);
        c.put("payload", payload);
        c.put("headers", headers);
        c.put("valid", valid);
        return c;
    }

    record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, int timeoutSeconds) throws InterruptedException {
        try {
            Path log = Files.createTempFile("node-", ".log");
            try {
                Process process = new ProcessBuilder(command).directory(NODE_DIR.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                process.getOutputStream().close();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return new Result(-1, "timed out: " + String.join(" ", command));
                }
                return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            return new Result(-1, e.toString());
        }
    }
}
