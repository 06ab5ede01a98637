package io.mediaplatform.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A JVM that starts a Kafka broker and PostgreSQL on a data directory, writes their pids and then waits to be
 * killed: what the local stack's JVM does, for {@link OrphanGuardTest}'s kill -9.
 */
public final class OrphanHost {

    private OrphanHost() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        KafkaServerProcess kafka = new KafkaServerProcess(dir.resolve("kafka"), 0, 0).withoutShutdownHook().start();
        EmbeddedPostgresServer postgres = new EmbeddedPostgresServer(dir.resolve("pg"), 0).withoutShutdownHook().start();
        long postmaster = Long.parseLong(Files.readAllLines(dir.resolve("pg").resolve("postmaster.pid")).getFirst().trim());
        Files.writeString(dir.resolve("pids.tmp"), Files.readString(dir.resolve("kafka").resolve("kafka.pid")).trim()
                + " " + postmaster + " " + kafka.port() + " " + postgres.port() + "\n");
        Files.move(dir.resolve("pids.tmp"), dir.resolve("pids"));
        new CountDownLatch(1).await();
    }
}
