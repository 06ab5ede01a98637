package io.mediaplatform.benchmarks.pipeline;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU over a window: this JVM's (the four services, the simulators, S3, the registry and the load generator) from
 * the OS bean, and the whole machine's from {@code /proc/stat} (steal counts as busy), so that what the rest took
 * (the Kafka broker and PostgreSQL child processes, other builds) shows too. Fields NaN where unknown.
 */
public record MachineCpu(long busy, long total, int cpus, long processNanos, long wallNanos) {

    public static MachineCpu read() {
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] f = lines.get(0).trim().split("\\s+"); // cpu user nice system idle iowait irq softirq steal
            long total = 0;
            for (int i = 1; i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            int cpus = (int) lines.stream().filter(line -> line.matches("cpu\\d+ .*")).count();
            return new MachineCpu(total - idle, total, cpus, process, System.nanoTime());
        } catch (IOException | RuntimeException e) {
            return new MachineCpu(-1, -1, 0, process, System.nanoTime());
        }
    }

    /** Cores this JVM kept busy between two readings. */
    public static double processCores(MachineCpu start, MachineCpu end) {
        return (end.processNanos() - start.processNanos()) / (double) Math.max(1, end.wallNanos() - start.wallNanos());
    }

    /** Cores busy on the whole machine between two readings; NaN when unknown. */
    public static double machineCores(MachineCpu start, MachineCpu end) {
        if (start.total() < 0 || end.total() <= start.total()) {
            return Double.NaN;
        }
        return (end.busy() - start.busy()) / (double) (end.total() - start.total()) * end.cpus();
    }
}
