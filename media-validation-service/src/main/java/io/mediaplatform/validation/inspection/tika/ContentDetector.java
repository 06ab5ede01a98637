package io.mediaplatform.validation.inspection.tika;

import io.mediaplatform.validation.inspection.core.Ebml;
import io.mediaplatform.validation.policy.core.MediaTypes;
import org.apache.tika.Tika;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Detects a media's content type from its first bytes only (magic numbers; the file name is never given
 * to the detector, so it cannot sway the answer). Tika's core detector does the bulk; three refinements it
 * lacks without its parser modules are done here:
 * <ul>
 *   <li>ISO base media files: the {@code ftyp} brands decide (Tika calls an {@code isom} MP4 QuickTime);</li>
 *   <li>EBML files: the header's DocType decides, {@code webm} is {@code video/webm} and {@code matroska}
 *       {@code video/x-matroska} (Tika stops at {@code application/x-matroska} for both);</li>
 *   <li>Office OOXML: a zip whose entries include {@code [Content_Types].xml} and {@code word/},
 *       {@code xl/} or {@code ppt/} is a docx, xlsx or pptx; any other zip stays {@code application/zip};</li>
 *   <li>Ogg: a stream starting with an Opus or Vorbis header is {@code audio/ogg}.</li>
 * </ul>
 * Answers are normalised with {@link MediaTypes#normalise}. Thread-safe.
 */
public class ContentDetector {

    private static final Map<String, String> BRANDS = Map.ofEntries(
            Map.entry("isom", "video/mp4"), Map.entry("iso2", "video/mp4"), Map.entry("iso4", "video/mp4"),
            Map.entry("iso5", "video/mp4"), Map.entry("iso6", "video/mp4"), Map.entry("mp41", "video/mp4"),
            Map.entry("mp42", "video/mp4"), Map.entry("avc1", "video/mp4"), Map.entry("dash", "video/mp4"),
            Map.entry("M4V ", "video/mp4"), Map.entry("M4A ", "audio/mp4"), Map.entry("M4B ", "audio/mp4"),
            Map.entry("qt  ", "video/quicktime"));

    private final Tika tika = new Tika();

    /** The content type of media starting with {@code head}; {@link MediaTypes#UNKNOWN} when it cannot tell. */
    public String detect(byte[] head) {
        if (head == null || head.length == 0) {
            return MediaTypes.UNKNOWN;
        }
        String fromBrands = isoBmffType(head);
        if (fromBrands != null) {
            return fromBrands;
        }
        String fromDocType = ebmlType(head);
        if (fromDocType != null) {
            return fromDocType;
        }
        String detected = MediaTypes.normalise(tika.detect(head));
        if (detected == null) {
            return MediaTypes.UNKNOWN;
        }
        if (detected.equals("application/zip") || detected.equals(MediaTypes.OOXML_CONTAINER)) {
            return ooxmlType(head, detected);
        }
        if (detected.equals("application/ogg")) {
            return oggType(head);
        }
        return detected;
    }

    /** The type named by an ISO-BMFF {@code ftyp} box's brands (major first, then compatible), or null. */
    static String isoBmffType(byte[] head) {
        if (head.length < 16 || !ascii(head, 4, 4).equals("ftyp")) {
            return null;
        }
        long boxSize = ((head[0] & 0xFFL) << 24) | ((head[1] & 0xFF) << 16) | ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
        int end = (int) Math.min(Math.max(boxSize, 16), head.length);
        List<String> brands = new ArrayList<>();
        brands.add(ascii(head, 8, 4));
        for (int offset = 16; offset + 4 <= end; offset += 4) {
            brands.add(ascii(head, offset, 4));
        }
        for (String brand : brands) {
            if (brand.startsWith("3gp") || brand.startsWith("3ge") || brand.startsWith("3gg")) {
                return "video/3gpp";
            }
            if (brand.startsWith("3g2")) {
                return "video/3gpp2";
            }
            String type = BRANDS.get(brand);
            if (type != null) {
                return type;
            }
        }
        return null;
    }

    /** The type named by an EBML header's DocType ({@code webm}, {@code matroska}), or null. */
    static String ebmlType(byte[] head) {
        return Ebml.docType(head).map(docType -> switch (docType) {
            case "webm" -> "video/webm";
            case "matroska" -> "video/x-matroska";
            default -> null;
        }).orElse(null);
    }

    /** docx / xlsx / pptx from the zip entry names found in the head, else what Tika said. */
    static String ooxmlType(byte[] head, String fallback) {
        boolean contentTypes = false;
        String office = null;
        for (String name : zipEntryNames(head)) {
            if (name.equals("[Content_Types].xml")) {
                contentTypes = true;
            } else if (office == null && name.startsWith("word/")) {
                office = MediaTypes.DOCX;
            } else if (office == null && name.startsWith("xl/")) {
                office = MediaTypes.XLSX;
            } else if (office == null && name.startsWith("ppt/")) {
                office = MediaTypes.PPTX;
            }
        }
        if (contentTypes && office != null) {
            return office;
        }
        return fallback;
    }

    /** Names of the zip local file headers ({@code PK\3\4}) that start within the head. */
    static List<String> zipEntryNames(byte[] head) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i + 30 <= head.length; i++) {
            if (head[i] == 'P' && head[i + 1] == 'K' && head[i + 2] == 3 && head[i + 3] == 4) {
                int nameLength = (head[i + 26] & 0xFF) | ((head[i + 27] & 0xFF) << 8);
                if (nameLength > 0 && i + 30 + nameLength <= head.length) {
                    names.add(new String(head, i + 30, nameLength, StandardCharsets.UTF_8));
                    i += 29 + nameLength;
                }
            }
        }
        return names;
    }

    /** {@code audio/ogg} for an Ogg stream whose first packet is an Opus or Vorbis header. */
    static String oggType(byte[] head) {
        if (head.length >= 27 && ascii(head, 0, 4).equals("OggS")) {
            int segments = head[26] & 0xFF;
            int packet = 27 + segments;
            if (head.length >= packet + 8) {
                if (ascii(head, packet, 8).equals("OpusHead") || ascii(head, packet + 1, 6).equals("vorbis")) {
                    return "audio/ogg";
                }
                if (ascii(head, packet + 1, 6).equals("theora")) {
                    return "video/ogg";
                }
            }
        }
        return "application/ogg";
    }

    private static String ascii(byte[] bytes, int offset, int length) {
        if (offset + length > bytes.length) {
            return "";
        }
        return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }
}
