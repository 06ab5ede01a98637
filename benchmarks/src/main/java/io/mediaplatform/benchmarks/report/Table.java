package io.mediaplatform.benchmarks.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A side-by-side table: one row per figure, the measured variant and the baseline from the same run in two
 * columns, and their ratio (variant / baseline) in a third.
 */
public final class Table {

    private final String title;
    private final String variant;
    private final String baseline;
    private final List<String[]> rows = new ArrayList<>();

    /**
     * @param title    what was measured
     * @param variant  heading of the measured column
     * @param baseline heading of the baseline column
     */
    public Table(String title, String variant, String baseline) {
        this.title = title;
        this.variant = variant;
        this.baseline = baseline;
    }

    /** A row of counts. */
    public Table row(String figure, long variantValue, long baselineValue) {
        rows.add(new String[] {figure, Long.toString(variantValue), Long.toString(baselineValue),
                ratio(variantValue, baselineValue)});
        return this;
    }

    /** A row of measurements. */
    public Table row(String figure, double variantValue, double baselineValue) {
        rows.add(new String[] {figure, number(variantValue), number(baselineValue), ratio(variantValue, baselineValue)});
        return this;
    }

    /** A row of words (no ratio). */
    public Table text(String figure, String variantValue, String baselineValue) {
        rows.add(new String[] {figure, variantValue, baselineValue, ""});
        return this;
    }

    /** The table as printed. */
    public String render() {
        String[] header = {"", variant, baseline, "ratio"};
        int[] widths = new int[4];
        for (int c = 0; c < 4; c++) {
            widths[c] = header[c].length();
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder(title).append('\n');
        line(out, header, widths);
        line(out, new String[] {"-".repeat(widths[0]), "-".repeat(widths[1]), "-".repeat(widths[2]),
                "-".repeat(widths[3])}, widths);
        rows.forEach(row -> line(out, row, widths));
        return out.toString();
    }

    /** The table as Markdown: the title as a bold line, then a pipe table (cells' pipes escaped). */
    public String markdown() {
        StringBuilder out = new StringBuilder("**").append(title).append("**\n\n");
        out.append("| | ").append(cell(variant)).append(" | ").append(cell(baseline)).append(" | ratio |\n");
        out.append("|---|---|---|---|\n");
        for (String[] row : rows) {
            out.append("| ").append(cell(row[0])).append(" | ").append(cell(row[1])).append(" | ")
                    .append(cell(row[2])).append(" | ").append(cell(row[3])).append(" |\n");
        }
        return out.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /** Prints the table. */
    public void print(PrintStream out) {
        out.println(render());
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        out.append(String.format(Locale.ROOT, "%-" + widths[0] + "s", cells[0]));
        for (int c = 1; c < cells.length; c++) {
            out.append("  ").append(String.format(Locale.ROOT, "%" + widths[c] + "s", cells[c]));
        }
        out.append('\n');
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }

    private static String ratio(double variantValue, double baselineValue) {
        if (baselineValue == 0) {
            return variantValue == 0 ? "=" : "n/a";
        }
        return String.format(Locale.ROOT, "%.2fx", variantValue / baselineValue);
    }
}
