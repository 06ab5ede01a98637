package io.mediaplatform.benchmarks.jmh;

import io.mediaplatform.validation.inspection.core.ByteSource;
import io.mediaplatform.validation.inspection.core.BytesProbe;
import io.mediaplatform.validation.policy.core.MediaTracks;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ISO-BMFF walk: the tracks of the demo clip.mp4 as validation finds them, {@code new BytesProbe(source,
 * 8 MiB).tracks("video/mp4")} over an in-memory {@link ByteSource} (top-level box headers read one by one, the
 * {@code moov} read and parsed: trak, hdlr, stsd, esds), vs reading the same bytes once through the same source
 * ({@code source.read(0, size)}: one copy of the whole file, what any look at every byte costs at least).
 */
@State(Scope.Benchmark)
public class IsoBmffBench {

    static final int MAX_MOOV_BYTES = 8 << 20;

    /** The demo directory (deploy/local-stack/demo), set by {@link JmhBenchmarks}. */
    @Param("")
    public String demo;

    private ByteSource source;
    private int size;

    @Setup
    public void setUp() throws IOException {
        byte[] clip = Files.readAllBytes(Path.of(demo, "clip.mp4"));
        source = ByteSource.of(clip);
        size = clip.length;
    }

    @Benchmark
    public MediaTracks ours() {
        return new BytesProbe(source, MAX_MOOV_BYTES).tracks("video/mp4").orElseThrow();
    }

    @Benchmark
    public byte[] baseline() {
        return source.read(0, size);
    }
}
