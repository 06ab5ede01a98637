package io.mediaplatform.localstack;

import java.nio.file.Path;
import java.util.Map;

/**
 * Command-line options of the local stack.
 *
 * @param dataDir     where Kafka, S3, PostgreSQL and the generated secrets keep their data ({@code --data-dir}, default {@code ./data})
 * @param reset       wipe the data directory first ({@code --reset})
 * @param randomPorts take free ports instead of the default ones ({@code --ports=random})
 * @param env         the environment: {@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL}, {@code S3_ENDPOINT},
 *                    {@code DATABASE_URL}, {@code CLAMAV_HOST}/{@code CLAMAV_SOCKET} (and the provider variables) replace
 *                    the embedded pieces
 */
public record LocalStackOptions(Path dataDir, boolean reset, boolean randomPorts, Map<String, String> env) {

    public static final String USAGE = """
            Usage: ./local-stack [--reset] [--ports=random] [--data-dir=DIR]
              --reset          wipe the data directory (Kafka, S3, PostgreSQL, demo keys) before starting
              --ports=random   use free ports instead of 8080-8084, 8081, 8099, 9000, 9092-9093
              --data-dir=DIR   keep data in DIR instead of ./data
            Environment: KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, S3_ENDPOINT (+S3_ACCESS_KEY, S3_SECRET_KEY,
            S3_BUCKET), DATABASE_URL (+DATABASE_USER, DATABASE_PASSWORD), CLAMAV_HOST (+CLAMAV_PORT) or CLAMAV_SOCKET
            replace the embedded piece with an external one (the embedded clamd, started when clamav-daemon is
            installed, knows only the EICAR test signature); WHATSAPP_BASE_URL, WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET point the
            WhatsApp connector at a real provider instead of the simulator.""";

    public static LocalStackOptions parse(String[] args, Map<String, String> env) {
        Path dataDir = Path.of("data");
        boolean reset = false;
        boolean random = false;
        for (String arg : args) {
            if (arg.equals("--reset")) {
                reset = true;
            } else if (arg.equals("--ports=random")) {
                random = true;
            } else if (arg.startsWith("--data-dir=")) {
                dataDir = Path.of(arg.substring("--data-dir=".length()));
            } else if (arg.equals("--help") || arg.equals("-h")) {
                throw new UsageException(null);
            } else {
                throw new UsageException("Unknown option " + arg);
            }
        }
        return new LocalStackOptions(dataDir.toAbsolutePath().normalize(), reset, random, env);
    }

    /** The value of an environment variable, or null when unset or blank. */
    public String env(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    /** The value of an environment variable, or the fallback when unset or blank. */
    public String env(String name, String fallback) {
        String value = env(name);
        return value == null ? fallback : value;
    }

    /** Bad command line; the message (or null for --help) is printed with {@link #USAGE}. */
    public static class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
