package io.mediaplatform.validation.policy.core;

/** Channel whose media rules apply (mirrors the event schema's Channel, without its UNKNOWN). */
public enum MediaChannel {
    WHATSAPP, MMS, RCS, WEBCHAT, EMAIL, SMS, PUSH
}
