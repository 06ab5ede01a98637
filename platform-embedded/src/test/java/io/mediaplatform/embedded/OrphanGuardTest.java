package io.mediaplatform.embedded;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Servers started by a JVM do not outlive a kill -9 of it, and the next start on the same data works. */
class OrphanGuardTest {

    @TempDir
    Path dir;

    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void a_watched_process_is_stopped_when_its_parent_is_killed() throws Exception {
        // Given a parent process and a child it watches
        Process parent = start("sleep", "600");
        Process child = start("sleep", "600");
        OrphanGuard.watch(parent.pid(), child.pid(), Duration.ofSeconds(2)).orElseThrow();

        // When the parent is killed with SIGKILL
        parent.destroyForcibly();

        // Then the child is gone soon after
        await().atMost(Duration.ofSeconds(15)).until(() -> !child.isAlive());
    }

    @Test
    void a_leftover_process_named_in_the_pid_file_is_stopped_but_an_unrelated_one_is_not() throws Exception {
        // Given a pid file naming a live process
        Process leftover = start("sleep", "601");
        Path pidFile = dir.resolve("server.pid");
        OrphanGuard.writePid(pidFile, leftover.pid());

        // When the command does not match, nothing is touched; when it does, the process is stopped
        assertThat(OrphanGuard.killLeftover(pidFile, "kafka.Kafka", Duration.ofSeconds(5))).isFalse();
        assertThat(leftover.isAlive()).isTrue();
        assertThat(OrphanGuard.killLeftover(pidFile, "sleep", Duration.ofSeconds(5))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !leftover.isAlive());
    }

    @Test
    void kill_9_of_the_jvm_leaves_no_kafka_or_postgresql_behind_and_the_next_start_works() throws Exception {
        // Given a JVM running a Kafka broker and PostgreSQL on a data directory
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process host = start(java, "-cp", System.getProperty("java.class.path"), OrphanHost.class.getName(), dir.toString());
        Path pids = dir.resolve("pids");
        await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(pids) || !host.isAlive());
        assertThat(host.isAlive()).as("host JVM started both servers").isTrue();
        String[] parts = Files.readString(pids).trim().split(" ");
        ProcessHandle kafka = ProcessHandle.of(Long.parseLong(parts[0])).orElseThrow();
        ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(parts[1])).orElseThrow();
        int kafkaPort = Integer.parseInt(parts[2]);
        int postgresPort = Integer.parseInt(parts[3]);
        started.add(kafka);
        started.add(postmaster);

        // When the JVM is killed with SIGKILL
        host.destroyForcibly();

        // Then neither server survives it, their ports are free again
        await().atMost(Duration.ofSeconds(60)).until(() -> !kafka.isAlive() && !postmaster.isAlive());
        assertThat(Ports.isFree(kafkaPort)).isTrue();
        assertThat(Ports.isFree(postgresPort)).isTrue();

        // And both start again on the same ports and data
        try (KafkaServerProcess again = new KafkaServerProcess(dir.resolve("kafka"), kafkaPort, 0).start();
             EmbeddedPostgresServer pg = new EmbeddedPostgresServer(dir.resolve("pg"), postgresPort).start()) {
            assertThat(again.isAlive()).isTrue();
            assertThat(pg.port()).isEqualTo(postgresPort);
        }
    }

    @Test
    void a_port_whose_last_connections_are_in_time_wait_counts_as_free() throws Exception {
        // Given a server on a port that closed a connection first (its side of it is now in TIME_WAIT)
        int port;
        try (java.net.ServerSocket server = new java.net.ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            port = server.getLocalPort();
            try (java.net.Socket client = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                server.accept().close();
                assertThat(client.getInputStream().read()).isEqualTo(-1);
            }
        }

        // When the port is checked right after the server stopped
        // Then it is free: a restart would bind it
        assertThat(Ports.isFree(port)).isTrue();
    }

    private Process start(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("out.log").toFile())).start();
        started.add(process.toHandle());
        return process;
    }
}
