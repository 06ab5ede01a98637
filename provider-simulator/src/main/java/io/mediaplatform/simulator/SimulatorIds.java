package io.mediaplatform.simulator;

import java.security.SecureRandom;
import java.util.HexFormat;

/** The random parts of the ids and keys the simulators make up (message and media ids, signing keys). */
final class SimulatorIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SimulatorIds() {
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
