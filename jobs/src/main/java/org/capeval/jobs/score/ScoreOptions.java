package org.capeval.jobs.score;

import java.util.List;
import org.capeval.metrics.CaptionMetric;
import org.capeval.metrics.Metrics;

/** Command line of {@code submit.sh score}; every path is a Hadoop URI (plain paths are local files). */
final class ScoreOptions {
    static final String USAGE = String.join("\n",
            "usage: submit.sh score --refs REFS --results RESULTS --out DIR [options]",
            "  --refs PATH               COCO annotation file {images, annotations} (.json or .json.gz)",
            "  --results PATH            COCO results file [{image_id, caption}] (.json or .json.gz)",
            "  --out DIR                 output: DIR/eval.json and DIR/per_image/",
            "  --metrics LIST            comma-separated, default " + Metrics.DEFAULT + " (known: "
                    + String.join(", ", Metrics.ALL.keySet()) + ", spice)",
            "  --pretokenized            captions are already PTB-tokenized: skip tokenization",
            "  --idf PATH                CIDEr document frequencies saved by --save-idf (default: COCO's,",
            "                            from the references of the evaluated images)",
            "  --save-idf PATH           save the document frequencies used, for a later --idf",
            MeteorOptions.USAGE,
            "  --spice-cache PATH        Parquet table of parsed SPICE tuples (caption, parser version):",
            "                            reused and extended by each run, so only new captions are parsed",
            "  --per-image-format F      parquet (default) or json (JSON lines)",
            "  --engine E                auto (default), spark or local. local scores in this JVM without",
            "                            Spark (same numbers and outputs; local files, no spice); auto picks",
            "                            it in local mode when the inputs total at most 1/" + LocalScore.HEAP_PER_INPUT_BYTE + " of the",
            "                            driver heap, else Spark",
            "  --threads N               threads of the local engine (default: from local[N], local[*] = cores)",
            "  --partitions N            Spark partitions for the image set (default: from the input size)",
            "  --overwrite               replace an existing DIR");

    String refs;
    String results;
    String out;
    List<CaptionMetric> metrics = Metrics.parse(Metrics.DEFAULT);
    String metricsList = Metrics.DEFAULT;
    boolean pretokenized;
    String idf;
    String saveIdf;
    String meteorData;
    String meteorParaphrase;
    boolean spice;
    String spiceCache;
    String perImageFormat = "parquet";
    int partitions;
    String engine = "auto";
    int threads;
    boolean overwrite;
    boolean help;

    /** @throws IllegalArgumentException with a message for the user */
    static ScoreOptions parse(String[] args) {
        ScoreOptions o = new ScoreOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--refs" -> o.refs = value(args, ++i, a);
                case "--results" -> o.results = value(args, ++i, a);
                case "--out" -> o.out = value(args, ++i, a);
                case "--metrics" -> {
                    o.metricsList = value(args, ++i, a);
                    // SPICE lives in its own module (capeval-spice), outside the metrics registry.
                    o.spice = SpiceStage.requested(o.metricsList);
                    String others = SpiceStage.withoutSpice(o.metricsList);
                    o.metrics = o.spice && others.isEmpty() ? List.of() : Metrics.parse(others);
                }
                case "--pretokenized" -> o.pretokenized = true;
                case "--idf" -> o.idf = value(args, ++i, a);
                case "--save-idf" -> o.saveIdf = value(args, ++i, a);
                case "--meteor-data" -> o.meteorData = value(args, ++i, a);
                case "--meteor-paraphrase" -> o.meteorParaphrase = value(args, ++i, a);
                case "--spice-cache" -> o.spiceCache = value(args, ++i, a);
                case "--per-image-format" -> {
                    o.perImageFormat = value(args, ++i, a);
                    if (!o.perImageFormat.equals("parquet") && !o.perImageFormat.equals("json")) {
                        throw new IllegalArgumentException("--per-image-format must be parquet or json, not " + o.perImageFormat);
                    }
                }
                case "--engine" -> {
                    o.engine = value(args, ++i, a);
                    if (!List.of("auto", "spark", "local").contains(o.engine)) {
                        throw new IllegalArgumentException("--engine must be auto, spark or local, not " + o.engine);
                    }
                }
                case "--threads" -> o.threads = positive(value(args, ++i, a), a);
                case "--partitions" -> o.partitions = positive(value(args, ++i, a), a);
                case "--overwrite" -> o.overwrite = true;
                case "--help", "-h" -> o.help = true;
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (o.help) {
            return o;
        }
        for (String[] req : new String[][] {{"--refs", o.refs}, {"--results", o.results}, {"--out", o.out}}) {
            if (req[1] == null) {
                throw new IllegalArgumentException("missing " + req[0]);
            }
        }
        if (o.engine.equals("local") && o.spice) {
            throw new IllegalArgumentException("--engine local cannot run spice (it runs on Spark)");
        }
        if (o.spiceCache != null && !o.spice) {
            throw new IllegalArgumentException("--spice-cache given but spice is not in --metrics");
        }
        o.metrics = MeteorOptions.configure(o.metrics, o.meteorData, o.meteorParaphrase);
        if (o.idf != null && o.metrics.stream().noneMatch(CaptionMetric::needsDocumentFrequencies)) {
            throw new IllegalArgumentException("--idf given but no selected metric uses document frequencies");
        }
        return o;
    }

    private static int positive(String v, String option) {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n <= 0) {
            throw new IllegalArgumentException(option + " must be a positive integer, not " + v);
        }
        return n;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
