package io.mediaplatform.simulator;

/**
 * A media link the simulator fetched for a send, as WhatsApp does before it delivers: what the link answered.
 *
 * @param link        the URL fetched
 * @param status      the HTTP status it answered
 * @param contentType its {@code Content-Type}, or null
 * @param body        the bytes it served
 */
public record FetchedMedia(String link, int status, String contentType, byte[] body) {
}
