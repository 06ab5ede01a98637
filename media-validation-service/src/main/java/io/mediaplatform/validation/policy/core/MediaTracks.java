package io.mediaplatform.validation.policy.core;

import java.util.List;

/**
 * The tracks found in an ISO base media file's {@code moov} box.
 *
 * @param tracks  every track, in file order
 * @param problem why the tracks could not be read (no {@code moov} box, a box too large), or null
 */
public record MediaTracks(List<Track> tracks, String problem) {

    public MediaTracks {
        tracks = List.copyOf(tracks);
    }

    /** Tracks found in a readable {@code moov}. */
    public static MediaTracks of(List<Track> tracks) {
        return new MediaTracks(tracks, null);
    }

    /** The file's tracks could not be read. */
    public static MediaTracks unreadable(String problem) {
        return new MediaTracks(List.of(), problem);
    }

    /** The tracks of that type. */
    public List<Track> ofType(Track.Type type) {
        return tracks.stream().filter(track -> track.type() == type).toList();
    }

    /**
     * One track.
     *
     * @param type        video, audio or other (hint, text, metadata, timecode)
     * @param sampleEntry the four-character code of its sample entry ({@code avc1}, {@code mp4a})
     * @param codec       the codec's common name ({@code H.264}, {@code AAC}, {@code MP3}), or the sample entry
     *                    code in quotes when unknown
     */
    public record Track(Type type, String sampleEntry, String codec) {

        /** Track kind from the handler type ({@code vide}, {@code soun}). */
        public enum Type { VIDEO, AUDIO, OTHER }
    }
}
