package io.mediaplatform.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files the broker's child JVM reads from its data directory, written on every start: {@code server.properties}
 * (KRaft combined mode, no auto-created topics, replication factor 1, the caller's extra properties last) and the
 * logback and log4j2 configurations of its output.
 */
final class KafkaConfiguration {

    private KafkaConfiguration() {
    }

    /** Writes {@code server.properties} (KRaft combined mode, node 1, on the two ports) and the logging files. */
    static void write(Path dataDir, Path serverProperties, Path logDir, int port, int controllerPort,
                      Map<String, String> extraProperties) throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", "3");
        props.put("auto.create.topics.enable", "false");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.putAll(extraProperties);
        StringBuilder text = new StringBuilder("# Written by ").append(KafkaServerProcess.class.getName())
                .append(" on every start; put changes in its extraProperties instead.\n");
        props.forEach((key, value) -> text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
        Files.writeString(serverProperties, text, StandardCharsets.UTF_8);
        Files.writeString(dataDir.resolve("logback.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{ISO8601} %-5level [%logger{36}] %msg%n</pattern></encoder>
                  </appender>
                  <logger name="kafka" level="INFO"/>
                  <logger name="org.apache.kafka" level="INFO"/>
                  <root level="WARN"><appender-ref ref="OUT"/></root>
                </configuration>
                """, StandardCharsets.UTF_8);
        Files.writeString(dataDir.resolve("log4j2.xml"), """
                <Configuration status="WARN">
                  <Appenders>
                    <Console name="OUT" target="SYSTEM_OUT"><PatternLayout pattern="%d{ISO8601} %-5level [%c{1.}] %msg%n"/></Console>
                  </Appenders>
                  <Loggers>
                    <Logger name="kafka" level="INFO"/>
                    <Logger name="org.apache.kafka" level="INFO"/>
                    <Root level="WARN"><AppenderRef ref="OUT"/></Root>
                  </Loggers>
                </Configuration>
                """, StandardCharsets.UTF_8);
    }
}
