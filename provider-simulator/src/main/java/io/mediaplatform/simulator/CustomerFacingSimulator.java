package io.mediaplatform.simulator;

import java.util.List;

/**
 * A simulator whose customers write to the business too: it keeps their media ({@link CustomerMediaStore}, served at
 * the provider's media URLs with its faults) and the inbound-message webhooks it posted.
 *
 * @param <S> the simulator itself, for the fluent calls
 */
public abstract class CustomerFacingSimulator<S extends CustomerFacingSimulator<S>> extends SimulatorServer<S> {

    /** The customers' media and the inbound webhooks posted. */
    protected final CustomerMediaStore customers;

    /** See {@link SimulatorServer#SimulatorServer}; {@code oversizeBytes} is what the {@code oversize} fault serves. */
    protected CustomerFacingSimulator(String name, String threadName, int schedulerThreads, int requestedPort,
                                      long oversizeBytes) {
        super(name, threadName, schedulerThreads, requestedPort);
        this.customers = new CustomerMediaStore(oversizeBytes);
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    /**
     * Posts a customer message's webhook again (the provider delivering it twice, signed as that provider signs a
     * redelivery); returns the receiver's status.
     */
    public int redeliver(String providerMessageId) {
        return customers.redeliver(providerMessageId);
    }

    /** How many download requests reached a customer media's URL (whatever the answer). */
    public int downloads(String mediaId) {
        return customers.downloads(mediaId);
    }

    /** Deletes a customer media: its URL answers 404 from now on. */
    public S deleteMedia(String mediaId) {
        customers.delete(mediaId);
        return self();
    }

    /** Every inbound-message webhook posted so far (re-deliveries included), in order. */
    public List<PostedWebhook> postedInbound() {
        return customers.posted();
    }
}
