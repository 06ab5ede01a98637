package io.mediaplatform.simulator;

import java.util.List;

/**
 * What a simulator did when a customer sent media ({@code customerSends}): the provider's message id, each stored
 * media file, and how the platform's webhook answered. The control endpoints answer the same as JSON
 * {@code {"providerMessageId","media":[{"mediaId","sha256","size","contentType","url","reportedSha256"}],
 * "webhookStatus"}}.
 *
 * @param providerMessageId the provider's id of the message ({@code wamid.…}, {@code MM…}, {@code ntf_in_…})
 * @param media             the media files, in order
 * @param webhookStatus     the HTTP status the webhook receiver answered; 0 when no webhook URL is set or the
 *                          receiver did not answer
 * @param webhook           the webhook as posted (URL, headers, body)
 */
public record CustomerSent(String providerMessageId, List<Media> media, int webhookStatus, PostedWebhook webhook) {

    public CustomerSent {
        media = List.copyOf(media);
    }

    /**
     * One stored media file.
     *
     * @param mediaId        the provider's media id: WhatsApp media id, Twilio {@code ME…} MediaSid, notification-API
     *                       media id (the last segment of its URL)
     * @param sha256         lower-case hex SHA-256 of the bytes a download serves (of the long body for
     *                       {@code oversize})
     * @param size           bytes a download serves
     * @param contentType    its content type
     * @param url            the download URL the webhook carries (Twilio {@code MediaUrlN}, notification API
     *                       {@code url}); null for WhatsApp (resolved through the Graph media endpoint)
     * @param reportedSha256 the hex SHA-256 the provider reports (differs from {@code sha256} with
     *                       {@code wrong-sha256}); null when the provider reports none (Twilio)
     */
    public record Media(String mediaId, String sha256, long size, String contentType, String url, String reportedSha256) {
    }

    /** The id of the first (often the only) media file. */
    public String mediaId() {
        return media.getFirst().mediaId();
    }

    /** The first (often the only) media file. */
    public Media first() {
        return media.getFirst();
    }
}
