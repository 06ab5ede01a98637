package io.mediaplatform.simulator;

import java.util.Objects;

/** Builder of a {@link TwilioSimulator}. */
public final class TwilioSimulatorBuilder extends SimulatorBuilder<TwilioSimulatorBuilder> {

    String accountSid;
    String authToken;
    String phoneNumber = TwilioSimulator.DEFAULT_PHONE_NUMBER;
    String inboundWebhookUrl;

    TwilioSimulatorBuilder() {
    }

    /** Where customers' messages are posted: the platform's Twilio status webhook URL (may be set later). */
    public TwilioSimulatorBuilder inboundWebhookUrl(String inboundWebhookUrl) {
        this.inboundWebhookUrl = inboundWebhookUrl;
        return this;
    }

    /** The business number customers write to by default ({@value TwilioSimulator#DEFAULT_PHONE_NUMBER}). */
    public TwilioSimulatorBuilder phoneNumber(String phoneNumber) {
        this.phoneNumber = Objects.requireNonNull(phoneNumber);
        return this;
    }

    /** The account SID senders must use in the path and basic auth. */
    public TwilioSimulatorBuilder accountSid(String accountSid) {
        this.accountSid = accountSid;
        return this;
    }

    /** The auth token of basic auth and of the callback signatures. */
    public TwilioSimulatorBuilder authToken(String authToken) {
        this.authToken = authToken;
        return this;
    }

    public TwilioSimulator build() {
        return new TwilioSimulator(this);
    }
}
