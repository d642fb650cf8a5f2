package org.capeval.jobs.score;

import java.util.List;
import org.capeval.jobs.cli.Cli;
import org.capeval.jobs.cli.JobCommand;
import org.capeval.jobs.cli.MetricNames;
import org.capeval.metrics.CaptionMetric;
import org.capeval.metrics.Metrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command line of {@code submit.sh score}; every path is a Hadoop URI (plain paths are local files). */
@Command(name = "score", header = "Scores captions with the COCO caption metrics (pycocoevalcap's numbers).",
        description = "Writes DIR/eval.json (corpus scores, signature) and DIR/per_image/ (one row per image). Paths are "
                + "Hadoop URIs (file:, hdfs:, s3a:; plain paths are local files). DIR is written to a temporary sibling and "
                + "moved into place when complete.")
public final class ScoreOptions implements JobCommand {
    @Option(names = "--refs", required = true, paramLabel = "PATH",
            description = "COCO annotation file {images, annotations} (.json or .json.gz)")
    String refs;

    @Option(names = "--results", required = true, paramLabel = "PATH",
            description = "COCO results file [{image_id, caption}] (.json or .json.gz)")
    String results;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output: DIR/eval.json and DIR/per_image/")
    String out;

    /** The selected metrics without spice, configured (METEOR has read its data); from {@link #metricsList}. */
    List<CaptionMetric> metrics = Metrics.parse(Metrics.DEFAULT);

    @Option(names = "--metrics", paramLabel = "LIST", completionCandidates = MetricNames.class,
            description = "comma-separated, default ${DEFAULT-VALUE} (known: ${COMPLETION-CANDIDATES})")
    String metricsList = Metrics.DEFAULT;

    @Option(names = "--pretokenized", description = "captions are already PTB-tokenized: skip tokenization")
    boolean pretokenized;

    @Option(names = "--idf", paramLabel = "PATH",
            description = "CIDEr document frequencies saved by --save-idf (default: COCO's, from the references of the evaluated images)")
    String idf;

    @Option(names = "--save-idf", paramLabel = "PATH", description = "save the document frequencies used, for a later --idf (a FILE: an existing one is replaced only with --overwrite)")
    String saveIdf;

    @Option(names = "--meteor-data", paramLabel = "DIR", description = MeteorOptions.DATA_HELP)
    String meteorData;

    @Option(names = "--meteor-paraphrase", paramLabel = "PATH", description = MeteorOptions.PARAPHRASE_HELP)
    String meteorParaphrase;

    /** spice is in {@link #metricsList} (it lives in its own module, outside the metrics registry). */
    boolean spice;

    @Option(names = "--spice-cache", paramLabel = "PATH",
            description = "Parquet table of parsed SPICE tuples (caption, parser version): reused and extended by each run, "
                    + "so only new captions are parsed")
    String spiceCache;

    @Option(names = "--per-image-format", paramLabel = "F", description = "parquet (default) or json (JSON lines)")
    String perImageFormat = "parquet";

    @Option(names = "--format", paramLabel = "F",
            description = "capeval (default: eval.json and per_image/) or pycocoevalcap: also DIR/" + PycocoevalcapJson.FILE
                    + ", {\"eval\": ..., \"imgToEval\": ...} as pycocoevalcap's COCOEvalCap holds them, as json.dump writes them")
    String format = "capeval";

    /** Whether {@code --format pycocoevalcap} asks for {@link PycocoevalcapJson}'s file. */
    boolean pycocoevalcap() {
        return format.equals(PycocoevalcapJson.FORMAT);
    }

    @Option(names = "--engine", paramLabel = "E",
            description = "auto (default), spark or local. local scores in this JVM without Spark (same numbers and outputs; "
                    + "local files, no spice); auto picks it in local mode when the inputs total at most 1/"
                    + LocalScore.HEAP_PER_INPUT_BYTE + " of the driver heap, else Spark")
    String engine = "auto";

    /** 0: not given. */
    int threads;

    @Option(names = "--threads", paramLabel = "N", description = "threads of the local engine (default: from local[N], local[*] = cores)")
    private void threads(int n) {
        threads = positive(n, "--threads");
    }

    /** 0: not given. */
    int partitions;

    @Option(names = "--partitions", paramLabel = "N", description = "Spark partitions for the image set (default: from the input size)")
    private void partitions(int n) {
        partitions = positive(n, "--partitions");
    }

    @Option(names = "--overwrite", description = "replace an existing DIR and --save-idf file")
    boolean overwrite;

    /**
     * Parses and validates a score command line, as {@code submit.sh score args} does.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    static ScoreOptions parse(String[] args) {
        return Cli.parse("score", args);
    }

    @Override
    public void validate() {
        if (!perImageFormat.equals("parquet") && !perImageFormat.equals("json")) {
            throw new IllegalArgumentException("--per-image-format must be parquet or json, not " + perImageFormat);
        }
        if (!format.equals("capeval") && !pycocoevalcap()) {
            throw new IllegalArgumentException("--format must be capeval or pycocoevalcap, not " + format);
        }
        if (!List.of("auto", "spark", "local").contains(engine)) {
            throw new IllegalArgumentException("--engine must be auto, spark or local, not " + engine);
        }
        List<String> names = MetricNames.check(metricsList);
        spice = names.contains(MetricNames.SPICE);
        List<String> others = names.stream().filter(n -> !n.equals(MetricNames.SPICE)).toList();
        metrics = spice && others.isEmpty() ? List.of() : Metrics.parse(String.join(",", others));
        if (engine.equals("local") && spice) {
            throw new IllegalArgumentException("--engine local cannot run spice (it runs on Spark)");
        }
        if (spiceCache != null && !spice) {
            throw new IllegalArgumentException("--spice-cache given but spice is not in --metrics");
        }
        metrics = MeteorOptions.configure(metrics, meteorData, meteorParaphrase);
        if (idf != null && metrics.stream().noneMatch(CaptionMetric::needsDocumentFrequencies)) {
            throw new IllegalArgumentException("--idf given but no selected metric uses document frequencies");
        }
    }

    private static int positive(int n, String option) {
        if (n <= 0) {
            throw new IllegalArgumentException(option + " must be a positive integer, not " + n);
        }
        return n;
    }

    @Override
    public boolean needsSpark(String master) {
        return !ScoreJob.isLocal(this, master, Runtime.getRuntime().maxMemory());
    }

    @Override
    public boolean shortOnSpark(String master) {
        return ScoreJob.isShortOnSpark(this);
    }

    @Override
    public Integer call() {
        return ScoreJob.execute(this);
    }
}
