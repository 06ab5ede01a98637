package io.mediaplatform.dispatch;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** Shared pieces of the service tests. */
final class TestSupport {

    private TestSupport() {
    }

    /** A TCP port free right now on loopback. */
    static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A started single-node KRaft broker that supports transactions (their state log needs replication factor 1). */
    static EmbeddedKafkaKraftBroker broker(int partitions) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, partitions);
        broker.kafkaPorts(0);
        broker.brokerProperty("transaction.state.log.replication.factor", "1");
        broker.brokerProperty("transaction.state.log.min.isr", "1");
        broker.afterPropertiesSet();
        return broker;
    }
}
