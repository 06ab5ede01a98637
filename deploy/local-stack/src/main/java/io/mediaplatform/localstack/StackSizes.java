package io.mediaplatform.localstack;

/** How large the local stack runs: its topics' partitions and its dispatch and callback replicas. */
final class StackSizes {

    private StackSizes() {
    }

    /**
     * Partitions of the topics the local stack makes ({@code LOCAL_STACK_PARTITIONS}, default 6): dispatch and callback
     * run a listener thread per partition, the other services keep up with 3.
     */
    static int partitions(LocalStackOptions options) {
        return bounded(options, "LOCAL_STACK_PARTITIONS", 6, 1, 64);
    }

    /**
     * Instances of dispatch and of callback the local stack runs in this JVM ({@code LOCAL_STACK_REPLICAS}, default 1),
     * each pair sharing its consumer groups as replicas in production do: the scale-out row of the pipeline benchmark.
     */
    static int replicas(LocalStackOptions options) {
        return bounded(options, "LOCAL_STACK_REPLICAS", 1, 1, 4);
    }

    /** A whole-number setting of the local stack, its default when not set; anything else outside the range is refused. */
    private static int bounded(LocalStackOptions options, String name, int fallback, int min, int max) {
        String given = options.env(name);
        int value;
        try {
            value = given == null ? fallback : Integer.parseInt(given.trim());
        } catch (NumberFormatException e) {
            value = min - 1;
        }
        if (value < min || value > max) {
            throw new LocalStackOptions.UsageException(name + " must be between " + min + " and " + max + ": " + given);
        }
        return value;
    }
}
