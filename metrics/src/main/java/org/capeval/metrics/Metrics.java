package org.capeval.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.capeval.metrics.bleu.Bleu;
import org.capeval.metrics.cider.Cider;
import org.capeval.metrics.meteor.Meteor;
import org.capeval.metrics.rouge.RougeL;

/** The metrics the tools know by name, in COCO's output order. */
public final class Metrics {
    private Metrics() {}

    /** Every metric by its {@code --metrics} name, in COCO's key order (register new metrics here). */
    public static final Map<String, CaptionMetric> ALL = new LinkedHashMap<>();

    static {
        register(new Bleu());
        register(Meteor.unconfigured()); // needs Meteor.configure(..., --meteor-data, --meteor-paraphrase)
        register(new RougeL());
        register(Cider.cocoCiderD());
        register(Cider.plainCider());
    }

    private static void register(CaptionMetric m) {
        ALL.put(m.name(), m);
    }

    /** COCO's default set: BLEU-1..4, ROUGE-L, CIDEr-D (the ones this module reproduces). */
    public static final String DEFAULT = "bleu,rouge,cider";

    /**
     * Parses a comma-separated list such as "bleu,rouge,cider". The result is in registry order
     * (COCO's key order), whatever the order given.
     *
     * @throws IllegalArgumentException for an unknown or repeated name
     */
    public static List<CaptionMetric> parse(String list) {
        List<String> names = new ArrayList<>();
        for (String part : list.split(",")) {
            String name = part.trim().toLowerCase(java.util.Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!ALL.containsKey(name)) {
                throw new IllegalArgumentException("unknown metric '" + name + "' (known: " + String.join(", ", ALL.keySet()) + ")");
            }
            if (names.contains(name)) {
                throw new IllegalArgumentException("metric '" + name + "' given twice");
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no metric selected (known: " + String.join(", ", ALL.keySet()) + ")");
        }
        List<CaptionMetric> out = new ArrayList<>();
        for (Map.Entry<String, CaptionMetric> e : ALL.entrySet()) {
            if (names.contains(e.getKey())) {
                out.add(e.getValue());
            }
        }
        return out;
    }
}
