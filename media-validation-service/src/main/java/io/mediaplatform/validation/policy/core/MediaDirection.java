package io.mediaplatform.validation.policy.core;

/** INBOUND: customer to agent; OUTBOUND: agent to customer. Decides which inbox switch applies. */
public enum MediaDirection {
    INBOUND, OUTBOUND
}
