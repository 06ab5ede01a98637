package io.mediaplatform.benchmarks.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** The requests the benchmarks make of ingest: uploading a small real PNG and sending a WhatsApp image message of it. */
public final class IngestRequests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IngestRequests() {
    }

    /**
     * {@code POST /v1/messages}: one WhatsApp image message of that uploaded media in that conversation, with that
     * callback and, when not null, that {@code Idempotency-Key}.
     */
    public static HttpResponse<String> postImageMessage(HttpClient client, String ingestUrl, String apiKey, String mediaId,
                                                        String conversation, String callback, String idempotencyKey)
            throws IOException, InterruptedException {
        String body = "{\"channel\":\"WHATSAPP\",\"from\":\"+15550100001\",\"to\":\"+15557654321\","
                + "\"kind\":\"image\",\"media\":{\"id\":\"" + mediaId + "\"},"
                + "\"conversationId\":\"" + conversation + "\",\"callbacks\":[\"" + callback + "\"]}";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ingestUrl + "/v1/messages"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json");
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return client.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Uploads {@code png} ({@code POST /v1/media}, WhatsApp, that conversation); returns its media id. */
    public static String upload(HttpClient client, String ingestUrl, String apiKey, byte[] png, String conversation)
            throws IOException, InterruptedException {
        String boundary = "----benchmark" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : Map.of("conversationId", conversation, "channel", "WHATSAPP").entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
                    + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(png);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(ingestUrl + "/v1/media"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("upload answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).path("mediaId").asText();
    }

    /** A small real PNG (64×64, a gradient), made with ImageIO. */
    public static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, new Color(x * 4, y * 4, 128).getRGB());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
