package io.mediaplatform.embedded;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** The EICAR anti-virus test string, and the one-line clamd signature of it the embedded clamd loads by default. */
public final class Eicar {

    private Eicar() {
    }

    /**
     * The EICAR anti-virus test string (68 bytes, harmless by design), assembled at run time from two halves so that
     * no file in the repository or in a built jar carries it and trips a real scanner.
     */
    public static String text() {
        return "X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-" + "TEST-FILE!$H+H*";
    }

    /** An {@code .ndb} body signature of {@link #text()} at any offset, as clamd's database takes it. */
    public static String signatureLine() {
        return "Test.EICAR:0:*:" + HexFormat.of().formatHex(text().getBytes(StandardCharsets.US_ASCII)) + "\n";
    }
}
