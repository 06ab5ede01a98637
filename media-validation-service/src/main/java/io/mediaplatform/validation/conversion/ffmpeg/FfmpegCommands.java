package io.mediaplatform.validation.conversion.ffmpeg;

import io.mediaplatform.validation.conversion.core.FitPlan;
import io.mediaplatform.validation.policy.core.Kind;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ffmpeg command lines {@link FfmpegConverter} runs, each reading local files only ({@code -protocol_whitelist
 * file}, {@code -nostdin}): the conversion to a target (encoders, muxer, the bitrate that fits, {@code -fs} at the
 * plan's limit, no metadata), the first frame of a video, and the probe that prints an input's duration.
 */
final class FfmpegCommands {

    private FfmpegCommands() {
    }

    /** What a conversion writes: its type, ffmpeg's encoders and muxer, the file's extension and a few words on it. */
    enum Target {
        VIDEO_MP4("video/mp4", ".mp4", "H.264 + AAC MP4", true),
        AUDIO_MP4("audio/mp4", ".m4a", "AAC MP4", false),
        AUDIO_OGG("audio/ogg", ".ogg", "Opus Ogg", false),
        AUDIO_MP3("audio/mpeg", ".mp3", "MP3", false);

        final String contentType;
        final String extension;
        final String description;
        final boolean video;

        Target(String contentType, String extension, String description, boolean video) {
            this.contentType = contentType;
            this.extension = extension;
            this.description = description;
            this.video = video;
        }

        static Target of(FitPlan.Convert plan) {
            if (plan.kind() == Kind.VIDEO) {
                return VIDEO_MP4;
            }
            return switch (plan.targets().getFirst()) {
                case "audio/ogg" -> AUDIO_OGG;
                case "audio/mpeg" -> AUDIO_MP3;
                default -> AUDIO_MP4;
            };
        }
    }

    /**
     * The bitrates that make a media of that duration fit a size: 85% of the bytes left after a container allowance
     * (an eighth of the limit, at most 64 KB), spread over the seconds; for video, the audio gets an eighth of it
     * (16 to 96 kbit/s) and the picture the rest.
     */
    record Bitrate(long totalBitsPerSecond, long videoBitsPerSecond, long audioBitsPerSecond, boolean video) {
        static final long MIN_VIDEO = 24_000;
        static final long MIN_AUDIO = 8_000;
        static final long MIN_VIDEO_AUDIO = 16_000;

        static Bitrate fitting(long maxBytes, double seconds, boolean video) {
            if (!(seconds > 0)) {
                return new Bitrate(0, 0, 0, video);
            }
            long payload = maxBytes - Math.min(64 << 10, maxBytes / 8);
            long total = (long) (payload * 8 * 0.85 / seconds);
            if (!video) {
                return new Bitrate(total, 0, Math.min(total, 320_000), false);
            }
            long audio = Math.max(MIN_VIDEO_AUDIO, Math.min(96_000, total / 8));
            return new Bitrate(total, total - audio, audio, true);
        }

        boolean tooLow() {
            return video ? totalBitsPerSecond < MIN_VIDEO + MIN_VIDEO_AUDIO : totalBitsPerSecond < MIN_AUDIO;
        }

        String why(double seconds) {
            if (!(seconds > 0)) {
                return "its duration is unknown, so no bitrate can be aimed at";
            }
            return "fitting its " + String.format(java.util.Locale.ROOT, "%.1f", seconds) + " s leaves "
                    + totalBitsPerSecond / 1000 + " kbit/s, below the " + (video
                    ? (MIN_VIDEO + MIN_VIDEO_AUDIO) / 1000 + " kbit/s (" + MIN_VIDEO / 1000 + " video, " + MIN_VIDEO_AUDIO / 1000
                            + " audio) an encode needs"
                    : MIN_AUDIO / 1000 + " kbit/s an audio encode needs");
        }

        String kilobits() {
            return video
                    ? videoBitsPerSecond / 1000 + " kbit/s video + " + audioBitsPerSecond / 1000 + " kbit/s audio"
                    : audioBitsPerSecond / 1000 + " kbit/s";
        }
    }

    /** The conversion into {@code target} (at {@code bitrate}, or at the default quality when null), writing {@code out}. */
    static List<String> convert(String executable, Path in, Path out, FitPlan.Convert plan, Target target,
                                Bitrate bitrate) {
        List<String> command = new ArrayList<>(List.of(executable, "-nostdin", "-hide_banner", "-loglevel", "error",
                "-protocol_whitelist", "file", "-i", in.toString()));
        String audioRate = bitrate == null ? null : Long.toString(bitrate.audioBitsPerSecond());
        switch (target) {
            case VIDEO_MP4 -> {
                command.addAll(List.of("-map", "0:v:0", "-map", "0:a:0?", "-c:v", "libx264", "-preset", "veryfast",
                        "-pix_fmt", "yuv420p", "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2"));
                if (bitrate == null) {
                    command.addAll(List.of("-crf", "28"));
                } else {
                    String rate = Long.toString(bitrate.videoBitsPerSecond());
                    command.addAll(List.of("-b:v", rate, "-maxrate", rate, "-bufsize", rate));
                }
                command.addAll(List.of("-c:a", "aac", "-b:a", audioRate == null ? "96k" : audioRate,
                        "-movflags", "+faststart", "-f", "mp4"));
            }
            case AUDIO_MP4 -> command.addAll(List.of("-map", "0:a:0", "-vn", "-c:a", "aac", "-b:a",
                    audioRate == null ? "96k" : audioRate, "-movflags", "+faststart", "-f", "mp4"));
            case AUDIO_OGG -> command.addAll(List.of("-map", "0:a:0", "-vn", "-c:a", "libopus", "-b:a",
                    audioRate == null ? "48k" : audioRate, "-f", "ogg"));
            case AUDIO_MP3 -> command.addAll(List.of("-map", "0:a:0", "-vn", "-c:a", "libmp3lame", "-b:a",
                    audioRate == null ? "96k" : audioRate, "-f", "mp3"));
        }
        command.addAll(List.of("-map_metadata", "-1", "-fs", Long.toString(plan.maxBytes()), "-y", out.toString()));
        return command;
    }

    /** The first frame of the video in {@code in} as a PNG in {@code out}. */
    static List<String> firstFrame(String executable, Path in, Path out) {
        return List.of(executable, "-nostdin", "-hide_banner", "-loglevel", "error", "-protocol_whitelist", "file",
                "-i", in.toString(), "-map", "0:v:0", "-frames:v", "1", "-f", "image2", "-c:v", "png", "-y",
                out.toString());
    }

    /** ffmpeg reading {@code in} and writing nothing: what it prints names the duration. */
    static List<String> probe(String executable, Path in) {
        return List.of(executable, "-nostdin", "-hide_banner", "-protocol_whitelist", "file", "-i", in.toString());
    }
}
