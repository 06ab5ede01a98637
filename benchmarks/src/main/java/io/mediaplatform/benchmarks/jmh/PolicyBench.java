package io.mediaplatform.benchmarks.jmh;

import io.mediaplatform.validation.inspection.tika.ContentDetector;
import io.mediaplatform.validation.inbox.core.InboxMediaRules;
import io.mediaplatform.validation.inspection.core.ByteSource;
import io.mediaplatform.validation.inspection.core.BytesProbe;
import io.mediaplatform.validation.policy.core.ContentProbe;
import io.mediaplatform.validation.policy.core.Decision;
import io.mediaplatform.validation.policy.core.Kind;
import io.mediaplatform.validation.policy.core.KindRule;
import io.mediaplatform.validation.policy.core.MediaChannel;
import io.mediaplatform.validation.policy.core.MediaDirection;
import io.mediaplatform.validation.policy.core.MediaPolicy;
import io.mediaplatform.validation.policy.core.MediaTracks;
import io.mediaplatform.validation.policy.core.ValidationRequest;
import io.mediaplatform.validation.policy.core.Validator;
import io.mediaplatform.validation.policy.yaml.YamlMediaPolicyLoader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.springframework.core.io.DefaultResourceLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Policy evaluation: {@link Validator#decide} with the service's default policy ({@code classpath:media-policy.yml},
 * loaded as {@code ValidationConfiguration} does) for an outbound WhatsApp message, the type detected from the demo
 * file and the probe's answers (structure, animation, tracks) read from its bytes once in the set-up, so only the
 * decision is timed. The baseline is the least any policy evaluation must do for one media: look up the channel's
 * rule for the kind ({@link MediaPolicy#rule}) and check the detected type and the size against it. The ratio is
 * what decide's other checks cost on top (inbox switches, declared type and file name against the bytes, the
 * direction's sub-rule, structure, animation, the codec rule, the decision and its message).
 */
@State(Scope.Benchmark)
public class PolicyBench {

    /** The demo directory (deploy/local-stack/demo), set by {@link JmhBenchmarks}. */
    @Param("")
    public String demo;

    /**
     * Each sent as what its name says: photo.png an image and clip.mp4 a video (both accepted, the clip after the
     * codec rule), photo.jpg an image (it is a Windows executable: TYPE_MISMATCH).
     */
    @Param({"photo.png", "clip.mp4", "photo.jpg"})
    public String media;

    private Validator validator;
    private MediaPolicy policy;
    private ValidationRequest request;
    private Kind kind;

    /** The probe's answers, read once from the bytes. */
    private record Answers(Optional<String> structureProblem, boolean animated, Optional<MediaTracks> tracks)
            implements ContentProbe {
        @Override
        public Optional<String> structureProblem(String contentType) {
            return structureProblem;
        }

        @Override
        public boolean animated(String contentType) {
            return animated;
        }

        @Override
        public Optional<MediaTracks> tracks(String contentType) {
            return tracks;
        }
    }

    @Setup
    public void setUp() throws IOException {
        policy = YamlMediaPolicyLoader.load(new DefaultResourceLoader().getResource("classpath:media-policy.yml"));
        validator = new Validator(policy);
        byte[] bytes = Files.readAllBytes(Path.of(demo, media));
        String declaredType;
        switch (media) {
            case "photo.png" -> { kind = Kind.IMAGE; declaredType = "image/png"; }
            case "clip.mp4" -> { kind = Kind.VIDEO; declaredType = "video/mp4"; }
            case "photo.jpg" -> { kind = Kind.IMAGE; declaredType = "image/jpeg"; }
            default -> throw new IllegalArgumentException("unknown media " + media);
        }
        String detected = new ContentDetector().detect(bytes);
        BytesProbe bytesProbe = new BytesProbe(ByteSource.of(bytes), IsoBmffBench.MAX_MOOV_BYTES);
        ContentProbe probe = new Answers(bytesProbe.structureProblem(detected), bytesProbe.animated(detected),
                bytesProbe.tracks(detected));
        request = new ValidationRequest("tenant-bench", MediaChannel.WHATSAPP, MediaDirection.OUTBOUND, kind,
                declaredType, media, detected, bytes.length, InboxMediaRules.open("inbox-bench"), probe);
    }

    @Benchmark
    public Decision ours() {
        return validator.decide(request);
    }

    @Benchmark
    public boolean baseline() {
        Optional<KindRule> rule = policy.rule(request.tenantId(), request.channel(), kind);
        return rule.isPresent() && rule.get().allows(request.detectedContentType())
                && request.size() <= rule.get().limit(false);
    }
}
