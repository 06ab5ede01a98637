package io.mediaplatform.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A README walkthrough section ("Try it", "A customer sends media"), read from the README itself: its bash blocks, run with bash from the
 * repository root exactly as written, but with the default ports mapped to the ports of the stack under test.
 */
final class ReadmeWalkthrough {

    static final Path REPO_ROOT = Path.of("../..").toAbsolutePath().normalize();

    private final List<String> blocks;

    private ReadmeWalkthrough(List<String> blocks) {
        this.blocks = blocks;
    }

    static ReadmeWalkthrough read() throws IOException {
        return read("Try it");
    }

    /** The bash blocks of the README section with that heading. */
    static ReadmeWalkthrough read(String heading) throws IOException {
        String readme = Files.readString(REPO_ROOT.resolve("README.md"));
        int start = readme.indexOf("\n## " + heading + "\n");
        if (start < 0) {
            throw new AssertionError("README has no section ## " + heading);
        }
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<String> blocks = new ArrayList<>();
        int from = 0;
        while (true) {
            int open = section.indexOf("```bash\n", from);
            if (open < 0) {
                break;
            }
            int close = section.indexOf("\n```", open + 8);
            blocks.add(section.substring(open + 8, close + 1));
            from = close + 4;
        }
        return new ReadmeWalkthrough(blocks);
    }

    List<String> blocks() {
        return blocks;
    }

    /** Command lines of the blocks (comments and blank lines dropped). */
    List<String> commandLines() {
        return blocks.stream().flatMap(b -> b.lines()).filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    /** Rewrites the default endpoints of docs/ARCHITECTURE.md §7 to the stack's. */
    static String mapPorts(String text, LocalStack stack, Path dataDir) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("http://127.0.0.1:8080", stack.ingestUrl());
        map.put("http://127.0.0.1:8082", stack.dispatchUrl());
        map.put("http://127.0.0.1:8083", stack.callbackUrl());
        map.put("http://127.0.0.1:8099", stack.simulatorUrl());
        map.put("data/local-stack.json", dataDir.resolve("local-stack.json").toString());
        String out = text;
        for (Map.Entry<String, String> e : map.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        return out;
    }

    /** Runs a script with bash in the repository root; returns its standard output. */
    static String bash(String script) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
                .directory(REPO_ROOT.toFile()).redirectErrorStream(false).start();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("README commands failed (exit " + process.exitValue() + "): " + err + "\nscript:\n" + script);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
