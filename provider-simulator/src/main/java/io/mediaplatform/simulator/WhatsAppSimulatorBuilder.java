package io.mediaplatform.simulator;

import java.time.Duration;
import java.util.Objects;

/** Builder of a {@link WhatsAppSimulator}. */
public final class WhatsAppSimulatorBuilder extends SimulatorBuilder<WhatsAppSimulatorBuilder> {

    String accessToken;
    String d360ApiKey;
    String appSecret;
    String webhookUrl;
    String wabaId = "102290129340398";
    String displayPhoneNumber = "15550783881";
    String phoneNumberId = WhatsAppSimulator.DEFAULT_PHONE_NUMBER_ID;
    Duration mediaUrlTtl = WhatsAppSimulator.DEFAULT_MEDIA_URL_TTL;

    WhatsAppSimulatorBuilder() {
    }

    /** The access token senders must present as {@code Authorization: Bearer <token>}. */
    public WhatsAppSimulatorBuilder accessToken(String accessToken) {
        this.accessToken = accessToken;
        return this;
    }

    /**
     * Plays 360dialog too: {@code POST /messages} (no version or phone-number id in the path) with
     * {@code D360-API-KEY: <key>} takes the same Cloud API body and answers, and its statuses are posted like the
     * Cloud API's; a missing or wrong key is a 401 {@code {"meta":{"http_code":401,"developer_message",
     * "success":false}}}. Null (default): {@code /messages} is not served.
     */
    public WhatsAppSimulatorBuilder d360ApiKey(String d360ApiKey) {
        this.d360ApiKey = d360ApiKey;
        return this;
    }

    /** App secret signing the status webhooks; null posts them unsigned. */
    public WhatsAppSimulatorBuilder appSecret(String appSecret) {
        this.appSecret = appSecret;
        return this;
    }

    /** Where status webhooks go (may also be set after start). */
    public WhatsAppSimulatorBuilder webhookUrl(String webhookUrl) {
        this.webhookUrl = webhookUrl;
        return this;
    }

    /** WhatsApp Business Account id in the webhooks' {@code entry[0].id}. */
    public WhatsAppSimulatorBuilder wabaId(String wabaId) {
        this.wabaId = Objects.requireNonNull(wabaId);
        return this;
    }

    /** Display phone number in the webhooks' metadata. */
    public WhatsAppSimulatorBuilder displayPhoneNumber(String displayPhoneNumber) {
        this.displayPhoneNumber = Objects.requireNonNull(displayPhoneNumber);
        return this;
    }

    /** The business phone number id customers write to (default {@value WhatsAppSimulator#DEFAULT_PHONE_NUMBER_ID}). */
    public WhatsAppSimulatorBuilder phoneNumberId(String phoneNumberId) {
        this.phoneNumberId = Objects.requireNonNull(phoneNumberId);
        return this;
    }

    /** How long a media download URL stays valid (default 5 minutes). */
    public WhatsAppSimulatorBuilder mediaUrlTtl(Duration mediaUrlTtl) {
        if (mediaUrlTtl.isNegative() || mediaUrlTtl.isZero()) {
            throw new IllegalArgumentException("mediaUrlTtl must be positive: " + mediaUrlTtl);
        }
        this.mediaUrlTtl = mediaUrlTtl;
        return this;
    }

    public WhatsAppSimulator build() {
        return new WhatsAppSimulator(this);
    }
}
