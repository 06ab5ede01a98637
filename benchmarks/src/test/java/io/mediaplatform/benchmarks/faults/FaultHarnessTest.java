package io.mediaplatform.benchmarks.faults;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's fault harness command ({@code deploy/local-stack/faults}) with tiny figures: the same main, a kill -9
 * of a service and poison records. Only what does not depend on timing is checked: nothing lost, nothing stuck,
 * the table written.
 */
class FaultHarnessTest {

    @Test
    void a_killed_service_and_poison_records_lose_nothing_and_the_table_is_written(@TempDir Path results) throws Exception {
        // Given the harness with a few messages and two quick faults
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        // When it runs like the README's command does
        int status = FaultHarness.run(new String[]{"--messages=30", "--faults=kill-validation,poison", "--rate=10",
                "--conversations=5", "--stuck-after=90", "--results=" + results}, new PrintStream(out, true, StandardCharsets.UTF_8));

        // Then it passes and writes its table, one row per fault
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed).isZero();
        Path table = results.resolve("faults.md");
        assertThat(table).exists();
        List<String> rows = Files.readAllLines(table).stream().filter(l -> l.startsWith("| kill -9") || l.startsWith("| poison")).toList();
        assertThat(rows).hasSize(2);
        // And every row has 0 lost and 0 stuck, and the poison records are all on their .dlt
        for (String row : rows) {
            String[] cells = row.split(" \\| ");
            assertThat(cells[4]).as(row).isEqualTo("0");
            assertThat(cells[5]).as(row).isEqualTo("0");
        }
        assertThat(rows.get(1)).contains("all poison records").doesNotContain("! ");
    }
}
