package io.mediaplatform.simulator;

import java.util.List;

/**
 * A simulator whose customers write to the business too: it keeps their media ({@link CustomerMediaStore}, served at
 * the provider's media URLs with its faults) and the inbound-message webhooks it posted.
 *
 * @param <S> the simulator itself, for the fluent calls
 */
public abstract class CustomerFacingSimulator<S extends CustomerFacingSimulator<S>> extends SimulatorServer<S> {

    /** The customers' media. */
    protected final CustomerMediaStore customers;
    /** The inbound-message webhooks posted for the customers. */
    protected final InboundWebhooks inbound = new InboundWebhooks();
    /** The control endpoint playing a customer. */
    protected final CustomerControl control = new CustomerControl();

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
        return inbound.redeliver(providerMessageId);
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

    /** Forgets the customers' media and the inbound webhooks posted. */
    protected void forgetCustomers() {
        customers.clear();
        inbound.clear();
    }

    /** Every inbound-message webhook posted so far (re-deliveries included), in order. */
    public List<PostedWebhook> postedInbound() {
        return inbound.posted();
    }
}
