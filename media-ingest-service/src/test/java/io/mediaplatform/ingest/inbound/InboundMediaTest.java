package io.mediaplatform.ingest.inbound;

import io.mediaplatform.events.Channel;
import io.mediaplatform.events.Direction;
import io.mediaplatform.events.InboundAttachment;
import io.mediaplatform.events.InboundMessage;
import io.mediaplatform.events.MediaKind;
import io.mediaplatform.events.MediaReceived;
import io.mediaplatform.ingest.ProviderSimulators;
import io.mediaplatform.ingest.media.core.MediaInfo;
import io.mediaplatform.ingest.media.core.MediaKeys;
import io.mediaplatform.simulator.CustomerMedia;
import io.mediaplatform.simulator.CustomerSent;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Customers' media fetched from the providers (simulators) into storage and announced on media.received.v1 with
 * direction INBOUND, the customer's message and the provider's details.
 */
class InboundMediaTest extends InboundTestBase {

    @Autowired
    MeterRegistry meters;

    @Test
    void a_whatsapp_image_is_stored_with_its_very_bytes_and_announced_as_the_customers_message() {
        // Given a customer who sends a photo with a caption on WhatsApp
        byte[] photo = fileBytes("image/jpeg", 40_000);
        String from = customer();
        CustomerSent sent = ProviderSimulators.whatsApp().customerSends(CustomerMedia.of("image", photo, "image/jpeg")
                .from(from).caption("Broken lid").build());
        InboundMessage message = whatsAppInbound(sent);
        InboundAttachment attachment = message.getAttachments().getFirst();

        // When dispatch publishes the inbound message
        dispatch(message);

        // Then ingest announces the media, stored under the attachment's media id with the very bytes
        MediaReceived event = awaitReceived(attachment.getMessageId());
        assertThat(event.getFetchFailure()).isNull();
        assertThat(event.getTenantId()).isEqualTo(TENANT_A);
        assertThat(event.getMedia().getMediaId()).isEqualTo(attachment.getMediaId());
        assertThat(event.getMedia().getDirection()).isEqualTo(Direction.INBOUND);
        assertThat(event.getMedia().getChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(event.getMedia().getConversationId()).isEqualTo("WHATSAPP:" + from);
        assertThat(event.getMedia().getInboxId()).isEqualTo(INBOX);
        assertThat(event.getMedia().getDeclaredContentType()).isEqualTo("image/jpeg");
        assertThat(event.getMedia().getSize()).isEqualTo(photo.length);
        assertThat(event.getMedia().getSha256()).isEqualTo(sha256(photo)).isEqualTo(sent.first().sha256());
        assertThat(event.getMedia().getStorage().getKey()).isEqualTo(MediaKeys.media(TENANT_A, attachment.getMediaId()));
        assertThat(sha256(storedBytes(attachment.getMediaId()))).isEqualTo(sha256(photo));
        // and the customer's message: from the customer to the business number, with its kind and caption
        assertThat(event.getMessage().getFrom()).isEqualTo(from);
        assertThat(event.getMessage().getTo()).isEqualTo(ProviderSimulators.whatsApp().phoneNumberId());
        assertThat(event.getMessage().getKind()).isEqualTo(MediaKind.IMAGE);
        assertThat(event.getMessage().getCaption()).isEqualTo("Broken lid");
        assertThat(event.getMessage().getCallbackUrls()).isEmpty();
        assertThat(event.getInbound().getProvider()).isEqualTo("whatsapp");
        assertThat(event.getInbound().getProviderMessageId()).isEqualTo(sent.providerMessageId());
        assertThat(event.getInbound().getSentAt()).isEqualTo(message.getOccurredAt());
        assertThat(event.getInbound().getAttachmentIndex()).isZero();
        assertThat(event.getInbound().getAttachmentCount()).isEqualTo(1);
        // and the object carries the inbound context
        MediaInfo stored = store.find(TENANT_A, attachment.getMediaId()).orElseThrow();
        assertThat(stored.direction()).isEqualTo("INBOUND");
        assertThat(stored.conversationId()).isEqualTo("WHATSAPP:" + from);
        assertThat(stored.fileName()).isEqualTo("image.jpg");
        assertThat(ProviderSimulators.whatsApp().downloads(sent.mediaId())).isEqualTo(1);
        // and it is counted with the uploads, as inbound
        assertThat(meters.get("ingest.uploads").tags("channel", "WHATSAPP", "direction", "inbound", "outcome", "stored")
                .counter().count()).isPositive();
        assertThat(meters.get("ingest.upload.bytes").tags("channel", "WHATSAPP", "direction", "inbound").summary()
                .totalAmount()).isGreaterThanOrEqualTo(photo.length);
    }

    @Test
    void a_whatsapp_voice_note_keeps_its_ogg_opus_type() {
        // Given a customer who records a voice note
        byte[] voice = fileBytes("audio/ogg", 12_000);
        CustomerSent sent = ProviderSimulators.whatsApp().customerSends(CustomerMedia.of("audio", voice, null)
                .from(customer()).voice(true).build());
        InboundMessage message = whatsAppInbound(sent);

        // When dispatch publishes it
        dispatch(message);

        // Then it is stored as the very bytes, declared audio/ogg with the opus codec, kind AUDIO
        MediaReceived event = awaitReceived(message.getAttachments().getFirst().getMessageId());
        assertThat(event.getFetchFailure()).isNull();
        assertThat(event.getMedia().getDeclaredContentType()).isEqualTo("audio/ogg; codecs=opus");
        assertThat(event.getMessage().getKind()).isEqualTo(MediaKind.AUDIO);
        assertThat(event.getMedia().getSha256()).isEqualTo(sha256(voice));
        assertThat(sha256(storedBytes(event.getMedia().getMediaId()))).isEqualTo(sha256(voice));
        assertThat(store.find(TENANT_A, event.getMedia().getMediaId()).orElseThrow().fileName()).isEqualTo("voice.ogg");
    }

    @Test
    void a_whatsapp_video_is_stored_and_announced() {
        byte[] video = fileBytes("video/mp4", 600_000);
        CustomerSent sent = ProviderSimulators.whatsApp().customerSends(CustomerMedia.of("video", video, "video/mp4")
                .from(customer()).caption("Unboxing").build());
        InboundMessage message = whatsAppInbound(sent);

        dispatch(message);

        MediaReceived event = awaitReceived(message.getAttachments().getFirst().getMessageId());
        assertThat(event.getFetchFailure()).isNull();
        assertThat(event.getMessage().getKind()).isEqualTo(MediaKind.VIDEO);
        assertThat(event.getMessage().getCaption()).isEqualTo("Unboxing");
        assertThat(event.getMedia().getSize()).isEqualTo(video.length);
        assertThat(sha256(storedBytes(event.getMedia().getMediaId()))).isEqualTo(sha256(video));
    }

    @Test
    void a_whatsapp_document_keeps_the_customers_file_name() {
        // Given a customer who sends a PDF named by their phone
        byte[] pdf = fileBytes("application/pdf", 25_000);
        CustomerSent sent = ProviderSimulators.whatsApp().customerSends(CustomerMedia.of("document", pdf, "application/pdf")
                .from(customer()).fileName("Invoice März.pdf").caption("My invoice").build());
        InboundMessage message = whatsAppInbound(sent);

        dispatch(message);

        // Then the message and the media carry the file name
        MediaReceived event = awaitReceived(message.getAttachments().getFirst().getMessageId());
        assertThat(event.getFetchFailure()).isNull();
        assertThat(event.getMessage().getKind()).isEqualTo(MediaKind.DOCUMENT);
        assertThat(event.getMessage().getFileName()).isEqualTo("Invoice März.pdf");
        assertThat(event.getMedia().getDeclaredFileName()).isEqualTo("Invoice März.pdf");
        assertThat(event.getMedia().getDeclaredContentType()).isEqualTo("application/pdf");
        MediaInfo stored = store.find(TENANT_A, event.getMedia().getMediaId()).orElseThrow();
        assertThat(stored.originalFileName()).isEqualTo("Invoice März.pdf");
        assertThat(sha256(storedBytes(event.getMedia().getMediaId()))).isEqualTo(sha256(pdf));
    }

    @Test
    void a_whatsapp_sticker_is_stored_as_a_sticker() {
        byte[] sticker = fileBytes("image/webp", 9_000);
        CustomerSent sent = ProviderSimulators.whatsApp().customerSends(CustomerMedia.of("sticker", sticker, "image/webp")
                .from(customer()).build());
        InboundMessage message = whatsAppInbound(sent);

        dispatch(message);

        MediaReceived event = awaitReceived(message.getAttachments().getFirst().getMessageId());
        assertThat(event.getFetchFailure()).isNull();
        assertThat(event.getMessage().getKind()).isEqualTo(MediaKind.STICKER);
        assertThat(event.getMedia().getDeclaredContentType()).isEqualTo("image/webp");
        assertThat(sha256(storedBytes(event.getMedia().getMediaId()))).isEqualTo(sha256(sticker));
    }

    @Test
    void a_twilio_mms_with_two_media_makes_two_announced_media_of_one_message() {
        // Given a customer who sends an MMS with a photo, a PDF and a text
        byte[] photo = fileBytes("image/jpeg", 30_000);
        byte[] pdf = fileBytes("application/pdf", 20_000);
        String from = customer();
        CustomerSent sent = ProviderSimulators.twilio().customerSends(CustomerMedia.of(null, photo, "image/jpeg")
                .attach(pdf, "application/pdf").from(from).text("Both pages").build());
        InboundMessage message = twilioInbound(sent, from, "Both pages");

        // When dispatch publishes it
        dispatch(message);

        // Then each media is fetched with the account's credentials, stored and announced, in the same conversation
        MediaReceived first = awaitReceived(message.getAttachments().get(0).getMessageId());
        MediaReceived second = awaitReceived(message.getAttachments().get(1).getMessageId());
        for (MediaReceived event : List.of(first, second)) {
            assertThat(event.getFetchFailure()).isNull();
            assertThat(event.getMedia().getChannel()).isEqualTo(Channel.MMS);
            assertThat(event.getMedia().getConversationId()).isEqualTo("MMS:" + from);
            assertThat(event.getInbound().getProvider()).isEqualTo("twilio");
            assertThat(event.getInbound().getProviderMessageId()).isEqualTo(sent.providerMessageId());
            assertThat(event.getInbound().getAttachmentCount()).isEqualTo(2);
            assertThat(event.getInbound().getText()).isEqualTo("Both pages");
            assertThat(event.getMessage().getTo()).isEqualTo(ProviderSimulators.twilio().phoneNumber());
        }
        assertThat(first.getInbound().getAttachmentIndex()).isZero();
        assertThat(second.getInbound().getAttachmentIndex()).isEqualTo(1);
        assertThat(first.getMessage().getKind()).isEqualTo(MediaKind.IMAGE);
        assertThat(first.getMessage().getCaption()).isEqualTo("Both pages");
        assertThat(second.getMessage().getKind()).isEqualTo(MediaKind.DOCUMENT);
        assertThat(sha256(storedBytes(first.getMedia().getMediaId()))).isEqualTo(sha256(photo));
        assertThat(sha256(storedBytes(second.getMedia().getMediaId()))).isEqualTo(sha256(pdf));
        assertThat(first.getMedia().getSha256()).isEqualTo(sent.media().get(0).sha256());
        assertThat(second.getMedia().getSha256()).isEqualTo(sent.media().get(1).sha256());
    }

    @Test
    void a_notification_api_image_is_fetched_with_the_api_key_and_stored() {
        // Given a customer who sends an image over RCS through the notification API
        byte[] photo = fileBytes("image/jpeg", 35_000);
        CustomerSent sent = ProviderSimulators.notifyApi().customerSends(CustomerMedia.of("image", photo, "image/jpeg")
                .from(customer()).channel("RCS").caption("Receipt").build());
        InboundMessage message = notifyInbound(sent);

        // When dispatch publishes it
        dispatch(message);

        // Then it is stored with the very bytes (the provider's hex sha256 checked) and announced on RCS
        MediaReceived event = awaitReceived(message.getAttachments().getFirst().getMessageId());
        assertThat(event.getFetchFailure()).isNull();
        assertThat(event.getMedia().getChannel()).isEqualTo(Channel.RCS);
        assertThat(event.getMessage().getCaption()).isEqualTo("Receipt");
        assertThat(event.getMessage().getTo()).isEqualTo(ProviderSimulators.notifyApi().sender());
        assertThat(event.getInbound().getProvider()).isEqualTo("notify");
        assertThat(sha256(storedBytes(event.getMedia().getMediaId()))).isEqualTo(sha256(photo));
        assertThat(ProviderSimulators.notifyApi().downloads(sent.mediaId())).isEqualTo(1);
    }
}
