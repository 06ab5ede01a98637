package io.mediaplatform.ingest.fallback.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class FallbackDecisionTest {

    private static final String ROOT = "6f1c3b1e-0a57-4b55-9f1e-2d1f5c9a7e01";

    private static FallbackPlan.Send send(String mediaId, String mediaUrl) {
        return new FallbackPlan.Send("conv-1", mediaId, mediaUrl, mediaUrl == null ? null : "application/pdf",
                "+15550001", "+15559999", "DOCUMENT", "Your invoice", "invoice.pdf", "ext-1", "agent-7",
                List.of("https://hooks.example.com/status"));
    }

    private static FallbackPlan firstAttempt(String channel, List<String> remaining, FallbackPlan.Send send) {
        return new FallbackPlan("acme", ROOT, ROOT, 1, channel, remaining, send);
    }

    @Test
    void a_failed_first_attempt_leads_to_the_next_channel_with_everything_the_client_asked_for() {
        // Given a PUSH message with fallback MMS then SMS
        FallbackPlan plan = firstAttempt("PUSH", List.of("MMS", "SMS"), send("media-1", null));

        // When it ends FAILED
        FallbackDecision.Next next = FallbackDecision.next(plan,
                new FallbackTrigger(FallbackTrigger.Outcome.FAILED, "CHANNEL_NOT_CONFIGURED", "media-1"));

        // Then attempt 2 is on MMS, with SMS left, the same media and message facts, pointing at the client's message
        assertThat(next).isInstanceOf(FallbackDecision.TryNext.class);
        FallbackDecision.FollowUp followUp = ((FallbackDecision.TryNext) next).followUp();
        assertThat(followUp.channel()).isEqualTo("MMS");
        assertThat(followUp.remainingChannels()).containsExactly("SMS");
        assertThat(followUp.attempt()).isEqualTo(2);
        assertThat(followUp.fallbackOf()).isEqualTo(ROOT);
        assertThat(followUp.tenantId()).isEqualTo("acme");
        assertThat(followUp.send()).isEqualTo(send("media-1", null));
        assertThat(followUp.messageId()).isEqualTo(UUID.nameUUIDFromBytes((ROOT + ":2").getBytes()).toString())
                .isNotEqualTo(ROOT);
    }

    @Test
    void the_same_trigger_twice_makes_the_same_follow_up() {
        FallbackPlan plan = firstAttempt("WHATSAPP", List.of("SMS"), send("media-1", null));
        FallbackTrigger trigger = new FallbackTrigger(FallbackTrigger.Outcome.REJECTED, "TOO_LARGE", "media-1");

        assertThat(FallbackDecision.next(plan, trigger)).isEqualTo(FallbackDecision.next(plan, trigger));
    }

    @Test
    void a_later_attempt_counts_on_from_the_client_s_message_and_the_last_channel_has_no_fallback_left() {
        // Given attempt 2 (on MMS) of the client's message, with SMS left
        String second = FallbackDecision.followUpId(ROOT, 2);
        FallbackPlan plan = new FallbackPlan("acme", second, ROOT, 2, "MMS", List.of("SMS"), send("media-1", null));

        // When it is rejected
        FallbackDecision.FollowUp third = ((FallbackDecision.TryNext) FallbackDecision.next(plan,
                new FallbackTrigger(FallbackTrigger.Outcome.REJECTED, "UNSUPPORTED_TYPE", "media-1"))).followUp();

        // Then attempt 3 is on SMS, derived from the client's message id, and nothing follows it
        assertThat(third.attempt()).isEqualTo(3);
        assertThat(third.channel()).isEqualTo("SMS");
        assertThat(third.remainingChannels()).isEmpty();
        assertThat(third.fallbackOf()).isEqualTo(ROOT);
        assertThat(third.messageId()).isEqualTo(FallbackDecision.followUpId(ROOT, 3)).isNotEqualTo(second);
    }

    @Test
    void media_fetched_from_a_url_is_sent_again_by_its_stored_id_and_a_url_without_stored_media_is_fetched_again() {
        FallbackPlan plan = firstAttempt("PUSH", List.of("SMS"), send(null, "https://files.example.com/a.pdf"));

        FallbackDecision.FollowUp stored = ((FallbackDecision.TryNext) FallbackDecision.next(plan,
                new FallbackTrigger(FallbackTrigger.Outcome.REJECTED, "UNSUPPORTED_TYPE", "media-9"))).followUp();
        FallbackDecision.FollowUp refetched = ((FallbackDecision.TryNext) FallbackDecision.next(plan,
                new FallbackTrigger(FallbackTrigger.Outcome.FAILED, "30008", null))).followUp();

        assertThat(stored.send().mediaId()).isEqualTo("media-9");
        assertThat(stored.send().mediaUrl()).isNull();
        assertThat(refetched.send().mediaId()).isNull();
        assertThat(refetched.send().mediaUrl()).isEqualTo("https://files.example.com/a.pdf");
    }

    @Test
    void media_that_cannot_be_had_or_is_malware_goes_to_no_other_channel() {
        FallbackPlan plan = firstAttempt("WHATSAPP", List.of("SMS"), send("media-1", null));

        assertThat(FallbackDecision.next(plan, new FallbackTrigger(FallbackTrigger.Outcome.REJECTED, "FETCH_FAILED", null)))
                .isInstanceOf(FallbackDecision.Stop.class);
        assertThat(FallbackDecision.next(plan, new FallbackTrigger(FallbackTrigger.Outcome.REJECTED, "MALWARE", "media-1")))
                .isInstanceOf(FallbackDecision.Stop.class);
    }

    @Test
    void a_plan_without_channels_left_stops() {
        FallbackPlan plan = firstAttempt("SMS", List.of("SMS"), send("media-1", null));

        assertThat(FallbackDecision.next(plan, new FallbackTrigger(FallbackTrigger.Outcome.FAILED, null, null)))
                .isEqualTo(new FallbackDecision.Stop("no fallback channel left"));
    }

    @Test
    void an_upstream_command_s_fallback_keeps_known_channels_in_order_without_repeats_or_its_own_channel() {
        assertThat(FallbackDecision.usable("WHATSAPP", List.of("WHATSAPP", "MMS", "UNKNOWN", "MMS", "SMS", "EMAIL"), 2))
                .containsExactly("MMS", "SMS");
        assertThat(FallbackDecision.usable("SMS", null, 3)).isEmpty();
    }
}
