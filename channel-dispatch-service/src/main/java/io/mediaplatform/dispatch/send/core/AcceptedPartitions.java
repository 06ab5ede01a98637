package io.mediaplatform.dispatch.send.core;

import java.util.Collection;
import java.util.function.Consumer;

/**
 * Work that follows which {@code media.accepted.v1} partitions this instance holds (the send ledger's rebuild, the
 * long retries, the rate share): the main listener tells each of them, in order, when partitions come and go.
 */
public interface AcceptedPartitions {

    /** Partitions were assigned, before their records are delivered. */
    void assigned(Collection<Integer> partitions);

    /** Partitions are being taken away, after the poll in hand. */
    void revoked(Collection<Integer> partitions);

    /** A follower made of two actions. */
    static AcceptedPartitions of(Consumer<Collection<Integer>> assigned, Consumer<Collection<Integer>> revoked) {
        return new AcceptedPartitions() {
            @Override
            public void assigned(Collection<Integer> partitions) {
                assigned.accept(partitions);
            }

            @Override
            public void revoked(Collection<Integer> partitions) {
                revoked.accept(partitions);
            }
        };
    }
}
