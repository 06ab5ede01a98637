package io.mediaplatform.ingest.fallback.kafka;

import io.mediaplatform.events.Channel;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.OutboundMessage;
import io.mediaplatform.events.SendMediaMessage;
import io.mediaplatform.ingest.fallback.core.FallbackPlan;
import io.mediaplatform.ingest.fallback.core.TenantFallbacks;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A tenant's default fallback channels ({@code FALLBACK_TENANTS}) for messages that name none. */
class TenantFallbacksTest {

    private static final TenantFallbacks DEFAULTS = TenantFallbacks.parse("acme=mms,SMS; globex=SMS");

    @Test
    void a_message_naming_no_fallback_takes_its_tenants_channels_without_its_own() {
        // Given acme's defaults MMS then SMS, When an acme message on MMS names none
        Optional<FallbackPlan> plan = FallbackCommands.planOf(command("acme", Channel.MMS, List.of(), null, 1), DEFAULTS);

        // Then its plan tries SMS next (its own channel left out)
        assertThat(plan).map(FallbackPlan::remainingChannels).contains(List.of("SMS"));
    }

    @Test
    void a_message_naming_its_own_fallback_keeps_it_and_another_tenant_gets_nothing() {
        assertThat(FallbackCommands.planOf(command("acme", Channel.WHATSAPP, List.of(Channel.EMAIL), null, 1), DEFAULTS))
                .map(FallbackPlan::remainingChannels).contains(List.of("EMAIL"));
        assertThat(FallbackCommands.planOf(command("initech", Channel.WHATSAPP, List.of(), null, 1), DEFAULTS)).isEmpty();
    }

    @Test
    void a_follow_up_with_nothing_left_never_takes_the_defaults_so_the_chain_ends() {
        String root = UUID.randomUUID().toString();
        assertThat(FallbackCommands.planOf(command("acme", Channel.SMS, List.of(), root, 3), DEFAULTS)).isEmpty();
    }

    @Test
    void a_malformed_entry_or_an_unknown_channel_stops_the_start() {
        assertThatThrownBy(() -> TenantFallbacks.parse("acme")).hasMessageContaining("<tenantId>=<CHANNEL>");
        assertThatThrownBy(() -> TenantFallbacks.parse("acme=FAX")).hasMessageContaining("FAX")
                .hasMessageContaining("FALLBACK_TENANTS");
        assertThat(TenantFallbacks.parse("").forTenant("acme")).isEmpty();
    }

    private static SendMediaMessage command(String tenant, Channel channel, List<Channel> fallback, String fallbackOf,
                                            int attempt) {
        return SendMediaMessage.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setTenantId(tenant)
                .setChannel(channel)
                .setConversationId("conv-1")
                .setMediaId(UUID.randomUUID().toString())
                .setMessage(OutboundMessage.newBuilder().setMessageId(UUID.randomUUID().toString()).setFrom("+1")
                        .setTo("+15550001111").setKind(MediaKind.IMAGE).setFallbackChannels(fallback)
                        .setFallbackOf(fallbackOf).setAttempt(attempt).build())
                .build();
    }
}
