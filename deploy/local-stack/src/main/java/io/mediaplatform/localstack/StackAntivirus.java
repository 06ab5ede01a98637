package io.mediaplatform.localstack;

import io.mediaplatform.embedded.EmbeddedClamd;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The clamd the validation service scans with: with {@code CLAMAV_HOST} or {@code CLAMAV_SOCKET} set, that one;
 * otherwise, where clamd is installed, an {@link EmbeddedClamd} under {@code <data>/clamav} on a Unix socket (a
 * free loopback port when the socket path would be too long) whose only signature is the platform's EICAR test
 * signature: offline, it proves the malware path and recognises nothing else. Without clamd antivirus is off,
 * and the summary says how to get it.
 *
 * @param environment the CLAMAV_* settings for the validation service
 * @param described   what {@code local-stack.json} says of it
 * @param summary     the banner's line
 */
record StackAntivirus(Map<String, String> environment, Map<String, Object> described, String summary) {

    /** Finds or starts the clamd; an embedded one is added to {@code resources}. */
    static StackAntivirus start(LocalStackOptions options, Path data, List<AutoCloseable> resources) {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, Object> described = new LinkedHashMap<>();
        String antivirus;
        String host = options.env("CLAMAV_HOST");
        String socket = options.env("CLAMAV_SOCKET");
        if (host != null || socket != null) {
            ServiceSettings.putIfNotNull(env, "CLAMAV_HOST", host);
            ServiceSettings.putIfNotNull(env, "CLAMAV_PORT", options.env("CLAMAV_PORT"));
            ServiceSettings.putIfNotNull(env, "CLAMAV_SOCKET", socket);
            String address = socket != null ? "unix:" + socket : host + ":" + options.env("CLAMAV_PORT", "3310");
            described.put("enabled", true);
            described.put("embedded", false);
            described.put("clamd", address);
            antivirus = "clamd at " + address + " (yours, from CLAMAV_" + (socket != null ? "SOCKET" : "HOST") + ")";
        } else if (EmbeddedClamd.isAvailable()) {
            Path dir = data.resolve("clamav");
            EmbeddedClamd clamd = (EmbeddedClamd.fitsUnixSocket(dir) ? EmbeddedClamd.onUnixSocket(dir)
                    : EmbeddedClamd.onTcpPort(dir, 0)).withoutShutdownHook();
            resources.add(clamd);
            clamd.start();
            env.putAll(clamd.clientEnvironment());
            // an empty socket, so a CLAMAV_SOCKET in the JVM's own environment cannot win over the embedded port
            env.putIfAbsent("CLAMAV_SOCKET", "");
            described.put("enabled", true);
            described.put("embedded", true);
            described.put("clamd", clamd.address());
            described.put("signatures", "EICAR test signature only (offline); set CLAMAV_HOST to a clamd with real signatures for more");
            antivirus = "clamd " + clamd.address() + "   (EICAR test signature only; CLAMAV_HOST for real signatures)";
        } else {
            described.put("enabled", false);
            described.put("reason", "clamd is not installed: media is accepted unscanned");
            described.put("install", EmbeddedClamd.INSTALL_HINT);
            antivirus = "off: clamd is not installed, media is accepted unscanned (" + EmbeddedClamd.INSTALL_HINT
                    + " and restart, or set CLAMAV_HOST)";
        }
        return new StackAntivirus(env, described, antivirus);
    }
}
