package io.mediaplatform.validation.conversion.core;

import io.mediaplatform.validation.MediaFiles;
import io.mediaplatform.validation.TestImages;
import io.mediaplatform.validation.inspection.tika.ContentDetector;
import io.mediaplatform.validation.inbox.core.InboxMediaRules;
import io.mediaplatform.validation.inspection.core.ByteSource;
import io.mediaplatform.validation.inspection.core.BytesProbe;
import io.mediaplatform.validation.policy.core.AutoFit;
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
import org.springframework.core.io.ClassPathResource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Auto-fit decisions over real files, judged by the shipped policy (and small policies of a test's own). */
class FitPlannerTest {

    private static final MediaPolicy SHIPPED = YamlMediaPolicyLoader.load(new ClassPathResource("media-policy.yml"));
    private static final ContentDetector DETECTOR = new ContentDetector();

    private static ValidationRequest request(String tenant, byte[] bytes, MediaChannel channel, MediaDirection direction,
                                             Kind kind, String declared, String name, long size) {
        return new ValidationRequest(tenant, channel, direction, kind, declared, name, DETECTOR.detect(bytes), size,
                InboxMediaRules.open("inbox-1"), new BytesProbe(ByteSource.of(bytes), 8 << 20));
    }

    private static MediaPolicy policy(String yaml) {
        return YamlMediaPolicyLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
    }

    /** An outbound image of tenant-a, as big as its bytes. */
    private static ValidationRequest outbound(byte[] bytes, MediaChannel channel, String declared, String name) {
        return request("tenant-a", bytes, channel, MediaDirection.OUTBOUND, Kind.IMAGE, declared, name, bytes.length);
    }

    private static FitPlan plan(MediaPolicy policy, AutoFit defaultFit, ValidationRequest request) {
        Validator validator = new Validator(policy);
        return new FitPlanner(validator, defaultFit, true).plan(request, validator.decide(request));
    }

    @Test
    void converts_an_outbound_webp_photo_for_whatsapp_to_jpeg_or_png_under_the_image_limit() {
        // Given a WebP photo sent as a WhatsApp image (WhatsApp images are JPEG or PNG)
        byte[] webp = MediaFiles.bytes("photo.webp");
        ValidationRequest request = outbound(webp, MediaChannel.WHATSAPP, "image/webp", "photo.webp");

        // When / Then: it is to be converted, curing the UNSUPPORTED_TYPE rejection
        assertThat(plan(SHIPPED, AutoFit.IMAGES, request)).isInstanceOfSatisfying(FitPlan.Convert.class, convert -> {
            assertThat(convert.because().reason()).isEqualTo(Reason.UNSUPPORTED_TYPE);
            assertThat(convert.from()).isEqualTo("image/webp");
            assertThat(convert.targets()).containsExactly("image/jpeg", "image/png");
            assertThat(convert.maxBytes()).isEqualTo(5L << 20);
        });
    }

    @Test
    void converts_a_png_over_the_mms_limit_and_keeps_rejections_that_no_conversion_cures() {
        // Given a PNG the event says is 6 MB, sent by MMS (5 MB): TOO_LARGE, to be converted
        byte[] png = MediaFiles.bytes("photo.png");
        assertThat(plan(SHIPPED, AutoFit.IMAGES, request("tenant-a", png, MediaChannel.MMS, MediaDirection.OUTBOUND,
                Kind.IMAGE, "image/png", "photo.png", 6L << 20))).isInstanceOf(FitPlan.Convert.class);
        // A truncated PNG stays rejected (corrupt, not fixable)
        byte[] truncated = MediaFiles.bytes("truncated.png");
        assertThat(plan(SHIPPED, AutoFit.IMAGES, request("tenant-a", truncated, MediaChannel.WHATSAPP,
                MediaDirection.OUTBOUND, Kind.IMAGE, "image/png", "photo.png", truncated.length))).isInstanceOf(FitPlan.Keep.class);
        // An animated WebP sent as an image stays rejected (no still stands for it)
        byte[] animated = MediaFiles.bytes("sticker-animated.webp");
        assertThat(plan(SHIPPED, AutoFit.IMAGES, request("tenant-a", animated, MediaChannel.WHATSAPP,
                MediaDirection.OUTBOUND, Kind.IMAGE, "image/webp", "a.webp", animated.length))).isInstanceOf(FitPlan.Keep.class);
        // A sticker over its limit stays rejected (stickers are not converted)
        byte[] sticker = MediaFiles.bytes("sticker.webp");
        assertThat(plan(SHIPPED, AutoFit.IMAGES, request("tenant-a", sticker, MediaChannel.WHATSAPP,
                MediaDirection.OUTBOUND, Kind.STICKER, "image/webp", "s.webp", 200 << 10))).isInstanceOf(FitPlan.Keep.class);
        // An inbound WebP is never touched (the customer's media is kept as it came)
        byte[] webp = MediaFiles.bytes("photo.webp");
        assertThat(plan(SHIPPED, AutoFit.IMAGES, request("tenant-a", webp, MediaChannel.WHATSAPP, MediaDirection.INBOUND,
                Kind.IMAGE, "image/webp", "photo.webp", webp.length))).isInstanceOf(FitPlan.Keep.class);
        // A PDF sent as an image stays rejected (not an image)
        byte[] pdf = MediaFiles.bytes("invoice.pdf");
        assertThat(plan(SHIPPED, AutoFit.IMAGES, request("tenant-a", pdf, MediaChannel.WHATSAPP, MediaDirection.OUTBOUND,
                Kind.IMAGE, "application/pdf", "invoice.pdf", pdf.length))).isInstanceOf(FitPlan.Keep.class);
    }

    @Test
    void keeps_todays_rejection_when_auto_fit_is_off_by_default_or_for_one_tenants_channel_kind() {
        // Given the WebP photo for WhatsApp
        byte[] webp = MediaFiles.bytes("photo.webp");
        // When auto-fit is off by default (VALIDATION_AUTO_FIT=off) / Then the rejection stands
        assertThat(plan(SHIPPED, AutoFit.OFF, outbound(webp, MediaChannel.WHATSAPP, "image/webp", "photo.webp")))
                .isInstanceOf(FitPlan.Keep.class);

        // Given a policy whose tenant acme turns auto-fit off for WhatsApp images, and another tenant on for MMS
        MediaPolicy policy = policy("""
                channels:
                  WHATSAPP:
                    IMAGE: { types: [image/jpeg, image/png], max-size: 5MB }
                  MMS:
                    IMAGE: { types: [image/jpeg], max-size: 1MB, auto-fit: off }
                tenants:
                  acme:
                    WHATSAPP:
                      IMAGE: { auto-fit: off }
                  globex:
                    MMS:
                      IMAGE: { auto-fit: images }
                """);
        // Then acme's WebP is rejected as today, tenant-a's converted
        assertThat(plan(policy, AutoFit.IMAGES, request("acme", webp, MediaChannel.WHATSAPP, MediaDirection.OUTBOUND,
                Kind.IMAGE, "image/webp", "photo.webp", webp.length))).isInstanceOf(FitPlan.Keep.class);
        assertThat(plan(policy, AutoFit.IMAGES, outbound(webp, MediaChannel.WHATSAPP, "image/webp", "photo.webp")))
                .isInstanceOf(FitPlan.Convert.class);
        // And MMS images (off for the channel) are converted only for globex, whose override turns it on
        assertThat(plan(policy, AutoFit.IMAGES, outbound(webp, MediaChannel.MMS, "image/webp", "photo.webp")))
                .isInstanceOf(FitPlan.Keep.class);
        assertThat(plan(policy, AutoFit.IMAGES, request("globex", webp, MediaChannel.MMS, MediaDirection.OUTBOUND,
                Kind.IMAGE, "image/webp", "photo.webp", webp.length)))
                .isInstanceOfSatisfying(FitPlan.Convert.class, convert -> assertThat(convert.targets()).containsExactly("image/jpeg"));
    }

    @Test
    void copies_an_accepted_outbound_jpeg_without_its_location_unless_strip_location_is_off() {
        // Given a JPEG with GPS EXIF that passes WhatsApp's rules
        byte[] jpeg = TestImages.jpegWithGps(TestImages.picture(64, 48, false), 1);
        ValidationRequest request = outbound(jpeg, MediaChannel.WHATSAPP, "image/jpeg", "photo.jpg");

        // When / Then: accepted, and to be sent as a copy without its location
        assertThat(plan(SHIPPED, AutoFit.IMAGES, request)).isInstanceOfSatisfying(FitPlan.StripLocation.class,
                strip -> assertThat(strip.accepted()).isEqualTo(new Decision.Accepted(Kind.IMAGE, "image/jpeg")));
        // A JPEG without location is sent as it is
        byte[] plain = MediaFiles.bytes("photo.jpg");
        assertThat(plan(SHIPPED, AutoFit.IMAGES, outbound(plain, MediaChannel.WHATSAPP, "image/jpeg", "photo.jpg")))
                .isInstanceOf(FitPlan.Keep.class);
        // strip-location: false for the kind keeps the JPEG as it is
        MediaPolicy keeping = policy("""
                channels:
                  WHATSAPP:
                    IMAGE: { types: [image/jpeg], max-size: 5MB, strip-location: false }
                """);
        assertThat(plan(keeping, AutoFit.IMAGES, request)).isInstanceOf(FitPlan.Keep.class);
    }

    @Test
    void converts_video_and_audio_only_with_auto_fit_all_and_ffmpeg_there() {
        // Given an H.265 MP4 sent as a WhatsApp video (H.264 + AAC only): CODEC_UNSUPPORTED
        byte[] h265 = MediaFiles.bytes("clip-h265.mp4");
        ValidationRequest video = request("tenant-a", h265, MediaChannel.WHATSAPP, MediaDirection.OUTBOUND, Kind.VIDEO,
                "video/mp4", "clip.mp4", h265.length);
        Validator validator = new Validator(SHIPPED);
        Decision rejected = validator.decide(video);

        // When auto-fit is all and ffmpeg is there / Then it is to become an MP4 (H.264 + AAC) under 16 MB
        assertThat(new FitPlanner(validator, AutoFit.ALL, true, true).plan(video, rejected))
                .isInstanceOfSatisfying(FitPlan.Convert.class, convert -> {
                    assertThat(convert.because().reason()).isEqualTo(Reason.CODEC_UNSUPPORTED);
                    assertThat(convert.targets()).containsExactly("video/mp4");
                    assertThat(convert.maxBytes()).isEqualTo(16L << 20);
                });
        // A WebM clip for WhatsApp as well
        byte[] webm = MediaFiles.bytes("clip.webm");
        ValidationRequest clip = request("tenant-a", webm, MediaChannel.WHATSAPP, MediaDirection.OUTBOUND, null,
                "video/webm", "clip.webm", webm.length);
        assertThat(new FitPlanner(validator, AutoFit.ALL, true, true).plan(clip, validator.decide(clip)))
                .isInstanceOf(FitPlan.Convert.class);
        // Without ffmpeg, or with auto-fit images, the rejection stands
        assertThat(new FitPlanner(validator, AutoFit.ALL, true, false).plan(video, rejected)).isInstanceOf(FitPlan.Keep.class);
        assertThat(new FitPlanner(validator, AutoFit.IMAGES, true, true).plan(video, rejected)).isInstanceOf(FitPlan.Keep.class);
    }

    @Test
    void a_tenant_or_a_tenant_and_channel_override_the_service_mode_and_the_policy_file_wins_over_both() {
        // Given an H.265 MP4 sent as a WhatsApp video by acme and by globex, the service on all with ffmpeg there
        byte[] h265 = MediaFiles.bytes("clip-h265.mp4");
        Validator validator = new Validator(SHIPPED);
        FitDefaults defaults = new FitDefaults(AutoFit.ALL,
                FitDefaults.parseTenants("acme=images; globex:whatsapp=off;globex=all"));
        FitPlanner planner = new FitPlanner(validator, defaults, true, true);
        ValidationRequest acme = request("acme", h265, MediaChannel.WHATSAPP, MediaDirection.OUTBOUND, Kind.VIDEO,
                "video/mp4", "clip.mp4", h265.length);
        ValidationRequest globex = request("globex", h265, MediaChannel.WHATSAPP, MediaDirection.OUTBOUND, Kind.VIDEO,
                "video/mp4", "clip.mp4", h265.length);
        ValidationRequest initech = request("initech", h265, MediaChannel.WHATSAPP, MediaDirection.OUTBOUND, Kind.VIDEO,
                "video/mp4", "clip.mp4", h265.length);

        // Then acme (images) and globex on WhatsApp (off) keep the rejection; a tenant without an entry converts
        assertThat(planner.plan(acme, validator.decide(acme))).isInstanceOf(FitPlan.Keep.class);
        assertThat(planner.plan(globex, validator.decide(globex))).isInstanceOf(FitPlan.Keep.class);
        assertThat(planner.plan(initech, validator.decide(initech))).isInstanceOf(FitPlan.Convert.class);
        assertThat(defaults.modeFor("globex", MediaChannel.MMS)).isEqualTo(AutoFit.ALL);

        // And a kind rule of the policy file that sets auto-fit wins over the tenant's entry
        Validator filed = new Validator(policy("""
                channels:
                  WHATSAPP:
                    VIDEO: { types: [video/mp4], max-size: 16MB, codecs: { video: [H.264], audio: [AAC] }, auto-fit: all }
                """));
        assertThat(new FitPlanner(filed, defaults, true, true).plan(acme, filed.decide(acme))).isInstanceOf(FitPlan.Convert.class);
    }

    @Test
    void a_bad_tenant_entry_names_itself() {
        assertThat(FitDefaults.parseTenants("")).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FitDefaults.parseTenants("acme"))
                .hasMessageContaining("'acme' is not <tenantId>=<mode>");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FitDefaults.parseTenants("acme:FAX=off"))
                .hasMessageContaining("unknown channel FAX");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FitDefaults.parseTenants("acme=some"))
                .hasMessageContaining("auto-fit must be off, images or all, not some");
    }

    @Test
    void a_failed_conversion_keeps_the_original_reason_and_says_why_and_a_rendition_is_renamed_to_its_type() {
        Decision.Rejected because = new Decision.Rejected(Reason.TOO_LARGE, "7 MB is over the 5 MB limit for WHATSAPP image");
        FitPlan.Convert plan = new FitPlan.Convert(because, Kind.IMAGE, "image/png", List.of("image/jpeg"), 5L << 20);

        assertThat(FitPlanner.failed(plan, "no JPEG of it came under 5 MB")).isEqualTo(new Decision.Rejected(Reason.TOO_LARGE,
                "7 MB is over the 5 MB limit for WHATSAPP image; auto-fit could not fix it: no JPEG of it came under 5 MB"));
        assertThat(FitPlanner.renamed("holiday.photo.webp", "image/jpeg")).isEqualTo("holiday.photo.jpg");
        assertThat(FitPlanner.renamed("scan", "image/png")).isEqualTo("scan.png");
    }
}
