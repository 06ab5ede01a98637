package io.mediaplatform.dispatch.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Customers' inbound media messages ({@code dispatch.inbound}).
 *
 * @param routes which tenant and inbox a provider's business address belongs to ({@code INBOUND_ROUTES}):
 *               {@code ;}-separated {@code <provider>:<address>=<tenantId>[/<inboxId>]}, provider {@code whatsapp}
 *               (address: {@code phone_number_id}), {@code twilio} (the number, without {@code whatsapp:}) or
 *               {@code notify} (the sender id); empty: no routes, every inbound message is dead-lettered
 *               ({@code message.inbound.v1.dlt}, reason NO_ROUTE). A malformed entry stops the start-up.
 */
@ConfigurationProperties("dispatch.inbound")
public record InboundProperties(String routes) {
}
