package io.mediaplatform.benchmarks.pipeline;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A percentile curve (Java2D, PNG): x the percentile on a "nines" scale (0, 90, 99, 99.9, ...), y the latency in
 * milliseconds on a log scale, one line per series.
 */
final class LatencyPlot {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final Color[] COLORS = {new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c)};

    private LatencyPlot() {
    }

    static void write(Path file, String title, Map<String, Latencies> series) throws IOException {
        Map<String, Latencies> sorted = new TreeMap<>(series);
        double maxNines = 3; // up to p99.9
        double minMs = Double.MAX_VALUE;
        double maxMs = 0;
        for (Latencies l : sorted.values()) {
            if (l.count() == 0) {
                continue;
            }
            minMs = Math.min(minMs, Math.max(0.1, l.percentileMillis(0.0001)));
            maxMs = Math.max(maxMs, l.maxMillis());
            maxNines = Math.max(maxNines, Math.min(4, Math.log10(l.count())));
        }
        if (maxMs == 0) {
            return;
        }
        double logMin = Math.floor(Math.log10(minMs));
        double logMax = Math.ceil(Math.log10(maxMs));
        if (logMax <= logMin) {
            logMax = logMin + 1;
        }
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        // grid: decades of ms, and the nines
        for (int d = (int) logMin; d <= (int) logMax; d++) {
            int y = TOP + plotH - (int) ((d - logMin) / (logMax - logMin) * plotH);
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            String label = d >= 0 ? String.format(Locale.ROOT, "%.0f ms", Math.pow(10, d)) : String.format(Locale.ROOT, "%.1f ms", Math.pow(10, d));
            g.drawString(label, 8, y + 4);
        }
        String[] nines = {"p0", "p90", "p99", "p99.9", "p99.99"};
        for (int n = 0; n <= (int) maxNines; n++) {
            int x = LEFT + (int) (n / maxNines * plotW);
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, TOP, x, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            g.drawString(nines[n], x - 12, TOP + plotH + 18);
        }
        g.drawString("percentile", LEFT + plotW / 2 - 25, HEIGHT - 15);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, LEFT, 25);
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        int c = 0;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (Map.Entry<String, Latencies> entry : sorted.entrySet()) {
            Latencies l = entry.getValue();
            if (l.count() == 0) {
                continue;
            }
            g.setColor(COLORS[c % COLORS.length]);
            g.setStroke(new BasicStroke(2f));
            int previousX = -1;
            int previousY = -1;
            for (int step = 0; step <= 400; step++) {
                double ninesAt = step / 400.0 * maxNines;
                double p = 100 * (1 - Math.pow(10, -ninesAt));
                if (p <= 0) {
                    p = 0.0001;
                }
                double ms = Math.max(Math.pow(10, logMin), l.percentileMillis(p));
                int x = LEFT + (int) (ninesAt / maxNines * plotW);
                int y = TOP + plotH - (int) ((Math.log10(ms) - logMin) / (logMax - logMin) * plotH);
                if (previousX >= 0) {
                    g.drawLine(previousX, previousY, x, y);
                }
                previousX = x;
                previousY = y;
            }
            g.drawString(String.format(Locale.ROOT, "%s (p50 %.0f ms, p99 %.0f ms, n=%d)", entry.getKey(), l.p50(),
                    l.p99(), l.count()), LEFT + plotW / 3, TOP + plotH - 12 - 16 * (sorted.size() - 1 - c));
            c++;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

}
