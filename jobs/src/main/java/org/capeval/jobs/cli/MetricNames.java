package org.capeval.jobs.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.capeval.metrics.Metrics;

/**
 * The names {@code --metrics} accepts, for help texts ({@code completionCandidates}, shown through
 * {@code ${COMPLETION-CANDIDATES}}) and errors alike: the metrics module's registry
 * ({@link Metrics#ALL}, in COCO's order) plus {@code spice}, which lives in its own module and only
 * the score job runs. One list, so help, errors and docs cannot drift apart.
 */
public final class MetricNames implements Iterable<String> {
    /** SPICE's name in {@code --metrics}. */
    public static final String SPICE = "spice";

    /** Every name score's {@code --metrics} accepts. */
    public static List<String> all() {
        List<String> names = new ArrayList<>(Metrics.ALL.keySet());
        names.add(SPICE);
        return names;
    }

    /** {@link #all()} as a comma-separated list, as help and errors print it. */
    public static String known() {
        return String.join(", ", all());
    }

    /**
     * The names of a {@code --metrics} value, trimmed and lower-cased, empty entries dropped.
     *
     * @throws IllegalArgumentException for an unknown or repeated name, or none (as {@link Metrics#parse},
     *                                  with this list of known names)
     */
    public static List<String> check(String list) {
        List<String> names = new ArrayList<>();
        List<String> known = all();
        for (String part : list.split(",")) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown metric '" + name + "' in --metrics (known: " + known() + ")");
            }
            if (names.contains(name)) {
                throw new IllegalArgumentException("metric '" + name + "' given twice in --metrics");
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no metric selected in --metrics (known: " + known() + ")");
        }
        return names;
    }

    /** For picocli's {@code completionCandidates}. */
    @Override
    public Iterator<String> iterator() {
        return all().iterator();
    }

    /** The leaderboard's names: the registry's, without spice (the leaderboard does not run SPICE). */
    public static final class WithoutSpice implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Metrics.ALL.keySet().iterator();
        }
    }
}
