package io.mediaplatform.embedded;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedPostgresServerTest {

    @TempDir
    Path dir;

    private EmbeddedPostgresServer postgres;

    @AfterEach
    void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void keepsATableAcrossARestartOnTheSameDataDirectory() throws SQLException {
        // Given a started server with a table and a row in the media database
        postgres = new EmbeddedPostgresServer(dir.resolve("pg"), 0).start();
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            assertThat(connection.getCatalog()).isEqualTo("media");
            sql.execute("CREATE TABLE status_history (message_id text PRIMARY KEY, status text NOT NULL)");
            sql.execute("INSERT INTO status_history VALUES ('m-1', 'DELIVERED')");
        }

        // When the server restarts on the same data directory
        postgres.close();
        postgres = new EmbeddedPostgresServer(dir.resolve("pg"), 0).start();

        // Then the table and its row are still there
        try (Connection connection = connect(); Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery("SELECT status FROM status_history WHERE message_id = 'm-1'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("DELIVERED");
        }
    }

    @Test
    void aRestartListensOnTheSamePickedPortSoClientsKeepTheirUrl() throws SQLException {
        // Given a server on a port picked free, with a row written
        postgres = new EmbeddedPostgresServer(dir.resolve("pg"), 0).start();
        String url = postgres.jdbcUrl();
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE outbox (id text PRIMARY KEY)");
            sql.execute("INSERT INTO outbox VALUES ('w-1')");
        }

        // When it restarts
        postgres.restart();

        // Then it answers at the same URL with the row
        assertThat(postgres.jdbcUrl()).isEqualTo(url);
        try (Connection connection = DriverManager.getConnection(url, postgres.username(), postgres.password());
             Statement sql = connection.createStatement(); ResultSet rows = sql.executeQuery("SELECT id FROM outbox")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("w-1");
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }
}
