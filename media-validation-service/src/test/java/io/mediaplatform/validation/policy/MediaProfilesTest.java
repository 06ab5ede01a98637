package io.mediaplatform.validation.policy;

import io.mediaplatform.validation.MediaFiles;
import io.mediaplatform.validation.inspection.tika.ContentDetector;
import io.mediaplatform.validation.inbox.core.InboxMediaRules;
import io.mediaplatform.validation.inspection.core.ByteSource;
import io.mediaplatform.validation.inspection.core.BytesProbe;
import io.mediaplatform.validation.policy.core.Decision;
import io.mediaplatform.validation.policy.core.Kind;
import io.mediaplatform.validation.policy.core.MediaChannel;
import io.mediaplatform.validation.policy.core.MediaDirection;
import io.mediaplatform.validation.policy.core.MediaPolicy;
import io.mediaplatform.validation.policy.core.Reason;
import io.mediaplatform.validation.policy.core.ValidationRequest;
import io.mediaplatform.validation.policy.core.Validator;
import io.mediaplatform.validation.policy.yaml.YamlMediaPolicyLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.core.io.ClassPathResource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shipped profiles ({@code media-profiles.yml}) judged row by row against the tables of the products they come
 * from, over real files: every type a row lists is accepted, a type it leaves out is refused, and its size limit holds
 * to the byte (on a channel whose own limit is no lower, so the profile's limit is the one that binds). A tenant
 * chooses a profile by configuration, an inbox by its media settings; the inbox's wins.
 */
class MediaProfilesTest {

    private static final MediaPolicy POLICY = YamlMediaPolicyLoader.load(new ClassPathResource("media-policy.yml"),
            new ClassPathResource("media-profiles.yml"), Map.of("tenant-notify", "notification-api"));
    private static final Validator VALIDATOR = new Validator(POLICY);
    private static final ContentDetector DETECTOR = new ContentDetector();
    private static final long MB = 1L << 20;

    private static Decision decide(String profile, MediaChannel channel, Kind kind, String file, long size) {
        return decide("tenant-a", new InboxMediaRules("inbox-1", true, true, null, profile), channel, kind, file, size);
    }

    private static Decision decide(String tenant, InboxMediaRules inbox, MediaChannel channel, Kind kind, String file,
                                   long size) {
        byte[] bytes = MediaFiles.bytes(file);
        return VALIDATOR.decide(new ValidationRequest(tenant, channel, MediaDirection.OUTBOUND, kind, null, file,
                DETECTOR.detect(bytes), size, inbox, new BytesProbe(ByteSource.of(bytes), 8 << 20)));
    }

    private static long real(String file) {
        return MediaFiles.bytes(file).length;
    }

    @ParameterizedTest(name = "{0}: {2} {3} is accepted")
    @CsvSource({
            // chat-flow: documents pdf, doc(x), xls(x), ppt(x); images jpeg, png; audio aac, amr, mp4, mp3, opus; video mp4
            "chat-flow, WHATSAPP, DOCUMENT, invoice.pdf",
            "chat-flow, WHATSAPP, DOCUMENT, report.docx",
            "chat-flow, WHATSAPP, DOCUMENT, sheet.xlsx",
            "chat-flow, WHATSAPP, DOCUMENT, slides.pptx",
            "chat-flow, WHATSAPP, IMAGE, photo.jpg",
            "chat-flow, WHATSAPP, IMAGE, photo.png",
            "chat-flow, WHATSAPP, AUDIO, voice.aac",
            "chat-flow, WHATSAPP, AUDIO, voice.amr",
            "chat-flow, WHATSAPP, AUDIO, voice.m4a",
            "chat-flow, WHATSAPP, AUDIO, voice.mp3",
            "chat-flow, WHATSAPP, AUDIO, voice.ogg",
            "chat-flow, WHATSAPP, VIDEO, clip.mp4",
            // occ: audio aac, amr, mp3, m4a, ogg; documents txt, xls(x), doc(x), ppt(x), pdf; images jpeg, png; video 3gp, mp4
            "occ, WHATSAPP, AUDIO, voice.aac",
            "occ, WHATSAPP, AUDIO, voice.amr",
            "occ, WHATSAPP, AUDIO, voice.mp3",
            "occ, WHATSAPP, AUDIO, voice.m4a",
            "occ, WHATSAPP, AUDIO, voice.ogg",
            "occ, WHATSAPP, DOCUMENT, notes.txt",
            "occ, WHATSAPP, DOCUMENT, sheet.xlsx",
            "occ, WHATSAPP, DOCUMENT, report.docx",
            "occ, WHATSAPP, DOCUMENT, slides.pptx",
            "occ, WHATSAPP, DOCUMENT, invoice.pdf",
            "occ, WHATSAPP, IMAGE, photo.jpg",
            "occ, WHATSAPP, IMAGE, photo.png",
            "occ, WHATSAPP, VIDEO, clip.3gp",
            "occ, WHATSAPP, VIDEO, clip.mp4",
            // notification-api: image jpg, png; video mp4, 3gpp (H.264 + AAC); document pdf; audio aac, mp3, amr
            "notification-api, WHATSAPP, IMAGE, photo.jpg",
            "notification-api, WHATSAPP, IMAGE, photo.png",
            "notification-api, WHATSAPP, VIDEO, clip.mp4",
            "notification-api, WHATSAPP, VIDEO, clip.3gp",
            "notification-api, WHATSAPP, DOCUMENT, invoice.pdf",
            "notification-api, WHATSAPP, AUDIO, voice.aac",
            "notification-api, WHATSAPP, AUDIO, voice.mp3",
            "notification-api, WHATSAPP, AUDIO, voice.amr",
            // hybrid-chat: any type (on a channel that carries it)
            "hybrid-chat, EMAIL, IMAGE, image.gif",
            "hybrid-chat, EMAIL, DOCUMENT, slides.pptx",
            "hybrid-chat, EMAIL, VIDEO, clip.3gp",
            "hybrid-chat, EMAIL, AUDIO, voice.ogg",
    })
    void accepts_every_type_the_products_table_lists(String profile, MediaChannel channel, Kind kind, String file) {
        assertThat(decide(profile, channel, kind, file, real(file))).isInstanceOf(Decision.Accepted.class);
    }

    @ParameterizedTest(name = "{0}: {2} {3} is refused")
    @CsvSource({
            "chat-flow, WHATSAPP, DOCUMENT, notes.txt",
            "chat-flow, WEBCHAT, IMAGE, image.gif",
            "chat-flow, WHATSAPP, VIDEO, clip.3gp",
            "occ, WEBCHAT, IMAGE, image.gif",
            "notification-api, WHATSAPP, DOCUMENT, report.docx",
            "notification-api, WHATSAPP, DOCUMENT, notes.txt",
            "notification-api, WHATSAPP, AUDIO, voice.ogg",
            "notification-api, WEBCHAT, IMAGE, image.gif",
    })
    void refuses_a_type_the_products_table_leaves_out_naming_the_profile(String profile, MediaChannel channel, Kind kind,
                                                                         String file) {
        assertThat(decide(profile, channel, kind, file, real(file))).isInstanceOfSatisfying(Decision.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.UNSUPPORTED_TYPE);
            assertThat(r.message()).contains("under the " + profile + " profile");
        });
    }

    @ParameterizedTest(name = "{0}: {2} up to {4} MB")
    @CsvSource({
            "chat-flow, WHATSAPP, DOCUMENT, invoice.pdf, 20",
            "chat-flow, EMAIL, IMAGE, photo.png, 5",
            "chat-flow, EMAIL, AUDIO, voice.mp3, 16",
            "chat-flow, EMAIL, VIDEO, clip.mp4, 5",
            "occ, EMAIL, AUDIO, voice.m4a, 16",
            "occ, EMAIL, IMAGE, photo.jpg, 5",
            "occ, EMAIL, VIDEO, clip.mp4, 16",
            "notification-api, EMAIL, IMAGE, photo.jpg, 5",
            "notification-api, EMAIL, VIDEO, clip.mp4, 5",
            "notification-api, EMAIL, DOCUMENT, invoice.pdf, 5",
            "hybrid-chat, EMAIL, DOCUMENT, report.docx, 5",
            "hybrid-chat, EMAIL, IMAGE, photo.png, 5",
    })
    void holds_the_products_size_limit_to_the_byte(String profile, MediaChannel channel, Kind kind, String file, long mb) {
        assertThat(decide(profile, channel, kind, file, mb * MB)).isInstanceOf(Decision.Accepted.class);
        assertThat(decide(profile, channel, kind, file, mb * MB + 1)).isInstanceOfSatisfying(Decision.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.TOO_LARGE);
            assertThat(r.message()).contains(mb + " MB limit for " + kind.label() + " media under the " + profile + " profile");
        });
    }

    @Test
    void the_notification_api_takes_only_h264_video_with_aac_audio_even_where_the_channel_takes_any_codec() {
        // Given e-mail, which takes any MP4, and the notification-api profile (H.264 + AAC only)
        // When an H.265 clip and an MP3-in-MP4 clip are judged, Then both are refused for their codec
        assertThat(decide("notification-api", MediaChannel.EMAIL, Kind.VIDEO, "clip-h265.mp4", real("clip-h265.mp4")))
                .isInstanceOfSatisfying(Decision.Rejected.class, r -> {
                    assertThat(r.reason()).isEqualTo(Reason.CODEC_UNSUPPORTED);
                    assertThat(r.message()).contains("H.265").contains("notification-api");
                });
        assertThat(decide("notification-api", MediaChannel.EMAIL, Kind.VIDEO, "clip-mp3-audio.mp4", real("clip-mp3-audio.mp4")))
                .isInstanceOfSatisfying(Decision.Rejected.class, r -> assertThat(r.message()).contains("MP3"));
        // And without the profile e-mail takes the H.265 clip
        assertThat(decide(null, MediaChannel.EMAIL, Kind.VIDEO, "clip-h265.mp4", real("clip-h265.mp4")))
                .isInstanceOf(Decision.Accepted.class);
    }

    @Test
    void the_channel_rule_still_binds_where_it_is_stricter_than_the_profile() {
        // occ allows 100 MB documents (as WhatsApp does), MMS carries 5 MB: a 6 MB PDF on MMS is refused by MMS's rule
        assertThat(decide("occ", MediaChannel.WHATSAPP, Kind.DOCUMENT, "invoice.pdf", 100 * MB))
                .isInstanceOf(Decision.Accepted.class);
        assertThat(decide("occ", MediaChannel.MMS, Kind.DOCUMENT, "invoice.pdf", 6 * MB))
                .isInstanceOfSatisfying(Decision.Rejected.class, r -> assertThat(r.message()).contains("limit for MMS document"));
    }

    @Test
    void a_kind_the_profile_does_not_carry_is_refused() {
        assertThat(decide("notification-api", MediaChannel.WHATSAPP, Kind.STICKER, "sticker.webp", real("sticker.webp")))
                .isInstanceOfSatisfying(Decision.Rejected.class, r -> {
                    assertThat(r.reason()).isEqualTo(Reason.UNSUPPORTED_TYPE);
                    assertThat(r.message()).isEqualTo("The notification-api media profile does not carry sticker media");
                });
    }

    @Test
    void a_tenant_profile_applies_unless_the_inbox_names_its_own() {
        InboxMediaRules plain = InboxMediaRules.open("inbox-1");
        // Given tenant-notify configured with notification-api: a Word document on WhatsApp is refused
        assertThat(decide("tenant-notify", plain, MediaChannel.WHATSAPP, Kind.DOCUMENT, "report.docx", real("report.docx")))
                .isInstanceOfSatisfying(Decision.Rejected.class, r -> assertThat(r.message()).contains("notification-api"));
        // When one of its inboxes names occ, Then that inbox's Word document is accepted
        InboxMediaRules occ = new InboxMediaRules("inbox-occ", true, true, null, "occ");
        assertThat(decide("tenant-notify", occ, MediaChannel.WHATSAPP, Kind.DOCUMENT, "report.docx", real("report.docx")))
                .isInstanceOf(Decision.Accepted.class);
        // And another tenant without a profile keeps the channel's rules
        assertThat(decide("tenant-a", plain, MediaChannel.WHATSAPP, Kind.DOCUMENT, "report.docx", real("report.docx")))
                .isInstanceOf(Decision.Accepted.class);
    }

    @Test
    void an_inbox_naming_an_undefined_profile_gets_no_media_through() {
        assertThat(decide("nonesuch", MediaChannel.WHATSAPP, Kind.IMAGE, "photo.png", real("photo.png")))
                .isInstanceOfSatisfying(Decision.Rejected.class,
                        r -> assertThat(r.message()).contains("media profile nonesuch").contains("not defined"));
    }

    @Test
    void a_tenant_given_an_undefined_profile_stops_the_start() {
        assertThatThrownBy(() -> YamlMediaPolicyLoader.load(new ClassPathResource("media-policy.yml"),
                new ClassPathResource("media-profiles.yml"), YamlMediaPolicyLoader.tenantProfiles("acme=nonesuch")))
                .hasMessageContaining("acme").hasMessageContaining("nonesuch").hasMessageContaining("notification-api");
        assertThatThrownBy(() -> YamlMediaPolicyLoader.tenantProfiles("acme"))
                .hasMessageContaining("<tenantId>=<profile>");
    }
}
