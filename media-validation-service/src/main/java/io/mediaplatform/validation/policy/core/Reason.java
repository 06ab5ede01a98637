package io.mediaplatform.validation.policy.core;

/** Why a media was refused; mirrors the event schema's RejectionReason. */
public enum Reason {
    UNSUPPORTED_TYPE, TYPE_MISMATCH, TOO_LARGE, EMPTY, CODEC_UNSUPPORTED, MALWARE, MEDIA_DISABLED, FETCH_FAILED
}
