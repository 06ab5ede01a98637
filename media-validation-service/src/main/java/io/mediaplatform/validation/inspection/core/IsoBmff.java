package io.mediaplatform.validation.inspection.core;

import io.mediaplatform.validation.policy.core.MediaTracks;
import io.mediaplatform.validation.policy.core.MediaTracks.Track;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the tracks of an ISO base media file (MP4, 3GP, M4A, MOV) with as few reads as possible: the top-level
 * box headers are read one by one (16 bytes each) and every box but {@code moov} is skipped by its size, so a
 * {@code moov} at the end of a large file costs a handful of small reads plus the {@code moov} itself; the media
 * data ({@code mdat}) is never read. Inside {@code moov}, each {@code trak}'s handler ({@code mdia/hdlr}) gives
 * the track type and its first sample entry ({@code mdia/minf/stbl/stsd}) the codec; for {@code mp4a} the
 * {@code esds} object type tells AAC from MP3.
 */
public final class IsoBmff {

    private static final int MAX_TOP_LEVEL_BOXES = 1024;

    private static final Map<String, String> SAMPLE_ENTRIES = Map.ofEntries(
            Map.entry("avc1", "H.264"), Map.entry("avc2", "H.264"), Map.entry("avc3", "H.264"), Map.entry("avc4", "H.264"),
            Map.entry("hvc1", "H.265"), Map.entry("hev1", "H.265"), Map.entry("dvh1", "H.265"), Map.entry("dvhe", "H.265"),
            Map.entry("vp08", "VP8"), Map.entry("vp09", "VP9"), Map.entry("av01", "AV1"),
            Map.entry("s263", "H.263"), Map.entry("h263", "H.263"), Map.entry("jpeg", "Motion JPEG"),
            Map.entry("mjpa", "Motion JPEG"), Map.entry("apcn", "ProRes"), Map.entry("apch", "ProRes"),
            Map.entry("apcs", "ProRes"), Map.entry("apco", "ProRes"), Map.entry("ap4h", "ProRes"),
            Map.entry(".mp3", "MP3"), Map.entry("samr", "AMR-NB"), Map.entry("sawb", "AMR-WB"),
            Map.entry("Opus", "Opus"), Map.entry("fLaC", "FLAC"), Map.entry("ac-3", "AC-3"), Map.entry("ec-3", "E-AC-3"),
            Map.entry("alac", "ALAC"), Map.entry("lpcm", "PCM"), Map.entry("sowt", "PCM"), Map.entry("twos", "PCM"),
            Map.entry("ulaw", "G.711"), Map.entry("alaw", "G.711"));

    private IsoBmff() {
    }

    /**
     * The tracks of the file, or why they could not be read.
     *
     * @param source       the file
     * @param maxMoovBytes largest {@code moov} box read (a bigger one is reported, not read)
     */
    public static MediaTracks tracks(ByteSource source, int maxMoovBytes) {
        long size = source.size();
        long offset = 0;
        for (int boxes = 0; boxes < MAX_TOP_LEVEL_BOXES && offset + 8 <= size; boxes++) {
            byte[] header = source.read(offset, 16);
            if (header.length < 8) {
                break;
            }
            long boxSize = u32(header, 0);
            String type = fourCc(header, 4);
            int headerSize = 8;
            if (boxSize == 1) {
                if (header.length < 16) {
                    return MediaTracks.unreadable("box " + type + " is cut short");
                }
                boxSize = u64(header, 8);
                headerSize = 16;
            } else if (boxSize == 0) {
                boxSize = size - offset;
            }
            if (boxSize < headerSize || offset + boxSize > size) {
                return MediaTracks.unreadable("box " + printable(type) + " at byte " + offset + " runs past the end of the file");
            }
            if (type.equals("moov")) {
                long payload = boxSize - headerSize;
                if (payload > maxMoovBytes) {
                    return MediaTracks.unreadable("the moov box is " + payload + " bytes, over the " + maxMoovBytes + " read limit");
                }
                byte[] moov = source.read(offset + headerSize, (int) payload);
                return MediaTracks.of(parseMoov(moov));
            }
            offset += boxSize;
        }
        return MediaTracks.unreadable("no moov box");
    }

    /** The tracks described by the payload of a {@code moov} box. */
    static List<Track> parseMoov(byte[] moov) {
        List<Track> tracks = new ArrayList<>();
        for (int[] trak : children(moov, 0, moov.length, "trak")) {
            int[] mdia = first(moov, trak[0], trak[1], "mdia");
            if (mdia == null) {
                continue;
            }
            int[] hdlr = first(moov, mdia[0], mdia[1], "hdlr");
            String handler = hdlr != null && hdlr[1] - hdlr[0] >= 12 ? fourCc(moov, hdlr[0] + 8) : "";
            Track.Type type = switch (handler) {
                case "vide" -> Track.Type.VIDEO;
                case "soun" -> Track.Type.AUDIO;
                default -> Track.Type.OTHER;
            };
            int[] stsd = path(moov, mdia, "minf", "stbl", "stsd");
            if (stsd == null || stsd[1] - stsd[0] < 16) {
                tracks.add(new Track(type, "", "no sample description"));
                continue;
            }
            int entry = stsd[0] + 8;
            long entrySize = u32(moov, entry);
            String format = fourCc(moov, entry + 4);
            int entryEnd = (int) Math.min(stsd[1], entry + Math.max(entrySize, 8));
            tracks.add(new Track(type, format, codec(moov, format, type, entry + 8, entryEnd)));
        }
        return tracks;
    }

    private static String codec(byte[] b, String format, Track.Type type, int entryPayload, int entryEnd) {
        if (format.equals("encv") || format.equals("enca")) {
            return "encrypted";
        }
        if (format.equals("mp4a") || format.equals("mp4v")) {
            int childrenStart = type == Track.Type.VIDEO || format.equals("mp4v")
                    ? entryPayload + 8 + 70 : entryPayload + 8 + 20 + soundDescriptionExtra(b, entryPayload + 8);
            int[] esds = childrenStart < entryEnd ? first(b, childrenStart, entryEnd, "esds") : null;
            if (esds == null && childrenStart < entryEnd) {
                int[] wave = first(b, childrenStart, entryEnd, "wave");
                esds = wave == null ? null : first(b, wave[0], wave[1], "esds");
            }
            int objectType = esds == null ? -1 : objectTypeIndication(b, esds[0], esds[1]);
            return objectTypeName(objectType, format);
        }
        return SAMPLE_ENTRIES.getOrDefault(format, "'" + printable(format) + "'");
    }

    /** QuickTime sound description versions 1 and 2 carry 16 and 36 more bytes before the child boxes. */
    private static int soundDescriptionExtra(byte[] b, int offset) {
        if (offset + 2 > b.length) {
            return 0;
        }
        int version = ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
        return switch (version) {
            case 1 -> 16;
            case 2 -> 36;
            default -> 0;
        };
    }

    /** The objectTypeIndication of the DecoderConfigDescriptor in an {@code esds} payload, or -1. */
    static int objectTypeIndication(byte[] b, int start, int end) {
        int p = start + 4; // version and flags
        if (p >= end || (b[p] & 0xFF) != 0x03) {
            return -1;
        }
        p = skipLength(b, p + 1, end);
        if (p < 0 || p + 3 > end) {
            return -1;
        }
        int flags = b[p + 2] & 0xFF;
        p += 3;
        if ((flags & 0x80) != 0) {
            p += 2;
        }
        if ((flags & 0x40) != 0 && p < end) {
            p += 1 + (b[p] & 0xFF);
        }
        if ((flags & 0x20) != 0) {
            p += 2;
        }
        if (p >= end || (b[p] & 0xFF) != 0x04) {
            return -1;
        }
        p = skipLength(b, p + 1, end);
        return p < 0 || p >= end ? -1 : b[p] & 0xFF;
    }

    private static int skipLength(byte[] b, int p, int end) {
        for (int i = 0; i < 4 && p < end; i++) {
            if ((b[p++] & 0x80) == 0) {
                return p;
            }
        }
        return -1;
    }

    private static String objectTypeName(int objectType, String format) {
        return switch (objectType) {
            case 0x40, 0x66, 0x67, 0x68 -> "AAC";
            case 0x69, 0x6B -> "MP3";
            case 0x20 -> "MPEG-4 Visual";
            case 0x21 -> "H.264";
            case 0xA5 -> "AC-3";
            case 0xA6 -> "E-AC-3";
            case 0xA9 -> "DTS";
            case 0xAD -> "Opus";
            case 0xDD -> "Vorbis";
            case -1 -> "'" + format + "' without a decoder description";
            default -> "'" + format + "' object type 0x" + Integer.toHexString(objectType);
        };
    }

    private static int[] path(byte[] b, int[] from, String... types) {
        int[] box = from;
        for (String type : types) {
            box = first(b, box[0], box[1], type);
            if (box == null) {
                return null;
            }
        }
        return box;
    }

    private static int[] first(byte[] b, int start, int end, String type) {
        List<int[]> found = children(b, start, end, type);
        return found.isEmpty() ? null : found.getFirst();
    }

    /** Payload ranges {@code [start, end)} of the child boxes of that type between start and end. */
    private static List<int[]> children(byte[] b, int start, int end, String type) {
        List<int[]> found = new ArrayList<>();
        int p = start;
        while (p + 8 <= end) {
            long size = u32(b, p);
            int header = 8;
            if (size == 1 && p + 16 <= end) {
                size = u64(b, p + 8);
                header = 16;
            } else if (size == 0) {
                size = end - p;
            }
            if (size < header || p + size > end) {
                break;
            }
            if (fourCc(b, p + 4).equals(type)) {
                found.add(new int[]{p + header, (int) (p + size)});
            }
            p += (int) size;
        }
        return found;
    }

    private static long u32(byte[] b, int p) {
        if (p + 4 > b.length) {
            return 0;
        }
        return ((b[p] & 0xFFL) << 24) | ((b[p + 1] & 0xFFL) << 16) | ((b[p + 2] & 0xFFL) << 8) | (b[p + 3] & 0xFFL);
    }

    private static long u64(byte[] b, int p) {
        return (u32(b, p) << 32) | u32(b, p + 4);
    }

    private static String fourCc(byte[] b, int p) {
        if (p + 4 > b.length) {
            return "";
        }
        return new String(b, p, 4, StandardCharsets.ISO_8859_1);
    }

    private static String printable(String fourCc) {
        StringBuilder out = new StringBuilder();
        for (char c : fourCc.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return out.toString();
    }
}
