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
                           String whatsappVerifyToken, String webhookEncryptionKey) {

    /** A demo tenant: its API key (shown once here, stored hashed by the services) and webhook secret. */
    public record Tenant(String id, String apiKey, String webhookSecret) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final SecureRandom RANDOM = new SecureRandom();

    public static LocalSecrets loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            LocalSecrets stored = JSON.readValue(file.toFile(), LocalSecrets.class);
            if (stored.webhookEncryptionKey() != null) {
                return stored;
            }
            // written by an older version: keep every key, add the missing one
            LocalSecrets completed = new LocalSecrets(stored.tenants(), stored.s3AccessKey(), stored.s3SecretKey(),
                    stored.linkSigningKey(), stored.whatsappAccessToken(), stored.whatsappAppSecret(),
                    stored.whatsappPhoneNumberId(), stored.whatsappVerifyToken(), aesKey());
            write(file, completed);
            return completed;
        }
        LocalSecrets secrets = new LocalSecrets(
                List.of(new Tenant("demo", "mpk_" + random(24), StandardWebhooks.newSecret()),
                        new Tenant("demo-2", "mpk_" + random(24), StandardWebhooks.newSecret())),
                "local-" + random(6), random(24), random(32), "sim-token-" + random(12), random(24),
                "100000000000001", "verify-" + random(8), aesKey());
        write(file, secrets);
        return secrets;
    }

    private static void write(Path file, LocalSecrets secrets) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, JSON.writeValueAsString(secrets));
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }

    /** Base64 of 32 random bytes: an AES-256 key. */
    private static String aesKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
