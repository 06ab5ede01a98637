package io.mediaplatform.localstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mediaplatform.common.signing.StandardWebhooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * Keys generated on the first start and kept in {@code <data>/secrets.json} (owner-only permissions), so API
 * keys and webhook secrets stay the same across restarts until {@code --reset}.
 */
public record LocalSecrets(List<Tenant> tenants, String s3AccessKey, String s3SecretKey, String linkSigningKey,
                           String whatsappAccessToken, String whatsappAppSecret, String whatsappPhoneNumberId,
                           String whatsappVerifyToken) {

    /** A demo tenant: its API key (shown once here, stored hashed by the services) and webhook secret. */
    public record Tenant(String id, String apiKey, String webhookSecret) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final SecureRandom RANDOM = new SecureRandom();

    public static LocalSecrets loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return JSON.readValue(file.toFile(), LocalSecrets.class);
        }
        LocalSecrets secrets = new LocalSecrets(
                List.of(new Tenant("demo", "mpk_" + random(24), StandardWebhooks.newSecret()),
                        new Tenant("demo-2", "mpk_" + random(24), StandardWebhooks.newSecret())),
                "local-" + random(6), random(24), random(32), "sim-token-" + random(12), random(24),
                "100000000000001", "verify-" + random(8));
        Files.createDirectories(file.getParent());
        Files.writeString(file, JSON.writeValueAsString(secrets));
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        return secrets;
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
