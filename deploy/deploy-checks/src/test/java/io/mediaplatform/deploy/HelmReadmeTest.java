package io.mediaplatform.deploy;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's README parameter table is generated from the {@code ## @param} lines of values.yaml (Bitnami readme
 * generator style: {@code ## @section Title}, {@code ## @param path Description}; the value column is the default
 * from values.yaml). This test fails when they drift; {@code -Dhelm.readme.update=true} rewrites the table.
 */
class HelmReadmeTest {

    static final Path VALUES = Repo.CHART.resolve("values.yaml");
    static final Path README = Repo.CHART.resolve("README.md");
    static final String START = "<!-- parameters:start (generated from values.yaml by HelmReadmeTest; do not edit) -->";
    static final String END = "<!-- parameters:end -->";

    private static final Pattern SECTION = Pattern.compile("^\\s*## @section (.+)$");
    private static final Pattern PARAM = Pattern.compile("^\\s*## @param (\\S+) (.+)$");

    record Param(String path, String description) {
    }

    @Test
    void readme_parameter_table_matches_the_param_lines_of_values_yaml() throws IOException {
        // Given the table generated from values.yaml
        String table = generatedTable();
        String readme = Repo.read(README);
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        assertThat(start).as("README.md has the %s marker", START).isNotNegative();
        assertThat(end).as("README.md has the %s marker", END).isGreaterThan(start);
        String current = readme.substring(start + START.length(), end);

        if (Boolean.getBoolean("helm.readme.update") && !current.equals(table)) {
            Files.writeString(README, readme.substring(0, start + START.length()) + table + readme.substring(end));
            current = table;
        }

        // Then the README carries exactly that table (regenerate with -Dhelm.readme.update=true)
        assertThat(current).isEqualTo(table);
    }

    @Test
    void every_value_is_documented_by_a_param_and_every_param_names_a_value() {
        // Given the values and the @param lines
        Map<String, Object> values = Repo.yaml().load(Repo.read(VALUES));
        List<String> documented = parse().values().stream().flatMap(List::stream).map(Param::path).toList();

        // Then every @param names an existing value, once
        for (String path : documented) {
            assertThat(lookup(values, path)).as("@param %s names no value in values.yaml", path).isNotEqualTo(MISSING);
        }
        assertThat(documented).doesNotHaveDuplicates();

        // And every leaf value is documented by its own @param or one of an enclosing map
        List<String> leaves = new ArrayList<>();
        collectLeaves("", values, leaves);
        for (String leaf : leaves) {
            assertThat(documented).as("value %s has no @param (itself or a parent)", leaf)
                    .anyMatch(p -> leaf.equals(p) || leaf.startsWith(p + "."));
        }
    }

    /** Sections in file order, each with its parameters in file order. */
    static Map<String, List<Param>> parse() {
        Map<String, List<Param>> sections = new LinkedHashMap<>();
        String section = "Parameters";
        for (String line : Repo.read(VALUES).split("\n")) {
            Matcher s = SECTION.matcher(line);
            if (s.matches()) {
                section = s.group(1).trim();
                sections.putIfAbsent(section, new ArrayList<>());
                continue;
            }
            Matcher p = PARAM.matcher(line);
            if (p.matches()) {
                sections.computeIfAbsent(section, k -> new ArrayList<>()).add(new Param(p.group(1), p.group(2).trim()));
            }
        }
        return sections;
    }

    static String generatedTable() {
        Map<String, Object> values = Repo.yaml().load(Repo.read(VALUES));
        StringBuilder out = new StringBuilder("\n");
        parse().forEach((section, params) -> {
            if (params.isEmpty()) {
                return;
            }
            out.append("\n### ").append(section).append("\n\n");
            out.append("| Name | Description | Value |\n|---|---|---|\n");
            for (Param param : params) {
                out.append("| `").append(param.path()).append("` | ").append(cell(param.description())).append(" | ")
                        .append(cell(valueText(lookup(values, param.path())))).append(" |\n");
            }
        });
        return out.append("\n").toString();
    }

    private static final Object MISSING = new Object();

    @SuppressWarnings("unchecked")
    private static Object lookup(Map<String, Object> values, String path) {
        Object current = values;
        for (String step : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(step)) {
                return MISSING;
            }
            current = ((Map<String, Object>) map).get(step);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static void collectLeaves(String prefix, Object node, List<String> leaves) {
        if (node instanceof Map<?, ?> map && !map.isEmpty()) {
            ((Map<String, Object>) map).forEach((k, v) -> collectLeaves(prefix.isEmpty() ? k : prefix + "." + k, v, leaves));
        } else {
            leaves.add(prefix);
        }
    }

    private static String valueText(Object value) {
        if (value == null) {
            return "`nil`";
        }
        if (value instanceof String s) {
            return s.isEmpty() ? "`\"\"`" : "`" + s + "`";
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            DumperOptions options = new DumperOptions();
            options.setDefaultFlowStyle(DumperOptions.FlowStyle.FLOW);
            options.setWidth(Integer.MAX_VALUE);
            return "`" + new Yaml(options).dump(value).trim() + "`";
        }
        return "`" + value + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
