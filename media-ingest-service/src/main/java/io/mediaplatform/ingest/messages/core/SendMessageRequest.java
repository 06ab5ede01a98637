package io.mediaplatform.ingest.messages.core;

import io.mediaplatform.ingest.core.InvalidInputException;
import io.mediaplatform.ingest.media.core.FileNames;
import io.mediaplatform.ingest.media.core.MediaChannel;
import io.mediaplatform.ingest.media.core.UploadFields;

import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /v1/messages} as the client sent it; {@link #validate()} checks it field by field.
 *
 * @param channel        WHATSAPP, MMS, RCS, WEBCHAT, EMAIL, SMS or PUSH
 * @param from           sender address on the channel
 * @param to             recipient address on the channel
 * @param kind           image, video, audio, document or sticker
 * @param media          stored media ({@code id}), an asset of the library ({@code assetId}) or a URL to fetch it
 *                       from ({@code url}), exactly one
 * @param caption        optional caption
 * @param fileName       optional file name shown to the recipient
 * @param conversationId optional conversation id (else the conversation is channel + to)
 * @param inboxId        optional inbox whose media settings apply
 * @param externalId     optional client id of the message
 * @param clientId       optional client (application, agent) id
 * @param callbacks      optional status webhook URLs
 * @param fallback       optional channels to try next, in order, when the message ends FAILED or REJECTED
 */
public record SendMessageRequest(String channel, String from, String to, String kind, MediaSource media, String caption,
                                 String fileName, String conversationId, String inboxId, String externalId,
                                 String clientId, List<String> callbacks, List<String> fallback) {

    /** Most fallback channels per message. */
    public static final int MAX_FALLBACK = 3;

    /** A request without fallback channels. */
    public SendMessageRequest(String channel, String from, String to, String kind, MediaSource media, String caption,
                              String fileName, String conversationId, String inboxId, String externalId,
                              String clientId, List<String> callbacks) {
        this(channel, from, to, kind, media, caption, fileName, conversationId, inboxId, externalId, clientId, callbacks,
                null);
    }

    /** Longest caption accepted. */
    public static final int MAX_CAPTION = 4096;
    /** Most callback URLs per message. */
    public static final int MAX_CALLBACKS = 10;
    private static final int MAX_ADDRESS = 320;
    private static final int MAX_URL = 2048;

    /** {@code {"id": ...}}, {@code {"assetId": ...}} or {@code {"url": ...}}. */
    public record MediaSource(String id, String url, String assetId) {
        public MediaSource(String id, String url) {
            this(id, url, null);
        }
    }

    /** The request, checked ({@code assetId} set when it names an asset; its media id is filled in by the edge). */
    public record Valid(MediaChannel channel, String from, String to, MessageKind kind, String mediaId, String mediaUrl,
                        String caption, String fileName, String conversationId, String inboxId, String externalId,
                        String clientId, List<String> callbacks, List<MediaChannel> fallback, String assetId) {

        /** The request sending the stored media {@code id} (an asset's). */
        public Valid withMediaId(String id) {
            return new Valid(channel, from, to, kind, id, mediaUrl, caption, fileName, conversationId, inboxId,
                    externalId, clientId, callbacks, fallback, assetId);
        }
    }

    /** Checks every field; throws {@link InvalidInputException} naming the first that is wrong. */
    public Valid validate() {
        MediaChannel parsedChannel = MediaChannel.parse("channel", channel);
        String validFrom = address("from", from);
        String validTo = address("to", to);
        MessageKind parsedKind = MessageKind.parse("kind", kind);
        if (media == null) {
            throw new InvalidInputException("media", "media is required: {\"id\": \"<media id>\"}, "
                    + "{\"assetId\": \"<asset id>\"} or {\"url\": \"https://...\"}");
        }
        boolean hasId = media.id() != null && !media.id().isBlank();
        boolean hasUrl = media.url() != null && !media.url().isBlank();
        boolean hasAsset = media.assetId() != null && !media.assetId().isBlank();
        if ((hasId ? 1 : 0) + (hasUrl ? 1 : 0) + (hasAsset ? 1 : 0) != 1) {
            throw new InvalidInputException("media", hasAsset ? "media needs exactly one of id, assetId and url"
                    : "media needs exactly one of id and url");
        }
        if (hasUrl && media.url().length() > MAX_URL) {
            throw new InvalidInputException("media.url", "media.url must be at most " + MAX_URL + " characters");
        }
        if (caption != null && caption.length() > MAX_CAPTION) {
            throw new InvalidInputException("caption", "caption must be at most " + MAX_CAPTION + " characters");
        }
        List<String> urls = new ArrayList<>();
        if (callbacks != null) {
            if (callbacks.size() > MAX_CALLBACKS) {
                throw new InvalidInputException("callbacks", "at most " + MAX_CALLBACKS + " callback URLs");
            }
            for (int i = 0; i < callbacks.size(); i++) {
                String url = callbacks.get(i);
                if (url == null || url.isBlank() || url.length() > MAX_URL) {
                    throw new InvalidInputException("callbacks[" + i + "]", "callbacks[" + i + "] must be a URL of at most "
                            + MAX_URL + " characters");
                }
                urls.add(url.strip());
            }
        }
        return new Valid(parsedChannel, validFrom, validTo, parsedKind, hasId ? media.id().strip() : null,
                hasUrl ? media.url().strip() : null, caption == null || caption.isBlank() ? null : caption,
                fileName == null || fileName.isBlank() ? null : FileNames.sanitize(fileName),
                UploadFields.optionalId("conversationId", conversationId), UploadFields.optionalId("inboxId", inboxId),
                UploadFields.optionalId("externalId", externalId), UploadFields.optionalId("clientId", clientId),
                List.copyOf(urls), fallbackChannels(parsedChannel), hasAsset ? media.assetId().strip() : null);
    }

    /** The fallback channels: known names, at most {@link #MAX_FALLBACK}, no repeats, not the first channel. */
    private List<MediaChannel> fallbackChannels(MediaChannel first) {
        if (fallback == null) {
            return List.of();
        }
        if (fallback.size() > MAX_FALLBACK) {
            throw new InvalidInputException("fallback", "fallback takes at most " + MAX_FALLBACK + " channels");
        }
        List<MediaChannel> channels = new ArrayList<>();
        for (String name : fallback) {
            MediaChannel next = MediaChannel.parse("fallback", name);
            if (next == first) {
                throw new InvalidInputException("fallback", "fallback must not repeat the message's channel " + first);
            }
            if (channels.contains(next)) {
                throw new InvalidInputException("fallback", "fallback names " + next + " twice");
            }
            channels.add(next);
        }
        return List.copyOf(channels);
    }

    private static String address(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, field + " is required");
        }
        if (value.length() > MAX_ADDRESS || value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException(field, field + " must be at most " + MAX_ADDRESS + " characters, without control characters");
        }
        return value.strip();
    }
}
