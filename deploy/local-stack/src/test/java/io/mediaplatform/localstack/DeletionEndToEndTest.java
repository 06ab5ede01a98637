package io.mediaplatform.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deletion across the real services (ARCHITECTURE §10): callback deletes the message and tells {@code message.deleted.v1},
 * ingest deletes the media (unless another live message still sends it); a contact's erasure takes the customer's
 * messages both ways and their files at ingest.
 */
class DeletionEndToEndTest extends LocalStackTestBase {

    private static final Path PHOTO = ReadmeWalkthrough.REPO_ROOT.resolve("deploy/local-stack/demo/photo.png");

    private static String customer() {
        return "+1444555" + ThreadLocalRandom.current().nextInt(1000, 2000);
    }

    @Test
    void a_media_sent_in_two_messages_survives_the_first_deletion_and_goes_with_the_second() throws Exception {
        // Given the photo uploaded once and sent to two customers
        String conversation = "deletion-" + System.nanoTime();
        String mediaId = upload(conversation);
        String first = send(mediaId, customer(), conversation);
        String second = send(mediaId, customer(), conversation);
        awaitRecorded(first);
        awaitRecorded(second);

        // When the first message is deleted
        Http.Response one = Http.delete(stack.callbackUrl() + "/v1/messages/" + first, apiKey);

        // Then it is gone, but its media stays: the second message still sends it
        assertThat(one.status()).as(one.body()).isEqualTo(200);
        assertThat(one.json().path("mediaKept").asBoolean()).isTrue();
        assertThat(Http.get(stack.callbackUrl() + "/v1/messages/" + first, apiKey).status()).isEqualTo(404);
        assertThat(Http.get(stack.ingestUrl() + "/v1/media/" + mediaId + "/content", apiKey).status()).isEqualTo(200);

        // When the second is deleted too
        Http.Response two = Http.delete(stack.callbackUrl() + "/v1/messages/" + second, apiKey);

        // Then the media is deleted at ingest, by id and by name
        assertThat(two.json().path("mediaDeleted").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                Http.get(stack.ingestUrl() + "/v1/media/" + mediaId + "/content", apiKey).status() == 404);
        assertThat(Http.get(stack.ingestUrl() + "/v1/media/by-name/" + conversation + "_photo.png", apiKey).status())
                .isEqualTo(404);
    }

    @Test
    void erasing_a_customer_removes_their_messages_both_ways_and_their_files_and_leaves_another_customer_alone()
            throws Exception {
        // Given a customer who sent a photo on WhatsApp and got one, and another customer who got one
        String customer = customer();
        String other = "+1444666" + ThreadLocalRandom.current().nextInt(1000, 2000);
        Http.Response sent = Http.postBytes(stack.simulatorUrl() + "/simulator/whatsapp/customer-messages?from="
                + URLEncoder.encode(customer, StandardCharsets.UTF_8) + "&type=image", "image/png", Files.readAllBytes(PHOTO));
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        JsonNode inbound = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() ->
                Http.get(stack.callbackUrl() + "/v1/messages?direction=INBOUND&conversationId="
                        + URLEncoder.encode("WHATSAPP:" + customer, StandardCharsets.UTF_8), apiKey).json().path("items"),
                items -> items.size() == 1 && "ACCEPTED".equals(items.get(0).path("status").asText())).get(0);
        String inboundId = inbound.path("messageId").asText();
        String inboundMedia = Http.get(stack.callbackUrl() + "/v1/messages/" + inboundId, apiKey).json()
                .path("mediaId").asText();
        assertThat(Http.get(stack.ingestUrl() + "/v1/media/" + inboundMedia + "/content", apiKey).status()).isEqualTo(200);
        String conversation = "erasure-" + System.nanoTime();
        String customerMedia = upload(conversation);
        String toCustomer = send(customerMedia, customer, conversation);
        String otherMedia = upload(conversation + "-other");
        String toOther = send(otherMedia, other, conversation + "-other");
        awaitRecorded(toCustomer);
        awaitRecorded(toOther);

        // When the tenant erases the customer
        Http.Response erased = Http.delete(stack.callbackUrl() + "/v1/contacts/whatsapp/" + customer, apiKey);

        // Then both of the customer's messages are gone, with the customer's own file and the photo sent to them
        assertThat(erased.status()).as(erased.body()).isEqualTo(202);
        assertThat(erased.json().path("messagesDeleted").asInt()).isEqualTo(2);
        assertThat(Http.get(stack.callbackUrl() + "/v1/messages/" + inboundId, apiKey).status()).isEqualTo(404);
        assertThat(Http.get(stack.callbackUrl() + "/v1/messages/" + toCustomer, apiKey).status()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                Http.get(stack.ingestUrl() + "/v1/media/" + inboundMedia + "/content", apiKey).status() == 404
                        && Http.get(stack.ingestUrl() + "/v1/media/" + customerMedia + "/content", apiKey).status() == 404);
        // And the other customer's message and media are untouched
        assertThat(Http.get(stack.callbackUrl() + "/v1/messages/" + toOther, apiKey).status()).isEqualTo(200);
        assertThat(Http.get(stack.ingestUrl() + "/v1/media/" + otherMedia + "/content", apiKey).status()).isEqualTo(200);
    }

    private static String upload(String conversation) throws Exception {
        Http.Response uploaded = Http.upload(stack.ingestUrl() + "/v1/media", apiKey, "photo.png", "image/png",
                Files.readAllBytes(PHOTO), Map.of("conversationId", conversation, "channel", "WHATSAPP"));
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        return uploaded.json().path("mediaId").asText();
    }

    private static String send(String mediaId, String to, String conversation) throws Exception {
        Http.Response accepted = Http.postJson(stack.ingestUrl() + "/v1/messages", apiKey, """
                {"channel":"WHATSAPP","from":"+15550100001","to":"%s","kind":"image","media":{"id":"%s"},"conversationId":"%s"}"""
                .formatted(to, mediaId, conversation));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        return accepted.json().path("messageId").asText();
    }

    private static void awaitRecorded(String messageId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                "READ".equals(Http.get(stack.callbackUrl() + "/v1/messages/" + messageId, apiKey).json().path("status").asText()));
    }
}
