package io.mediaplatform.validation.policy.core;

import java.util.Set;

/**
 * The codecs a channel accepts inside an ISO base media file (docs/ARCHITECTURE.md §5: WhatsApp video is H.264 video with
 * AAC audio only). An empty set allows any codec of that track type.
 *
 * @param video codec names allowed for video tracks ({@code H.264})
 * @param audio codec names allowed for audio tracks ({@code AAC})
 */
public record CodecRule(Set<String> video, Set<String> audio) {

    /** No codec restriction. */
    public static final CodecRule ANY = new CodecRule(Set.of(), Set.of());

    public CodecRule {
        video = Set.copyOf(video);
        audio = Set.copyOf(audio);
    }

    /** Whether any restriction applies. */
    public boolean restricts() {
        return !video.isEmpty() || !audio.isEmpty();
    }
}
