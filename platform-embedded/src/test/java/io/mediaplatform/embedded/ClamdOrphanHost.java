package io.mediaplatform.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A JVM that starts a clamd on a Unix socket under a data directory, writes its pid and then waits to be killed:
 * what the local stack's JVM does, for {@link EmbeddedClamdTest}'s kill -9.
 */
public final class ClamdOrphanHost {

    private ClamdOrphanHost() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        EmbeddedClamd clamd = EmbeddedClamd.onUnixSocket(dir.resolve("clamav")).withoutShutdownHook().start();
        Files.writeString(dir.resolve("pid.tmp"), clamd.pid() + "\n");
        Files.move(dir.resolve("pid.tmp"), dir.resolve("pid"));
        new CountDownLatch(1).await();
    }
}
