package io.mediaplatform.benchmarks.faults;

import io.mediaplatform.benchmarks.faults.core.Fault;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fault harness's command line: how many messages, which faults, how fast, and where the table goes.
 *
 * @param messages      messages over all phases (split evenly)
 * @param faults        the faults, in order
 * @param rate          messages per second each phase sends
 * @param conversations conversations the messages go round-robin over
 * @param stuckAfter    seconds without any message reaching a final status after which the rest count as stuck
 * @param providerHold  seconds the provider keeps failing after the phase's last message was accepted
 * @param results       where faults.md is written
 */
record HarnessOptions(int messages, List<Fault> faults, double rate, int conversations, int stuckAfter, int providerHold,
                      Path results) {

    static HarnessOptions parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("unknown argument " + arg);
            }
            String name = arg.substring(2, arg.indexOf('='));
            if (!Set.of("messages", "faults", "rate", "conversations", "stuck-after", "provider-hold", "results").contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            values.put(name, arg.substring(arg.indexOf('=') + 1));
        }
        HarnessOptions options = new HarnessOptions(Integer.parseInt(values.getOrDefault("messages", String.valueOf(FaultHarness.DEFAULT_MESSAGES))),
                Fault.parse(values.getOrDefault("faults", "all")),
                Double.parseDouble(values.getOrDefault("rate", "10")),
                Integer.parseInt(values.getOrDefault("conversations", "50")),
                Integer.parseInt(values.getOrDefault("stuck-after", "180")),
                Integer.parseInt(values.getOrDefault("provider-hold", "60")),
                Path.of(values.getOrDefault("results", "benchmarks/results")));
        if (options.messages() < options.faults().size() || options.rate() <= 0 || options.conversations() < 1) {
            throw new IllegalArgumentException("need at least one message per fault, a positive rate and a conversation");
        }
        return options;
    }
}
