package org.protsim.orchestration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A figure of one of compare's mechanism tables, as numbers: bars per category, a series per
 * model or mode, computed from the same summaries (and by the same arithmetic) as the table's
 * cells. A value the table shows as "-" (not run, refused, no samples) is null here, so that it
 * is drawn as no bar and named in the caption, never as a zero.
 *
 * @param file    the PNG's name in the compare folder
 * @param section the heading of the table (in compare.md) the figure belongs to
 * @param series  values by series name, one per category, null where there is none
 * @param stacked whether the series stack (parts of one whole) rather than stand side by side
 */
public record BarFigure(String file, String section, String title, String xTitle, String yTitle,
                        List<String> categories, Map<String, List<Double>> series, boolean stacked, String caption) {
    public BarFigure {
        Objects.requireNonNull(file);
        Objects.requireNonNull(section);
        categories = List.copyOf(categories);
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        for (Map.Entry<String, List<Double>> e : series.entrySet()) {
            if (e.getValue().size() != categories.size()) {
                throw new IllegalArgumentException(file + ": series " + e.getKey() + " has " + e.getValue().size()
                        + " values for " + categories.size() + " categories");
            }
            copy.put(e.getKey(), java.util.Collections.unmodifiableList(new ArrayList<>(e.getValue()))); // nulls kept
        }
        series = java.util.Collections.unmodifiableMap(copy);
    }

    /** "series category" of every missing value, in drawing order, for the caption. */
    public List<String> missing() {
        List<String> out = new ArrayList<>();
        series.forEach((name, values) -> {
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) == null) {
                    out.add(series.size() == 1 ? categories.get(i) : name + " " + categories.get(i));
                }
            }
        });
        return out;
    }
}
