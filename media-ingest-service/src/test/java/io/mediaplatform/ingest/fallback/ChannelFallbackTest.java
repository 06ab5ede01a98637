package io.mediaplatform.ingest.fallback;

import io.mediaplatform.events.Channel;
import io.mediaplatform.events.DeliveryStatus;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.events.MediaRejected;
import io.mediaplatform.events.MessageStatus;
import io.mediaplatform.events.RejectionReason;
import io.mediaplatform.events.SendMediaMessage;
import io.mediaplatform.ingest.IngestServiceTestBase;
import io.mediaplatform.ingest.fallback.core.FallbackDecision;
import io.mediaplatform.ingest.fallback.core.FallbackPlan;
import io.mediaplatform.ingest.fallback.jdbc.JdbcFallbackPlans;
import io.mediaplatform.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Channel fallback through the real ingest, broker and PostgreSQL: the test plays validation ({@code media.rejected.v1})
 * and dispatch ({@code message.status.v1}) and reads the follow-ups ingest puts on {@code message.send-requested.v1}.
 */
class ChannelFallbackTest extends IngestServiceTestBase {

    @Autowired
    JdbcFallbackPlans plans;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void a_rejected_message_falls_back_to_its_next_channel_once_even_when_the_rejection_comes_twice() {
        // Given a push message of stored media with fallback MMS then SMS, on its way to validation
        String mediaId = uploadPng(KEY_A, "conv-fallback-1", pngBytes(2_000));
        String root = accepted(postJson("/v1/messages", KEY_A, """
                {"channel": "push", "from": "demo-app", "to": "+15550777001", "kind": "image", "media": {"id": "%s"},
                 "caption": "Your receipt", "externalId": "ext-fb-1", "clientId": "agent-1",
                 "callbacks": ["https://93.184.215.14/status"], "fallback": ["MMS", "sms"]}""".formatted(mediaId)));
        MediaReceived received = receivedOf(root);
        assertThat(received.getMessage().getFallbackChannels()).containsExactly(Channel.MMS, Channel.SMS);
        // and another message with a fallback, whose rejection comes after on the same partition
        String sentinel = accepted(postJson("/v1/messages", KEY_A, """
                {"channel": "push", "from": "demo-app", "to": "+15550777002", "kind": "image", "media": {"id": "%s"},
                 "fallback": ["SMS"]}""".formatted(mediaId)));
        MediaReceived sentinelReceived = receivedOf(sentinel);

        // When validation rejects the message, and the rejection is delivered twice, then the other one's
        MediaRejected rejection = rejected(received);
        publishAll(Topics.MEDIA_REJECTED_NAME, "fallback-key", List.of(rejection, rejection, rejected(sentinelReceived)));

        // Then the next attempt is a message of its own on MMS with everything the client asked for
        SendMediaMessage followUp = awaitEvent(Topics.SEND_REQUESTED_NAME, SendMediaMessage.class,
                c -> root.equals(c.getMessage().getFallbackOf()));
        assertThat(followUp.getChannel()).isEqualTo(Channel.MMS);
        assertThat(followUp.getTenantId()).isEqualTo(TENANT_A);
        assertThat(followUp.getMediaId()).isEqualTo(mediaId);
        assertThat(followUp.getMessage().getMessageId()).isEqualTo(FallbackDecision.followUpId(root, 2));
        assertThat(followUp.getMessage().getAttempt()).isEqualTo(2);
        assertThat(followUp.getMessage().getFallbackChannels()).containsExactly(Channel.SMS);
        assertThat(followUp.getMessage().getTo()).isEqualTo("+15550777001");
        assertThat(followUp.getMessage().getFrom()).isEqualTo("demo-app");
        assertThat(followUp.getMessage().getCaption()).isEqualTo("Your receipt");
        assertThat(followUp.getMessage().getExternalId()).isEqualTo("ext-fb-1");
        assertThat(followUp.getMessage().getClientId()).isEqualTo("agent-1");
        assertThat(followUp.getMessage().getCallbackUrls()).containsExactly("https://93.184.215.14/status");
        // and ingest hands it to validation judged by MMS's rules, in the MMS conversation
        MediaReceived followUpReceived = receivedOf(followUp.getMessage().getMessageId());
        assertThat(followUpReceived.getMedia().getChannel()).isEqualTo(Channel.MMS);
        assertThat(followUpReceived.getMedia().getConversationId()).isEqualTo("MMS:+15550777001");
        assertThat(followUpReceived.getMedia().getMediaId()).isEqualTo(mediaId);
        // and once the later rejection has been acted on, the twice-told one made one follow-up only
        awaitEvent(Topics.SEND_REQUESTED_NAME, SendMediaMessage.class, c -> sentinel.equals(c.getMessage().getFallbackOf()));
        assertThat(commandsFallingBackFrom(root)).hasSize(1);
    }

    @Test
    void a_provider_failure_of_a_follow_up_leads_to_the_last_channel_and_its_failure_to_nothing_more() {
        // Given a message on WhatsApp with fallback MMS then SMS, rejected by validation
        String mediaId = uploadPng(KEY_A, "conv-fallback-2", pngBytes(2_000));
        String root = accepted(postJson("/v1/messages", KEY_A, """
                {"channel": "whatsapp", "from": "+15550100001", "to": "+15550777003", "kind": "image",
                 "media": {"id": "%s"}, "fallback": ["MMS", "SMS"]}""".formatted(mediaId)));
        publish(Topics.MEDIA_REJECTED_NAME, "fallback-2", rejected(receivedOf(root)));
        String second = FallbackDecision.followUpId(root, 2);
        receivedOf(second);

        // When the provider reports the MMS attempt FAILED after SENT
        publish(Topics.MESSAGE_STATUS_NAME, "fallback-2", status(second, Channel.MMS, MessageStatus.SENT, mediaId));
        publish(Topics.MESSAGE_STATUS_NAME, "fallback-2", status(second, Channel.MMS, MessageStatus.FAILED, mediaId));

        // Then attempt 3 goes out on SMS, the last channel, with no fallback left
        SendMediaMessage third = awaitEvent(Topics.SEND_REQUESTED_NAME, SendMediaMessage.class,
                c -> root.equals(c.getMessage().getFallbackOf()) && c.getMessage().getAttempt() == 3);
        assertThat(third.getChannel()).isEqualTo(Channel.SMS);
        assertThat(third.getMessage().getMessageId()).isEqualTo(FallbackDecision.followUpId(root, 3));
        assertThat(third.getMessage().getFallbackChannels()).isEmpty();
        assertThat(receivedOf(third.getMessage().getMessageId()).getMedia().getChannel()).isEqualTo(Channel.SMS);

        // And when SMS fails too, and a message without fallback fails, nothing more is tried: once a later failure with
        // a plan (on the same partition) has been acted on, no attempt 4 and no follow-up of the other message exist
        String plain = accepted(postJson("/v1/messages", KEY_A, """
                {"channel": "mms", "from": "+15550100002", "to": "+15550777004", "kind": "image",
                 "media": {"id": "%s"}}""".formatted(mediaId)));
        assertThat(receivedOf(plain).getMessage().getFallbackChannels()).isEmpty();
        String sentinel = accepted(postJson("/v1/messages", KEY_A, """
                {"channel": "mms", "from": "+15550100002", "to": "+15550777005", "kind": "image",
                 "media": {"id": "%s"}, "fallback": ["SMS"]}""".formatted(mediaId)));
        receivedOf(sentinel);
        publishAll(Topics.MESSAGE_STATUS_NAME, "fallback-2", List.of(
                status(third.getMessage().getMessageId(), Channel.SMS, MessageStatus.FAILED, mediaId),
                status(plain, Channel.MMS, MessageStatus.FAILED, mediaId),
                status(sentinel, Channel.MMS, MessageStatus.FAILED, mediaId)));
        awaitEvent(Topics.SEND_REQUESTED_NAME, SendMediaMessage.class, c -> sentinel.equals(c.getMessage().getFallbackOf()));
        assertThat(commandsFallingBackFrom(root)).extracting(c -> c.getMessage().getAttempt()).containsExactlyInAnyOrder(2, 3);
        assertThat(commandsFallingBackFrom(plain)).isEmpty();
    }

    @Test
    void a_fallback_that_repeats_a_channel_or_names_an_unknown_one_is_a_400_naming_fallback() {
        String mediaId = uploadPng(KEY_A, "conv-fallback-3", pngBytes(1_000));
        for (String fallback : List.of("[\"SMS\", \"SMS\"]", "[\"PUSH\"]", "[\"FAX\"]", "[\"SMS\",\"MMS\",\"EMAIL\",\"RCS\"]")) {
            HttpResponse<byte[]> response = postJson("/v1/messages", KEY_A, """
                    {"channel": "push", "from": "demo-app", "to": "token-3", "kind": "image", "media": {"id": "%s"},
                     "fallback": %s}""".formatted(mediaId, fallback));
            assertThat(response.statusCode()).as(fallback).isEqualTo(400);
            assertThat(json(response).get("field").asString()).as(fallback).isEqualTo("fallback");
        }
    }

    @Test
    void a_plan_kept_longer_than_its_ttl_is_swept_and_a_younger_one_stays() {
        // Given a plan kept eight days ago (FALLBACK_PLAN_TTL is 7 days) and one kept now
        FallbackPlan.Send send = new FallbackPlan.Send(null, "m-1", null, null, null, "+15550777009", "IMAGE", null,
                null, null, null, List.of());
        String old = UUID.randomUUID().toString();
        String young = UUID.randomUUID().toString();
        Clock eightDaysAgo = Clock.fixed(Instant.now().minus(Duration.ofDays(8)), ZoneOffset.UTC);
        new JdbcFallbackPlans(jdbc, new TransactionTemplate(transactions), JsonMapper.builder().build(), eightDaysAgo,
                Duration.ofDays(7)).record(new FallbackPlan(TENANT_A, old, old, 1, "PUSH", List.of("SMS"), send));
        plans.record(new FallbackPlan(TENANT_A, young, young, 1, "PUSH", List.of("SMS"), send));

        // When the sweep runs
        plans.sweep();

        // Then only the young plan is left to be claimed, with what was kept
        assertThat(plans.claim(TENANT_A, old, plan -> { })).isEmpty();
        assertThat(plans.claim(TENANT_A, young, plan -> { })).hasValueSatisfying(plan -> {
            assertThat(plan.remainingChannels()).containsExactly("SMS");
            assertThat(plan.send()).isEqualTo(send);
        });
        // and a claimed plan is not claimed twice
        assertThat(plans.claim(TENANT_A, young, plan -> { })).isEmpty();
    }

    @Test
    void a_claim_whose_publish_fails_is_undone_so_the_redelivered_trigger_claims_the_plan_again() {
        // Given a kept plan
        String messageId = UUID.randomUUID().toString();
        plans.record(new FallbackPlan(TENANT_A, messageId, messageId, 1, "WHATSAPP", List.of("SMS"),
                new FallbackPlan.Send(null, "m-2", null, null, null, "+15550777010", "IMAGE", null, null, null, null,
                        List.of())));

        // When the first claimant's publish fails
        assertThatThrownBy(() -> plans.claim(TENANT_A, messageId, plan -> {
            throw new IllegalStateException("broker unreachable");
        })).hasMessage("broker unreachable");

        // Then the plan can be claimed again, once
        assertThat(plans.claim(TENANT_A, messageId, plan -> { })).isPresent();
        assertThat(plans.claim(TENANT_A, messageId, plan -> { })).isEmpty();
    }

    private String accepted(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(202);
        return json(response).get("messageId").asString();
    }

    private static MediaReceived receivedOf(String messageId) {
        return awaitEvent(Topics.MEDIA_RECEIVED_NAME, MediaReceived.class,
                e -> e.getMessage() != null && messageId.equals(e.getMessage().getMessageId()));
    }

    /** What validation would say of a media the first channel does not take. */
    private static MediaRejected rejected(MediaReceived received) {
        return MediaRejected.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setTenantId(received.getTenantId()).setReceivedEventId(received.getEventId())
                .setMedia(received.getMedia()).setDetectedContentType("image/png")
                .setReason(RejectionReason.UNSUPPORTED_TYPE).setReasonMessage("not on this channel")
                .setMessage(received.getMessage()).build();
    }

    /** What dispatch would say of an attempt. */
    private static DeliveryStatus status(String messageId, Channel channel, MessageStatus status, String mediaId) {
        return DeliveryStatus.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now()).setTenantId(TENANT_A)
                .setMessageId(messageId).setMediaId(mediaId).setChannel(channel).setStatus(status)
                .setProvider("twilio").setReason(status == MessageStatus.FAILED ? "30003" : null).build();
    }

    /** Every command on the send-requested topic (read to its end) that falls back from {@code root}. */
    private static List<SendMediaMessage> commandsFallingBackFrom(String root) {
        long end = endOffsets(Topics.SEND_REQUESTED_NAME);
        List<SendMediaMessage> found = new ArrayList<>();
        long[] seen = {0};
        awaitRecord(Topics.SEND_REQUESTED_NAME, r -> {
            seen[0]++;
            if (r.value() instanceof SendMediaMessage c && root.equals(c.getMessage().getFallbackOf())) {
                found.add(c);
            }
            return seen[0] >= end;
        });
        return found;
    }
}
