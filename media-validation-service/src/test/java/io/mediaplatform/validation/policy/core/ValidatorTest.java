package io.mediaplatform.validation.policy.core;

import io.mediaplatform.validation.inbox.core.InboxMediaRules;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The validator's rules and their order, on a policy built in code. */
class ValidatorTest {

    private static final MediaPolicy POLICY = new MediaPolicy(Map.of(
            MediaChannel.WHATSAPP, new ChannelRules(Map.of(
                    Kind.IMAGE, new KindRule(Set.of("image/jpeg", "image/png"), 5L << 20),
                    Kind.DOCUMENT, new KindRule(Set.of("application/pdf", "application/msword", MediaTypes.DOCX), 100L << 20))),
            MediaChannel.MMS, new ChannelRules(Map.of(
                    Kind.IMAGE, new KindRule(Set.of("image/jpeg"), 5L << 20)))));
    private final Validator validator = new Validator(POLICY);

    private static ValidationRequest request(MediaChannel channel, Kind kind, String declared, String name, String detected,
                                             long size, MediaDirection direction, InboxMediaRules inbox) {
        return new ValidationRequest(channel, direction, kind, declared, name, detected, size, inbox);
    }

    @Test
    void checks_the_inbox_switch_before_anything_else_so_the_customer_always_gets_the_inbox_message() {
        // Given an empty, mistyped file sent by a customer to an inbox with receive off
        InboxMediaRules off = new InboxMediaRules("in-1", true, false, "No files please");

        // When
        Decision decision = validator.decide(request(MediaChannel.WHATSAPP, null, "image/png", "x.png", "application/pdf",
                0, MediaDirection.INBOUND, off));

        // Then MEDIA_DISABLED wins
        assertThat(decision).isEqualTo(new Decision.Rejected(Reason.MEDIA_DISABLED,
                "Inbox in-1 does not accept media from customers", "No files please"));
    }

    @Test
    void finds_a_mismatch_before_judging_type_and_size() {
        Decision decision = validator.decide(request(MediaChannel.WHATSAPP, Kind.IMAGE, "image/jpeg", "a.jpg",
                "application/x-msdownload", 50L << 20, MediaDirection.OUTBOUND, null));

        assertThat(((Decision.Rejected) decision).reason()).isEqualTo(Reason.TYPE_MISMATCH);
    }

    @Test
    void judges_the_type_before_the_size() {
        Decision decision = validator.decide(request(MediaChannel.WHATSAPP, Kind.IMAGE, "image/gif", "a.gif",
                "image/gif", 50L << 20, MediaDirection.OUTBOUND, null));

        assertThat(((Decision.Rejected) decision).reason()).isEqualTo(Reason.UNSUPPORTED_TYPE);
    }

    @Test
    void refuses_a_kind_the_channel_does_not_carry() {
        Decision decision = validator.decide(request(MediaChannel.MMS, Kind.DOCUMENT, "application/pdf", "a.pdf",
                "application/pdf", 10, MediaDirection.OUTBOUND, null));

        assertThat(decision).isEqualTo(new Decision.Rejected(Reason.UNSUPPORTED_TYPE, "MMS does not carry document media"));
    }

    @Test
    void narrows_an_ole2_container_to_the_claimed_legacy_office_type() {
        // Given a .doc: from magic bytes alone it is only an OLE2 compound file
        Decision decision = validator.decide(request(MediaChannel.WHATSAPP, null, null, "minutes.doc",
                MediaTypes.OLE2_CONTAINER, 2048, MediaDirection.OUTBOUND, null));

        assertThat(decision).isEqualTo(new Decision.Accepted(Kind.DOCUMENT, "application/msword"));
    }

    @Test
    void derives_the_kind_from_the_detected_type_when_none_is_declared() {
        assertThat(MediaTypes.kindOf("image/webp")).isEqualTo(Kind.IMAGE);
        assertThat(MediaTypes.kindOf("video/3gpp")).isEqualTo(Kind.VIDEO);
        assertThat(MediaTypes.kindOf("audio/ogg")).isEqualTo(Kind.AUDIO);
        assertThat(MediaTypes.kindOf("application/pdf")).isEqualTo(Kind.DOCUMENT);
        assertThat(MediaTypes.kindOf("text/plain")).isEqualTo(Kind.DOCUMENT);
    }

    @Test
    void normalises_declared_types_and_reads_extensions() {
        assertThat(MediaTypes.normalise(" Image/JPG ; name=x")).isEqualTo("image/jpeg");
        assertThat(MediaTypes.normalise("audio/x-m4a")).isEqualTo("audio/mp4");
        assertThat(MediaTypes.normalise("")).isNull();
        assertThat(MediaTypes.forFileName("C:\\Users\\me\\Report.DOCX")).contains(MediaTypes.DOCX);
        assertThat(MediaTypes.forFileName("README")).isEmpty();
        assertThat(MediaTypes.forFileName(".bashrc")).isEmpty();
    }

    @Test
    void states_sizes_in_binary_units() {
        assertThat(Validator.humanSize(5L << 20)).isEqualTo("5 MB");
        assertThat(Validator.humanSize(100L << 10)).isEqualTo("100 KB");
        assertThat(Validator.humanSize((5L << 20) + (300L << 10))).isEqualTo("5.3 MB");
        assertThat(Validator.humanSize(812)).isEqualTo("812 bytes");
    }

    @Test
    void keeps_captions_for_image_and_video_and_file_names_for_documents_only() {
        assertThat(Kind.IMAGE.carriesCaption()).isTrue();
        assertThat(Kind.VIDEO.carriesCaption()).isTrue();
        assertThat(Kind.DOCUMENT.carriesCaption()).isFalse();
        assertThat(Kind.AUDIO.carriesCaption()).isFalse();
        assertThat(Kind.AUDIO.carriesFileName()).isFalse();
        assertThat(Kind.DOCUMENT.carriesFileName()).isTrue();
        assertThat(Kind.STICKER.carriesFileName()).isFalse();
    }

    @Test
    void applies_a_tenant_override_to_that_tenant_only() {
        // Given a policy where tenant acme may send WhatsApp images of 1 MB only
        MediaPolicy policy = new MediaPolicy(POLICY.channels(), Map.of("acme", Map.of(MediaChannel.WHATSAPP,
                new ChannelRules(Map.of(Kind.IMAGE, new KindRule(Set.of("image/jpeg", "image/png"), 1L << 20))))));
        Validator withTenants = new Validator(policy);
        InboxMediaRules open = InboxMediaRules.open(null);

        // When both tenants send a 2 MB PNG
        Decision acme = withTenants.decide(new ValidationRequest("acme", MediaChannel.WHATSAPP, MediaDirection.OUTBOUND,
                Kind.IMAGE, "image/png", "a.png", "image/png", 2L << 20, open, ContentProbe.NONE));
        Decision other = withTenants.decide(new ValidationRequest("other", MediaChannel.WHATSAPP, MediaDirection.OUTBOUND,
                Kind.IMAGE, "image/png", "a.png", "image/png", 2L << 20, open, ContentProbe.NONE));

        // Then only acme's is too large
        assertThat(acme).isEqualTo(new Decision.Rejected(Reason.TOO_LARGE, "2 MB is over the 1 MB limit for WHATSAPP image"));
        assertThat(other).isEqualTo(new Decision.Accepted(Kind.IMAGE, "image/png"));
    }

    @Test
    void asks_the_probe_nothing_when_an_earlier_rule_already_rejects() {
        // Given a probe that fails the test if asked anything
        ContentProbe untouchable = new ContentProbe() {
            @Override
            public java.util.Optional<String> structureProblem(String contentType) {
                throw new AssertionError("structure asked");
            }

            @Override
            public boolean animated(String contentType) {
                throw new AssertionError("animation asked");
            }

            @Override
            public java.util.Optional<MediaTracks> tracks(String contentType) {
                throw new AssertionError("tracks asked");
            }
        };

        // When a PDF named .png is judged, the mismatch is found from the type alone
        Decision decision = validator.decide(new ValidationRequest("t", MediaChannel.WHATSAPP, MediaDirection.OUTBOUND,
                null, null, "doc.png", "application/pdf", 1000, InboxMediaRules.open(null), untouchable));

        assertThat(decision).extracting(d -> ((Decision.Rejected) d).reason()).isEqualTo(Reason.TYPE_MISMATCH);
    }
}
