package io.mediaplatform.benchmarks.jmh;

import io.mediaplatform.validation.inspection.tika.ContentDetector;
import org.apache.tika.Tika;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Type detection of a real head: media-validation-service's {@link ContentDetector#detect} (Tika's core detector plus
 * its ISO-BMFF brand, OOXML and Ogg refinements) vs plain {@code new Tika().detect(bytes)} on the same head. The
 * heads are the demo files' first 64 KiB (the service's default {@code VALIDATION_HEAD_BYTES}; each demo file is
 * smaller, so its whole content; photo.jpg is the demo's disguised Windows executable).
 */
@State(Scope.Benchmark)
public class DetectionBench {

    static final int HEAD_BYTES = 64 * 1024;

    /** The demo directory (deploy/local-stack/demo), set by {@link JmhBenchmarks}. */
    @Param("")
    public String demo;

    @Param({"photo.jpg", "photo.png", "clip.mp4", "voice.ogg", "invoice.pdf", "sticker.webp"})
    public String file;

    private byte[] head;
    private ContentDetector detector;
    private Tika tika;

    @Setup
    public void setUp() throws IOException {
        byte[] bytes = Files.readAllBytes(Path.of(demo, file));
        head = Arrays.copyOf(bytes, Math.min(bytes.length, HEAD_BYTES));
        detector = new ContentDetector();
        tika = new Tika();
    }

    @Benchmark
    public String ours() {
        return detector.detect(head);
    }

    @Benchmark
    public String baseline() {
        return tika.detect(head);
    }
}
