package io.mediaplatform.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files clamd reads from its data directory, written on every start: {@code clamd.conf} (foreground, every scan
 * logged, its listener and stream limit) and, unless another signature directory is given, the EICAR test signature.
 */
final class ClamdConfiguration {

    private ClamdConfiguration() {
    }

    /**
     * Writes {@code clamd.conf} (and {@code db/eicar.ndb} when no signature directory is given): a Unix socket when
     * {@code socket} is not null, else {@code host:port}.
     */
    static void write(Path dataDir, Path databaseDirectory, long streamMaxBytes, Path socket, String host, int port,
                      Path logFile, Path configFile) throws IOException {
        Path database = databaseDirectory;
        if (database == null) {
            database = Files.createDirectories(dataDir.resolve("db"));
            Files.writeString(database.resolve("eicar.ndb"), EmbeddedClamd.eicarSignatureLine(), StandardCharsets.US_ASCII);
        } else if (!Files.isDirectory(database)) {
            throw new IllegalStateException("the clamd signature directory " + database + " does not exist");
        }
        StringBuilder conf = new StringBuilder("# Written by ").append(EmbeddedClamd.class.getName())
                .append(" on every start.\n")
                .append("DatabaseDirectory ").append(database).append('\n')
                .append("TemporaryDirectory ").append(dataDir.resolve("tmp")).append('\n')
                .append("LogFile ").append(logFile).append('\n')
                .append("LogTime yes\n")
                .append("LogFileMaxSize 2M\n")
                .append("LogRotate yes\n")
                // every scan is logged, clean ones too: the log shows what was scanned and what clamd said
                .append("LogClean yes\n")
                .append("Foreground yes\n")
                .append("StreamMaxLength ").append(streamMaxBytes % (1 << 20) == 0
                        ? (streamMaxBytes >> 20) + "M" : String.valueOf(streamMaxBytes)).append('\n');
        if (socket != null) {
            conf.append("LocalSocket ").append(socket).append('\n')
                    .append("LocalSocketMode 600\n");
        } else {
            conf.append("TCPSocket ").append(port).append('\n')
                    .append("TCPAddr ").append(host).append('\n');
        }
        if ("root".equals(System.getProperty("user.name"))) {
            // Debian's clamd would otherwise switch to the clamav user, who cannot read this directory.
            conf.append("User root\n");
        }
        Files.writeString(configFile, conf, StandardCharsets.US_ASCII);
    }
}
