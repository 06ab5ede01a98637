package io.mediaplatform.embedded;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * An S3-compatible server on the local disk: S3Proxy with its filesystem blob store, bound to 127.0.0.1,
 * checking AWS signatures (V2 or V4) against one access key. Objects are plain files under
 * {@code baseDir/<bucket>/}, so they survive a restart on the same directory. Clients must use path-style
 * addressing (e.g. {@code forcePathStyle(true)}) and any region, e.g. us-east-1.
 */
public final class EmbeddedS3 implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedS3.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path baseDir;
    private final int requestedPort;
    private final String accessKey;
    private final String secretKey;
    private final String bucket;
    private BlobStore blobStore;
    private S3Proxy proxy;
    private int port;

    /**
     * @param baseDir   directory holding the buckets (created if absent)
     * @param port      port to listen on at 127.0.0.1, or 0 for a free one
     * @param accessKey access key id clients sign with
     * @param secretKey secret key clients sign with
     * @param bucket    bucket created on start when absent
     */
    public EmbeddedS3(Path baseDir, int port, String accessKey, String secretKey, String bucket) {
        this.baseDir = Objects.requireNonNull(baseDir, "baseDir").toAbsolutePath();
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.requestedPort = port;
        this.accessKey = Objects.requireNonNull(accessKey, "accessKey");
        this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    /**
     * Creates the bucket if needed and starts serving.
     *
     * @return this server
     * @throws IllegalStateException when the port is in use or the server does not start
     */
    public synchronized EmbeddedS3 start() {
        if (proxy != null) {
            throw new IllegalStateException("S3 server already started at " + endpoint());
        }
        int chosen = Ports.orFree(requestedPort);
        if (requestedPort != 0 && !Ports.isFree(chosen)) {
            throw new IllegalStateException("S3 server cannot listen on 127.0.0.1:" + chosen + ": the port is already in use");
        }
        try {
            Files.createDirectories(baseDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create S3 directory " + baseDir, e);
        }
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", baseDir.toString());
        properties.setProperty("jclouds.identity", accessKey);
        properties.setProperty("jclouds.credential", secretKey);
        BlobStore store = BlobStores.create("filesystem", properties);
        if (!store.containerExists(bucket)) {
            store.createContainer(bucket);
        }
        S3Proxy created = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + chosen))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        try {
            created.start();
            awaitStarted(created);
        } catch (Exception e) {
            stopQuietly(created);
            store.close();
            throw new IllegalStateException("S3 server did not start on 127.0.0.1:" + chosen + ": " + e.getMessage(), e);
        }
        blobStore = store;
        proxy = created;
        port = chosen;
        log.info("S3 server listening on {} (bucket {}, files under {})", endpoint(), bucket, baseDir);
        return this;
    }

    /** Endpoint URL, e.g. {@code http://127.0.0.1:9000}; valid once started. */
    public synchronized String endpoint() {
        if (proxy == null) {
            throw new IllegalStateException("S3 server not started");
        }
        return "http://127.0.0.1:" + port;
    }

    /** The port it listens on; valid once started. */
    public synchronized int port() {
        endpoint();
        return port;
    }

    /** The bucket created on start. */
    public String bucket() {
        return bucket;
    }

    /** The access key id clients sign with. */
    public String accessKey() {
        return accessKey;
    }

    /** The secret key clients sign with. */
    public String secretKey() {
        return secretKey;
    }

    /** The directory holding the buckets. */
    public Path baseDir() {
        return baseDir;
    }

    /** Stops serving; the objects stay on disk. */
    @Override
    public synchronized void close() {
        if (proxy != null) {
            stopQuietly(proxy);
            blobStore.close();
            proxy = null;
            blobStore = null;
        }
    }

    private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("still " + proxy.getState() + " after " + START_TIMEOUT);
            }
            Thread.sleep(10);
        }
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception e) {
            log.debug("S3 server stop failed", e);
        }
    }
}
