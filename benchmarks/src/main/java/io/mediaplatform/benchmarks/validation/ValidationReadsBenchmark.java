package io.mediaplatform.benchmarks.validation;

import io.mediaplatform.benchmarks.report.Table;
import io.mediaplatform.common.storage.ObjectStorage;
import io.mediaplatform.embedded.EmbeddedS3;
import io.mediaplatform.validation.inspection.tika.ContentDetector;
import io.mediaplatform.validation.inspection.storage.StoredMediaInspector;
import io.mediaplatform.validation.policy.core.MediaTracks;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * "Validation reads a few boxes, not the file": the bytes media-validation-service's {@link StoredMediaInspector} reads
 * from storage, and the time it takes, to detect an MP4 and answer the policy's questions about it (its structure, its
 * tracks and duration from the {@code moov} box), for MP4s of several sizes, against the baseline of reading the whole
 * object once from the same S3 server. The MP4s are the demo clip with its {@code mdat} grown to the size (zeros), its
 * {@code moov} at the end (the worst case: found by walking the top-level box headers). Bytes are counted by the
 * storage client the inspector reads through; no antivirus.
 */
public final class ValidationReadsBenchmark {

    private static final String BUCKET = "media";
    private static final int HEAD_BYTES = 64 * 1024;
    private static final int MAX_MOOV_BYTES = 8 << 20;
    private static final int RUNS = 3;

    private final List<Integer> sizesMegabytes;
    private final Path clip;

    /**
     * @param sizesMegabytes MP4 sizes, in MiB
     * @param clip           a small real MP4 whose {@code moov} follows its {@code mdat}
     */
    public ValidationReadsBenchmark(List<Integer> sizesMegabytes, Path clip) {
        this.sizesMegabytes = List.copyOf(sizesMegabytes);
        this.clip = clip;
    }

    /** Reads counted by the storage client. */
    private static final class CountingStorage extends ObjectStorage {
        private final AtomicLong bytes = new AtomicLong();
        private final AtomicLong requests = new AtomicLong();

        CountingStorage(S3AsyncClient s3, S3Presigner presigner) {
            super(s3, presigner, BUCKET, 8 * 1024 * 1024);
        }

        @Override
        public byte[] readRange(String key, long offset, long length) {
            byte[] read = super.readRange(key, offset, length);
            requests.incrementAndGet();
            bytes.addAndGet(read.length);
            return read;
        }

        @Override
        public ResponseInputStream<GetObjectResponse> open(String key, String range) {
            ResponseInputStream<GetObjectResponse> stream = super.open(key, range);
            requests.incrementAndGet();
            return new ResponseInputStream<>(stream.response(), new FilterInputStream(stream) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        bytes.incrementAndGet();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int off, int len) throws IOException {
                    int n = super.read(buffer, off, len);
                    if (n > 0) {
                        bytes.addAndGet(n);
                    }
                    return n;
                }
            });
        }

        void reset() {
            bytes.set(0);
            requests.set(0);
        }
    }

    /** One size's figures. */
    private record Figures(long size, long inspectorBytes, long inspectorRequests, long inspectorMedianNanos,
                           long fullReadMedianNanos, String detected, String tracks) {
    }

    public Table run() throws IOException {
        Path dir = Files.createTempDirectory("bench-validation-s3-");
        try (EmbeddedS3 s3 = new EmbeddedS3(dir, 0, "bench", "bench-secret-key", BUCKET).start();
             S3AsyncClient client = S3AsyncClient.builder().region(Region.US_EAST_1).forcePathStyle(true)
                     .endpointOverride(URI.create(s3.endpoint()))
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench-secret-key")))
                     .build();
             S3Presigner presigner = S3Presigner.builder().region(Region.US_EAST_1)
                     .endpointOverride(URI.create(s3.endpoint()))
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench-secret-key")))
                     .build()) {
            CountingStorage storage = new CountingStorage(client, presigner);
            StoredMediaInspector inspector = new StoredMediaInspector(storage, new ContentDetector(), HEAD_BYTES, MAX_MOOV_BYTES);
            byte[] original = Files.readAllBytes(clip);
            List<Figures> figures = new ArrayList<>();
            for (int megabytes : sizesMegabytes) {
                long size = (long) megabytes * 1024 * 1024;
                String key = "bench/clip-" + megabytes + "mb.mp4";
                long stored;
                try (InputStream grown = grown(original, size)) {
                    stored = storage.put(key, grown, "video/mp4", Map.of(), Long.MAX_VALUE).size();
                }
                figures.add(measure(storage, inspector, key, stored));
                storage.delete(key);
            }
            return table(figures);
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static Figures measure(CountingStorage storage, StoredMediaInspector inspector, String key, long size) {
        long[] inspectNanos = new long[RUNS];
        long[] fullNanos = new long[RUNS];
        long bytes = 0;
        long requests = 0;
        String detected = null;
        String tracks = null;
        for (int run = 0; run < RUNS; run++) {
            storage.reset();
            long started = System.nanoTime();
            StoredMediaInspector.Inspection inspection = inspector.inspect(key, size);
            Optional<String> problem = inspection.probe().structureProblem(inspection.detectedType());
            Optional<MediaTracks> found = inspection.probe().tracks(inspection.detectedType());
            inspectNanos[run] = System.nanoTime() - started;
            bytes = storage.bytes.get();
            requests = storage.requests.get();
            detected = inspection.detectedType() + problem.map(p -> " (" + p + ")").orElse("");
            tracks = found.map(t -> t.tracks().stream().map(track -> track.type() + " " + track.codec())
                    .collect(java.util.stream.Collectors.joining(" + "))).orElse("-");

            started = System.nanoTime();
            try (InputStream whole = storage.open(key, null)) {
                whole.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            fullNanos[run] = System.nanoTime() - started;
        }
        return new Figures(size, bytes, requests, median(inspectNanos), median(fullNanos), detected, tracks);
    }

    private static Table table(List<Figures> figures) {
        Table table = new Table("Validation of an MP4 (moov after mdat): bytes and time of the stored-media inspector vs"
                + " reading the whole object once from the same S3 server (median of " + RUNS + ")",
                "inspector", "whole object");
        for (Figures f : figures) {
            String size = f.size() / (1024 * 1024) + " MiB";
            table.row(size + ": bytes read", f.inspectorBytes(), f.size());
            table.row(size + ": S3 requests", f.inspectorRequests(), 1);
            table.row(size + ": time (ms)", f.inspectorMedianNanos() / 1e6, f.fullReadMedianNanos() / 1e6);
            table.text(size + ": detected / tracks", f.detected(), f.tracks());
        }
        return table;
    }

    /** The clip with its mdat grown by zeros so that the whole file is {@code size} bytes (never held in memory). */
    static InputStream grown(byte[] clip, long size) {
        ByteBuffer buffer = ByteBuffer.wrap(clip);
        int mdatAt = -1;
        int mdatSize = 0;
        for (int at = 0; at + 8 <= clip.length; ) {
            int boxSize = buffer.getInt(at);
            String type = new String(clip, at + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
            if (type.equals("mdat")) {
                mdatAt = at;
                mdatSize = boxSize;
                break;
            }
            if (boxSize < 8) {
                break;
            }
            at += boxSize;
        }
        if (mdatAt < 0) {
            throw new IllegalArgumentException("the clip has no mdat box with a 32-bit size");
        }
        long padding = size - clip.length;
        if (padding < 0 || mdatSize + padding > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("cannot grow the clip to " + size + " bytes");
        }
        byte[] front = java.util.Arrays.copyOfRange(clip, 0, mdatAt + mdatSize);
        ByteBuffer.wrap(front).putInt(mdatAt, (int) (mdatSize + padding));
        byte[] back = java.util.Arrays.copyOfRange(clip, mdatAt + mdatSize, clip.length);
        InputStream zeros = new InputStream() {
            private long left = padding;

            @Override
            public int read() {
                if (left <= 0) {
                    return -1;
                }
                left--;
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 0);
                left -= n;
                return n;
            }
        };
        return new SequenceInputStream(java.util.Collections.enumeration(List.of(
                new java.io.ByteArrayInputStream(front), zeros, new java.io.ByteArrayInputStream(back))));
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
