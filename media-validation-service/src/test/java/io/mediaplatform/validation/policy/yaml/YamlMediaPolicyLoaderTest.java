package io.mediaplatform.validation.policy.yaml;

import io.mediaplatform.validation.policy.core.Kind;
import io.mediaplatform.validation.policy.core.KindRule;
import io.mediaplatform.validation.policy.core.MediaChannel;
import io.mediaplatform.validation.policy.core.MediaDirection;
import io.mediaplatform.validation.policy.core.MediaPolicy;
import io.mediaplatform.validation.policy.core.MediaTypes;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class YamlMediaPolicyLoaderTest {

    private final MediaPolicy policy = YamlMediaPolicyLoader.load(new ClassPathResource("media-policy.yml"));

    private KindRule rule(MediaChannel channel, Kind kind) {
        return policy.rules(channel).orElseThrow().rule(kind).orElseThrow();
    }

    @Test
    void ships_the_whatsapp_limits_of_the_design() {
        // Given the policy shipped in the jar
        // Then WhatsApp images are jpeg/png up to 5 MB, stickers webp up to 100 KB, documents include Office
        assertThat(rule(MediaChannel.WHATSAPP, Kind.IMAGE).contentTypes()).containsExactlyInAnyOrder("image/jpeg", "image/png");
        assertThat(rule(MediaChannel.WHATSAPP, Kind.IMAGE).maxBytes()).isEqualTo(5L * 1024 * 1024);
        assertThat(rule(MediaChannel.WHATSAPP, Kind.STICKER).contentTypes()).containsExactly("image/webp");
        assertThat(rule(MediaChannel.WHATSAPP, Kind.STICKER).maxBytes()).isEqualTo(100L * 1024);
        assertThat(rule(MediaChannel.WHATSAPP, Kind.DOCUMENT).contentTypes()).contains("application/pdf", "text/plain", MediaTypes.DOCX);
        assertThat(rule(MediaChannel.WHATSAPP, Kind.DOCUMENT).maxBytes()).isEqualTo(100L * 1024 * 1024);
    }

    @Test
    void has_every_channel_and_no_stickers_on_mms_or_rcs() {
        assertThat(policy.channels()).containsOnlyKeys(MediaChannel.values());
        assertThat(policy.rules(MediaChannel.MMS).orElseThrow().rule(Kind.STICKER)).isEmpty();
        assertThat(policy.rules(MediaChannel.RCS).orElseThrow().rule(Kind.STICKER)).isEmpty();
        for (Kind kind : new Kind[]{Kind.IMAGE, Kind.VIDEO, Kind.AUDIO, Kind.DOCUMENT}) {
            assertThat(rule(MediaChannel.EMAIL, kind).maxBytes()).isEqualTo(40L * 1024 * 1024);
        }
    }

    @Test
    void refuses_a_policy_naming_an_unknown_kind() {
        // Given a policy with a typo in a kind
        String yaml = "channels:\n  WHATSAPP:\n    IMAGES: { types: [image/png], max-size: 5MB }\n";

        // When / Then
        assertThatThrownBy(() -> YamlMediaPolicyLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yml"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test.yml").hasMessageContaining("unknown kind IMAGES");
    }

    @Test
    void normalises_type_aliases_in_the_file() {
        String yaml = "channels:\n  MMS:\n    IMAGE: { types: [image/jpg], max-size: 1 MB }\n";

        MediaPolicy parsed = YamlMediaPolicyLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yml");

        KindRule image = parsed.rules(MediaChannel.MMS).orElseThrow().rule(Kind.IMAGE).orElseThrow();
        assertThat(image.contentTypes()).containsExactly("image/jpeg");
        assertThat(image.maxBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void ships_the_whatsapp_codec_rule_and_the_animated_sticker_limit() {
        assertThat(rule(MediaChannel.WHATSAPP, Kind.VIDEO).codecs().video()).containsExactly("H.264");
        assertThat(rule(MediaChannel.WHATSAPP, Kind.VIDEO).codecs().audio()).containsExactly("AAC");
        assertThat(rule(MediaChannel.WHATSAPP, Kind.STICKER).animatedMaxBytes()).isEqualTo(500L * 1024);
        assertThat(rule(MediaChannel.WEBCHAT, Kind.VIDEO).codecs().restricts()).isFalse();
    }

    @Test
    void applies_a_tenant_override_only_to_that_tenant_keeping_the_fields_it_leaves_out() {
        // Given a policy where tenant acme allows WhatsApp images of 2 MB only and 
        String yaml = """
                channels:
                  WHATSAPP:
                    IMAGE: { types: [image/jpeg, image/png], max-size: 5MB }
                    VIDEO: { types: [video/mp4], max-size: 16MB, codecs: { video: [H.264], audio: [AAC] } }
                tenants:
                  acme:
                    WHATSAPP:
                      IMAGE: { max-size: 2MB }
                      VIDEO: { codecs: { video: [H.264, H.265] } }
                """;

        // When it is parsed
        MediaPolicy parsed = YamlMediaPolicyLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yml");

        // Then acme gets 2 MB with the default types, other tenants 5 MB
        KindRule acmeImage = parsed.rule("acme", MediaChannel.WHATSAPP, Kind.IMAGE).orElseThrow();
        assertThat(acmeImage.maxBytes()).isEqualTo(2L * 1024 * 1024);
        assertThat(acmeImage.contentTypes()).containsExactlyInAnyOrder("image/jpeg", "image/png");
        assertThat(parsed.rule("other", MediaChannel.WHATSAPP, Kind.IMAGE).orElseThrow().maxBytes()).isEqualTo(5L * 1024 * 1024);
        // And acme's video takes H.265 too, any audio codec, with the default size
        KindRule acmeVideo = parsed.rule("acme", MediaChannel.WHATSAPP, Kind.VIDEO).orElseThrow();
        assertThat(acmeVideo.codecs().video()).containsExactlyInAnyOrder("H.264", "H.265");
        assertThat(acmeVideo.codecs().audio()).isEmpty();
        assertThat(acmeVideo.maxBytes()).isEqualTo(16L * 1024 * 1024);
    }

    @Test
    void applies_an_inbound_sub_rule_to_inbound_media_only() {
        // Given WhatsApp documents of 100 MB, but only 20 MB from customers
        String yaml = """
                channels:
                  WHATSAPP:
                    DOCUMENT: { types: [application/pdf], max-size: 100MB, inbound: { max-size: 20MB } }
                """;

        KindRule document = YamlMediaPolicyLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yml")
                .rule(null, MediaChannel.WHATSAPP, Kind.DOCUMENT).orElseThrow();

        // Then inbound gets 20 MB with the kind's types, outbound 100 MB
        assertThat(document.forDirection(MediaDirection.INBOUND).maxBytes()).isEqualTo(20L * 1024 * 1024);
        assertThat(document.forDirection(MediaDirection.INBOUND).contentTypes()).containsExactly("application/pdf");
        assertThat(document.forDirection(MediaDirection.OUTBOUND).maxBytes()).isEqualTo(100L * 1024 * 1024);
    }
}
