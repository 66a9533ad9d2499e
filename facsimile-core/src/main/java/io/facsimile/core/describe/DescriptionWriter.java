package io.facsimile.core.describe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints descriptions, explanations and instance lists as text, JSON or YAML. Text is for people:
 * values are shown as compact JSON ({@code "db1"}, {@code 5432}, {@code ["a","b"]}) so a string
 * {@code "5432"} and a number {@code 5432} look different. The output ends with a line break.
 */
public final class DescriptionWriter {

    private static final ObjectMapper COMPACT = JsonMapper.builder().build();
    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    private DescriptionWriter() {}

    /** The description of an instance. */
    public static String write(Description description, OutputFormat format) {
        if (format != OutputFormat.TEXT) {
            return structured(description, format);
        }
        StringBuilder out = new StringBuilder();
        out.append("Instance ")
                .append(description.instance())
                .append(", state ")
                .append(description.stateName())
                .append(" (")
                .append(description.stateFile())
                .append(")\n");
        out.append("Layers, later wins:\n");
        int width = description.layers().stream()
                .mapToInt(l -> l.name().length())
                .max()
                .orElse(0);
        description
                .layers()
                .forEach(layer -> out.append("  ")
                        .append(pad(layer.name(), width))
                        .append("  ")
                        .append(layer.file())
                        .append('\n'));
        out.append("Definition:\n");
        if (description.values().isEmpty()) {
            out.append("  (empty)\n");
        }
        for (DescribedValue value : description.values()) {
            out.append("  ")
                    .append(value.path())
                    .append(" = ")
                    .append(text(value.value()))
                    .append("  ")
                    .append(setBy(value.layer(), value.origin()))
                    .append('\n');
            value.shadowed()
                    .forEach(s -> out.append("    shadows ").append(shadowed(s)).append('\n'));
        }
        out.append("Modules:\n");
        if (description.modules().isEmpty()) {
            out.append("  (none)\n");
        }
        description.modules().forEach((key, fields) -> flatten(key, fields, out));
        out.append("State:\n");
        flatten("", description.state(), out);
        return out.toString();
    }

    /** The explanation of one key. */
    public static String write(Explanation explanation, OutputFormat format) {
        if (format != OutputFormat.TEXT) {
            return structured(explanation, format);
        }
        StringBuilder out = new StringBuilder();
        out.append(explanation.key()).append(" in ").append(explanation.instance());
        if (explanation.value() == null) {
            out.append(" is removed (null)  ")
                    .append(setBy(explanation.layer(), explanation.origin()))
                    .append('\n');
        } else {
            out.append(" = ").append(text(explanation.value())).append('\n');
            if (explanation.written() != null) {
                out.append("  written as ").append(text(explanation.written())).append('\n');
            }
            out.append("  ")
                    .append(setBy(explanation.layer(), explanation.origin()))
                    .append('\n');
        }
        if (explanation.shadowed().isEmpty()) {
            out.append("  shadows nothing: no earlier layer sets it\n");
        } else {
            out.append("  shadows, in layer order:\n");
            explanation
                    .shadowed()
                    .forEach(s -> out.append("    ").append(shadowed(s)).append('\n'));
        }
        if (explanation.uses().isEmpty()) {
            out.append("  used by no template of ")
                    .append(explanation.instance())
                    .append('\n');
        } else {
            out.append("  used by templates:\n");
            explanation
                    .uses()
                    .forEach(use -> out.append("    ")
                            .append(use.template())
                            .append(':')
                            .append(use.line())
                            .append(": ")
                            .append(use.text())
                            .append('\n'));
        }
        return out.toString();
    }

    /** The instances, their layers, targets and nodes, as a table with one line per target. */
    public static String write(List<ListedInstance> instances, OutputFormat format) {
        if (format != OutputFormat.TEXT) {
            return structured(instances, format);
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"INSTANCE", "LAYERS", "TARGET", "NODES"});
        for (ListedInstance instance : instances) {
            boolean first = true;
            for (DeployTarget target : instance.targets()) {
                rows.add(new String[] {
                    first ? instance.name() : "",
                    first ? String.join(", ", instance.layers()) : "",
                    target.name(),
                    target.nodes().isEmpty() ? "-" : String.join(", ", target.nodes())
                });
                first = false;
            }
        }
        int[] widths = new int[4];
        rows.forEach(row -> {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        });
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i]) + "  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static void flatten(String prefix, Object value, StringBuilder out) {
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            map.forEach((key, child) -> flatten(prefix.isEmpty() ? (String) key : prefix + "." + key, child, out));
        } else {
            out.append("  ").append(prefix).append(" = ").append(text(value)).append('\n');
        }
    }

    private static String setBy(String layer, String origin) {
        return layer.isEmpty() ? "at " + origin : "set by " + layer + " at " + origin;
    }

    private static String shadowed(Shadowed shadowed) {
        String value = shadowed.value() == null ? "null (removed)" : text(shadowed.value());
        return value + "  " + setBy(shadowed.layer(), shadowed.origin()).replaceFirst("^set by ", "by ");
    }

    /** A value as compact JSON; masked and placeholder texts stay bare. */
    static String text(Object value) {
        if (SecretMask.MASK.equals(value) || Describer.NOT_GENERATED.equals(value)) {
            return (String) value;
        }
        try {
            return COMPACT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    private static String structured(Object value, OutputFormat format) {
        try {
            String text = (format == OutputFormat.JSON ? JSON : YAML).writeValueAsString(value);
            return text.endsWith("\n") ? text : text + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot write a plain tree as " + format + ": " + e.getOriginalMessage(), e);
        }
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
