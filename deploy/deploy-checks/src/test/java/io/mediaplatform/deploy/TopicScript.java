package io.mediaplatform.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a topic-creation script (the Helm hook's or the compose job's) with bash, against a stand-in for
 * {@code kafka-topics.sh} that records its arguments: proves what the script would ask of Kafka.
 */
final class TopicScript {

    static final String KAFKA_TOPICS = "/opt/kafka/bin/kafka-topics.sh";

    private TopicScript() {
    }

    /** One line per kafka-topics.sh call: its arguments joined by single spaces. */
    static List<String> run(String script, Map<String, String> env, Path workDir) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path log = workDir.resolve("calls.log");
        Files.deleteIfExists(log);
        Path stub = workDir.resolve("kafka-topics.sh");
        Files.writeString(stub, "#!/bin/bash\necho \"$*\" >> '" + log + "'\n");
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        String patched = script.replace(KAFKA_TOPICS, stub.toString())
                .replace("/etc/kafka-client/client.properties", workDir.resolve("client.properties").toString());
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", "-ec", patched).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("output.log").toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("script failed: %s", Files.readString(workDir.resolve("output.log"))).isZero();
        return Files.readAllLines(log);
    }
}
