package io.mediaplatform.validation.antivirus.clamd;

import io.mediaplatform.embedded.EmbeddedClamd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real ClamAV daemon for tests: platform-embedded's {@link EmbeddedClamd} (the machine's {@code clamd}, Debian
 * package clamav-daemon) in a temporary directory, whose database holds one custom signature: the EICAR test
 * string (built from two halves so no file in the repository carries it). Listens on 127.0.0.1 on a free port,
 * kept across {@link #stop()} and {@link #launch()}.
 */
public final class ClamdProcess {

    /**
     * clamd's StreamMaxLength here, in MB: small, so the test of a media too large to scan stays small, yet over
     * WhatsApp's 5 MB image limit, so auto-fit can be shown a real PNG above that limit.
     */
    public static final int STREAM_MAX_MB = 8;

    private final EmbeddedClamd clamd;

    private ClamdProcess(EmbeddedClamd clamd) {
        this.clamd = clamd;
    }

    /** Whether the clamd binary is installed. */
    public static boolean installed() {
        return EmbeddedClamd.isAvailable();
    }

    /** The EICAR anti-virus test string, assembled at run time. */
    public static String eicar() {
        return EmbeddedClamd.eicar();
    }

    /** Writes the configuration and signature database and starts clamd, waiting until it answers. */
    public static ClamdProcess start() {
        try {
            Path dir = Files.createTempDirectory("clamd-test-");
            return new ClamdProcess(EmbeddedClamd.onTcpPort(dir, 0).withStreamMaxLength(STREAM_MAX_MB << 20).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the daemon again (same port and database) after {@link #stop()}. */
    public void launch() {
        clamd.start();
    }

    /** Stops the daemon (the process this object started); its port is closed when this returns. */
    public void stop() {
        clamd.close();
    }

    public int port() {
        return clamd.port();
    }

    /** How many streams clamd has scanned and found clean so far, read from its log ({@code LogClean yes}). */
    public long cleanScans() {
        try (var lines = Files.lines(clamd.logFile())) {
            return lines.filter(line -> line.contains("instream(") && line.endsWith(": OK")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
