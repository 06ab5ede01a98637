package io.mediaplatform.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server (zonky's embedded binaries) on localhost whose data directory is kept, so the
 * database survives a restart on the same directory. The database {@value #DEFAULT_DATABASE} (or the one
 * named) is created on start when absent. Authentication is {@code trust} on loopback: any password works
 * for user {@value #USERNAME}. Runs as root too (the binaries drop privileges themselves).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    /** Database created by default. */
    public static final String DEFAULT_DATABASE = "media";
    /** The superuser every client connects as. */
    public static final String USERNAME = "postgres";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    private final Path dataDir;
    private final int requestedPort;
    private final String database;
    private EmbeddedPostgres postgres;
    /** The port of the last start, so that a restart listens where the clients already connect. */
    private int startedPort;
    /** Stops PostgreSQL should this JVM die without closing it (kill -9); see {@link OrphanGuard}. */
    private Process watcher;
    private boolean registerShutdownHook = true;

    /**
     * @param dataDir data directory, kept between runs (created and initialised when empty)
     * @param port    port to listen on at localhost, or 0 for a free one
     */
    public EmbeddedPostgresServer(Path dataDir, int port) {
        this(dataDir, port, DEFAULT_DATABASE);
    }

    /**
     * @param dataDir  data directory, kept between runs (created and initialised when empty)
     * @param port     port to listen on at localhost, or 0 for a free one
     * @param database database to create when absent (lower-case letters, digits and underscores)
     */
    public EmbeddedPostgresServer(Path dataDir, int port, String database) {
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath();
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (!IDENTIFIER.matcher(database).matches()) {
            throw new IllegalArgumentException("database name must match " + IDENTIFIER + ": " + database);
        }
        this.requestedPort = port;
        this.database = database;
    }

    /**
     * Starts PostgreSQL (initialising the data directory the first time) and creates the database if needed.
     *
     * @return this server
     * @throws IllegalStateException when the port is in use or PostgreSQL does not start
     */
    /**
     * Leaves stopping at JVM exit to the caller (which must then close this), so an orchestrator can stop
     * PostgreSQL after the services that use it rather than at the same time.
     */
    public synchronized EmbeddedPostgresServer withoutShutdownHook() {
        this.registerShutdownHook = false;
        return this;
    }

    public synchronized EmbeddedPostgresServer start() {
        return start(requestedPort);
    }

    /**
     * Stops PostgreSQL and starts it again on the same data directory and the same port (also when that was picked
     * free), so clients keep their JDBC URL. Before any start it is {@link #start()}.
     */
    public synchronized EmbeddedPostgresServer restart() {
        if (startedPort == 0) {
            return start();
        }
        close();
        return start(startedPort);
    }

    private EmbeddedPostgresServer start(int port) {
        if (postgres != null) {
            throw new IllegalStateException("PostgreSQL already started on port " + postgres.getPort());
        }
        // A postmaster an earlier run left on this data directory (its JVM killed with kill -9).
        OrphanGuard.killLeftover(dataDir.resolve("postmaster.pid"), "postgres", STOP_GRACE);
        if (port != 0 && !Ports.isFree(port)) {
            throw new IllegalStateException("PostgreSQL cannot listen on localhost:" + port + ": the port is already in use");
        }
        try {
            Files.createDirectories(dataDir);
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setRegisterShutdownHook(registerShutdownHook)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL did not start with data directory " + dataDir + ": " + e.getMessage(), e);
        }
        startedPort = postgres.getPort();
        watcher = postmasterPid().flatMap(pid -> OrphanGuard.watch(pid, STOP_GRACE)).orElse(null);
        try {
            createDatabaseIfAbsent();
        } catch (SQLException e) {
            close();
            throw new IllegalStateException("could not create database " + database + ": " + e.getMessage(), e);
        }
        log.info("PostgreSQL listening on localhost:{} (database {}, data in {})", postgres.getPort(), database, dataDir);
        return this;
    }

    /** JDBC URL of the database, e.g. {@code jdbc:postgresql://localhost:5432/media?user=postgres}; valid once started. */
    public synchronized String jdbcUrl() {
        return running().getJdbcUrl(USERNAME, database);
    }

    /** The port it listens on; valid once started. */
    public synchronized int port() {
        return running().getPort();
    }

    /** The database created on start. */
    public String database() {
        return database;
    }

    /** User to connect as. */
    public String username() {
        return USERNAME;
    }

    /** Password to connect with (not checked: loopback connections are trusted). */
    public String password() {
        return USERNAME;
    }

    /** The data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** Stops PostgreSQL; the data directory is kept. */
    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.destroy();
            watcher = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
            } finally {
                postgres = null;
            }
        }
    }

    /** The postmaster's pid, from the first line of {@code postmaster.pid} in the data directory. */
    private Optional<Long> postmasterPid() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.getFirst().trim()));
        } catch (IOException | NumberFormatException e) {
            log.warn("No postmaster.pid in {}: a kill -9 of this JVM would leave PostgreSQL running", dataDir);
            return Optional.empty();
        }
    }

    private EmbeddedPostgres running() {
        if (postgres == null) {
            throw new IllegalStateException("PostgreSQL not started");
        }
        return postgres;
    }

    private void createDatabaseIfAbsent() throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, database);
                try (ResultSet rows = exists.executeQuery()) {
                    if (rows.next()) {
                        return;
                    }
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + database);
            }
        }
    }
}
