package io.mediaplatform.ingest.inbound;

import io.mediaplatform.events.Channel;
import io.mediaplatform.events.InboundAttachment;
import io.mediaplatform.events.InboundFetchState;
import io.mediaplatform.events.InboundMessage;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.ingest.ProviderSimulators;
import io.mediaplatform.embedded.RecordingServer;
import io.mediaplatform.schemas.topics.Topics;
import io.mediaplatform.simulator.CustomerMedia;
import io.mediaplatform.simulator.CustomerSent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What becomes of customer media whose download fails, once or for good, and of records that can never work. */
class InboundFaultsTest extends InboundTestBase {

    private static final Duration QUIET = Duration.ofSeconds(2);

    @Autowired
    private KafkaListenerEndpointRegistry listeners;

    @Test
    void a_download_that_fails_three_times_is_retried_then_stored_and_announced_exactly_once() {
        // Given a WhatsApp media whose first three downloads answer 500
        byte[] photo = fileBytes("image/jpeg", 20_000);
        CustomerSent sent = ProviderSimulators.whatsApp().customerSends(CustomerMedia.of("image", photo, "image/jpeg")
                .from(customer()).faults("download-5xx:3").build());
        InboundMessage message = whatsAppInbound(sent);
        String messageId = message.getAttachments().getFirst().getMessageId();

        // When dispatch publishes it
        dispatch(message);

        // Then it waits on the retry topic with its fetch state, is tried again on the backoff and finally stored
        ConsumerRecord<String, InboundMessage> retry = awaitRecord(Topics.INBOUND_RETRY_NAME,
                r -> r.value() instanceof InboundMessage m && m.getProviderMessageId().equals(sent.providerMessageId()));
        assertThat(retry.key()).isEqualTo(message.getConversationId());
        assertThat(retry.value().getAttachments()).hasSize(1);
        assertThat(retry.value().getFetch().getAttempts()).isEqualTo(1);
        assertThat(retry.value().getFetch().getLastFailure()).contains("HTTP 500");
        MediaReceived event = awaitReceived(messageId);
        assertThat(event.getFetchFailure()).isNull();
        assertThat(sha256(storedBytes(event.getMedia().getMediaId()))).isEqualTo(sha256(photo));
        assertThat(ProviderSimulators.whatsApp().downloads(sent.mediaId())).isEqualTo(4);
        // and announced once only
        assertThat(allReceived(messageId, QUIET)).hasSize(1);
    }

    @Test
    void an_expired_whatsapp_url_is_resolved_again_and_the_media_stored() {
        // Given a WhatsApp media whose first download URL is already expired
        byte[] photo = fileBytes("image/jpeg", 15_000);
        CustomerSent sent = ProviderSimulators.whatsApp().customerSends(CustomerMedia.of("image", photo, "image/jpeg")
                .from(customer()).faults("expired-url").build());
        InboundMessage message = whatsAppInbound(sent);

        // When dispatch publishes it
        dispatch(message);

        // Then ingest resolves the media id a second time in the same attempt and stores the bytes
        MediaReceived event = awaitReceived(message.getAttachments().getFirst().getMessageId());
        assertThat(event.getFetchFailure()).isNull();
        assertThat(sha256(storedBytes(event.getMedia().getMediaId()))).isEqualTo(sha256(photo));
        assertThat(ProviderSimulators.whatsApp().resolves(sent.mediaId())).isEqualTo(2);
        assertThat(ProviderSimulators.whatsApp().downloads(sent.mediaId())).isEqualTo(2);
    }

    @Test
    void bytes_that_do_not_match_the_providers_sha256_are_announced_as_a_fetch_failure_and_not_kept() {
        // Given a media whose reported sha256 is not that of its bytes
        CustomerSent sent = ProviderSimulators.whatsApp().customerSends(CustomerMedia.of("image",
                fileBytes("image/jpeg", 10_000), "image/jpeg").from(customer()).faults("wrong-sha256").build());
        InboundMessage message = whatsAppInbound(sent);

        // When dispatch publishes it
        dispatch(message);

        // Then the customer's message is announced with the failure, nothing stored
        MediaReceived event = awaitReceived(message.getAttachments().getFirst().getMessageId());
        assertThat(event.getFetchFailure()).contains("do not match the SHA-256");
        assertThat(event.getMedia().getStorage()).isNull();
        assertThat(event.getMedia().getSize()).isZero();
        assertThat(event.getMedia().getSha256()).isEmpty();
        assertThat(event.getMedia().getMediaId()).isEqualTo(message.getAttachments().getFirst().getMediaId());
        assertThat(event.getMessage().getKind()).isEqualTo(MediaKind.IMAGE);
        assertThat(store.find(TENANT_A, event.getMedia().getMediaId())).isEmpty();
    }

    @Test
    void media_over_the_inbound_limit_is_announced_as_a_fetch_failure_naming_the_limit() {
        // Given a media that streams more than INBOUND_MAX_SIZE
        CustomerSent sent = ProviderSimulators.notifyApi().customerSends(CustomerMedia.of("video",
                fileBytes("video/mp4", 50_000), "video/mp4").from(customer()).faults("oversize").build());
        InboundMessage message = notifyInbound(sent);

        // When dispatch publishes it
        dispatch(message);

        // Then it is given up at once, the reason naming the limit
        MediaReceived event = awaitReceived(message.getAttachments().getFirst().getMessageId());
        assertThat(event.getFetchFailure()).isEqualTo("The media is larger than the limit of " + INBOUND_MAX_SIZE
                + " bytes for customer media");
        assertThat(event.getMedia().getStorage()).isNull();
        assertThat(store.find(TENANT_A, event.getMedia().getMediaId())).isEmpty();
    }

    @Test
    void media_the_provider_deleted_is_announced_as_gone() {
        // Given a WhatsApp media that was deleted
        CustomerSent sent = ProviderSimulators.whatsApp().customerSends(CustomerMedia.of("image",
                fileBytes("image/jpeg", 5_000), "image/jpeg").from(customer()).faults("gone").build());
        InboundMessage message = whatsAppInbound(sent);

        // When dispatch publishes it
        dispatch(message);

        // Then it is given up at once
        MediaReceived event = awaitReceived(message.getAttachments().getFirst().getMessageId());
        assertThat(event.getFetchFailure()).contains("no longer available at WhatsApp");
        assertThat(event.getMedia().getStorage()).isNull();
        assertThat(ProviderSimulators.whatsApp().downloads(sent.mediaId())).isZero();
    }

    @Test
    void a_download_still_failing_past_the_give_up_age_is_announced_as_a_fetch_failure() {
        // Given a media that keeps failing, first tried eight days ago and due again now on the retry topic
        CustomerSent sent = ProviderSimulators.whatsApp().customerSends(CustomerMedia.of("image",
                fileBytes("image/jpeg", 5_000), "image/jpeg").from(customer()).faults("download-5xx:1000").build());
        Instant now = Instant.now();
        InboundMessage waiting = withFetch(whatsAppInbound(sent), InboundFetchState.newBuilder().setAttempts(30)
                .setFirstAttemptAt(now.minus(Duration.ofDays(8))).setNextAttemptAt(now.minusSeconds(1))
                .setLastFailure("WhatsApp answered HTTP 500 to the media download").build());

        // When the retry reader comes to it
        publish(Topics.INBOUND_RETRY_NAME, waiting.getConversationId(), waiting);

        // Then after one more failed attempt it is given up and announced with the failure
        MediaReceived event = awaitReceived(waiting.getAttachments().getFirst().getMessageId());
        assertThat(event.getFetchFailure()).isEqualTo("WhatsApp answered HTTP 500 to the media download"
                + " (gave up after 31 attempts over 7 days)");
        assertThat(event.getMedia().getStorage()).isNull();
        assertThat(ProviderSimulators.whatsApp().downloads(sent.mediaId())).isEqualTo(1);
    }

    @Test
    void a_retry_record_whose_next_attempt_is_ahead_is_written_again_unchanged_until_due() {
        // Given a retry record due in two seconds
        byte[] photo = fileBytes("image/jpeg", 5_000);
        CustomerSent sent = ProviderSimulators.whatsApp().customerSends(CustomerMedia.of("image", photo, "image/jpeg")
                .from(customer()).build());
        Instant due = Instant.now().plusSeconds(2);
        InboundMessage waiting = withFetch(whatsAppInbound(sent), InboundFetchState.newBuilder().setAttempts(1)
                .setFirstAttemptAt(Instant.now()).setNextAttemptAt(due).setLastFailure("HTTP 500").build());

        // When it is published on the retry topic
        publish(Topics.INBOUND_RETRY_NAME, waiting.getConversationId(), waiting);

        // Then it circulates unchanged on the retry topic and is only attempted once due
        MediaReceived event = awaitReceived(waiting.getAttachments().getFirst().getMessageId());
        assertThat(event.getOccurredAt()).isAfterOrEqualTo(due.minusMillis(1));
        List<ConsumerRecord<String, Object>> copies = records(Topics.INBOUND_RETRY_NAME,
                r -> r.value() instanceof InboundMessage m && m.getProviderMessageId().equals(sent.providerMessageId()),
                Duration.ofMillis(500));
        assertThat(copies).hasSizeGreaterThan(2).allSatisfy(r -> assertThat(r.value()).isEqualTo(waiting));
        assertThat(ProviderSimulators.whatsApp().downloads(sent.mediaId())).isEqualTo(1);
    }

    @Test
    void the_same_inbound_message_twice_is_downloaded_once_and_announced_again() {
        // Given a customer message the provider delivered twice
        byte[] photo = fileBytes("image/jpeg", 8_000);
        CustomerSent sent = ProviderSimulators.whatsApp().customerSends(CustomerMedia.of("image", photo, "image/jpeg")
                .from(customer()).build());
        InboundMessage first = whatsAppInbound(sent);
        InboundMessage second = whatsAppInbound(sent);
        String messageId = first.getAttachments().getFirst().getMessageId();

        // When dispatch publishes both
        dispatch(first);
        dispatch(second);

        // Then the media is downloaded once; both are announced (downstream dedupes by messageId), both stored media
        await().atMost(Duration.ofSeconds(30)).until(() -> allReceived(messageId, Duration.ofMillis(300)).size() == 2);
        assertThat(allReceived(messageId, Duration.ofMillis(300)))
                .allSatisfy(e -> assertThat(e.getMedia().getSha256()).isEqualTo(sha256(photo)));
        assertThat(ProviderSimulators.whatsApp().downloads(sent.mediaId())).isEqualTo(1);
    }

    @Test
    void a_message_published_while_ingest_is_down_is_fetched_once_it_runs_again() {
        // Given ingest not reading message.inbound.v1 (stopped between dispatch's 2xx and the download)
        MessageListenerContainer container = listeners.getListenerContainer("ingest-inbound");
        container.stop();
        byte[] photo = fileBytes("image/jpeg", 8_000);
        CustomerSent sent = ProviderSimulators.whatsApp().customerSends(CustomerMedia.of("image", photo, "image/jpeg")
                .from(customer()).build());
        InboundMessage message = whatsAppInbound(sent);
        try {
            // When dispatch publishes the message, and ingest only starts afterwards
            dispatch(message);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> ProviderSimulators.whatsApp().downloads(sent.mediaId()) == 0);
        } finally {
            container.start();
        }

        // Then the media is fetched, stored and announced
        MediaReceived event = awaitReceived(message.getAttachments().getFirst().getMessageId());
        assertThat(event.getFetchFailure()).isNull();
        assertThat(sha256(storedBytes(event.getMedia().getMediaId()))).isEqualTo(sha256(photo));
    }

    @Test
    void a_media_url_on_an_untrusted_host_is_refused_and_never_sees_the_credentials() {
        // Given a notification-API message whose media URL points at another server (not the provider's)
        try (RecordingServer other = RecordingServer.serving(fileBytes("image/jpeg", 1_000), "image/jpeg")) {
            String id = "ntf_in_" + UUID.randomUUID();
            InboundAttachment attachment = InboundAttachment.newBuilder().setIndex(0)
                    .setMessageId(messageId(TENANT_A, "notify", id, 0)).setMediaId(mediaId(TENANT_A, "notify", id, 0))
                    .setKind(MediaKind.IMAGE).setUrl(other.url() + "/notify/media/nm1").setContentType("image/jpeg")
                    .build();
            InboundMessage message = inbound("notify", id, Channel.RCS, customer(), "demo-sender", null, Instant.now(),
                    List.of(attachment));

            // When dispatch publishes it
            dispatch(message);

            // Then the download is refused for good, and the other server saw no request, so no Authorization header
            MediaReceived event = awaitReceived(attachment.getMessageId());
            assertThat(event.getFetchFailure()).contains("not trusted");
            assertThat(event.getFetchFailure()).doesNotContain(ProviderSimulators.NOTIFY_API_KEY);
            assertThat(other.seen()).noneMatch(RecordingServer.Seen::hasAuthorization);
            assertThat(other.seen()).isEmpty();
        }
    }

    @Test
    void records_that_can_never_be_processed_go_to_the_dead_letter_topic() {
        // Given inbound records without a tenant, without attachments, and with an attachment id that is no UUID
        CustomerSent sent = ProviderSimulators.whatsApp().customerSends(CustomerMedia.of("image",
                fileBytes("image/jpeg", 1_000), "image/jpeg").from(customer()).build());
        InboundMessage valid = whatsAppInbound(sent);
        InboundMessage noTenant = InboundMessage.newBuilder(valid).setEventId(UUID.randomUUID().toString())
                .setTenantId("").build();
        InboundMessage noAttachments = InboundMessage.newBuilder(valid).setEventId(UUID.randomUUID().toString())
                .setAttachments(List.of()).build();
        InboundMessage badIds = InboundMessage.newBuilder(valid).setEventId(UUID.randomUUID().toString())
                .setAttachments(List.of(InboundAttachment.newBuilder(valid.getAttachments().getFirst())
                        .setMediaId("../../other-tenant").build())).build();

        // When they are published
        for (InboundMessage poison : List.of(noTenant, noAttachments, badIds)) {
            dispatch(poison);
        }

        // Then each lands on message.inbound.v1.dlt with its reason, and the provider is never asked
        for (InboundMessage poison : List.of(noTenant, noAttachments, badIds)) {
            ConsumerRecord<String, InboundMessage> dead = awaitRecord(Topics.MESSAGE_INBOUND.dlt(),
                    r -> r.value() instanceof InboundMessage m && m.getEventId().equals(poison.getEventId()));
            assertThat(new String(dead.headers().lastHeader("kafka_dlt-exception-message").value(),
                    StandardCharsets.UTF_8)).contains("INVALID_INBOUND");
        }
        assertThat(ProviderSimulators.whatsApp().downloads(sent.mediaId())).isZero();
    }
}
