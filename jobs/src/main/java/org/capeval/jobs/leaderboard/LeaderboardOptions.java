package org.capeval.jobs.leaderboard;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.capeval.jobs.cli.Cli;
import org.capeval.jobs.cli.JobCommand;
import org.capeval.jobs.cli.MetricNames;
import org.capeval.jobs.score.MeteorOptions;
import org.capeval.metrics.CaptionMetric;
import org.capeval.metrics.Metrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command line of {@code submit.sh leaderboard}; after {@link #validate} {@code metrics} is configured (METEOR has read its data). */
@Command(name = "leaderboard", header = "Scores tonight's submissions and publishes the leaderboard.",
        description = "The nightly batch: every submission scored in one Spark job against shared references, with a paired "
                + "bootstrap against each metric's leader; writes history.parquet/.csv, latest.json and index.html into a new "
                + "version and publishes it with one pointer object written last, on any Hadoop file system. See jobs/LEADERBOARD.md.")
public final class LeaderboardOptions implements JobCommand {
    @Option(names = "--refs", required = true, paramLabel = "REFS", description = "COCO annotation file (.json or .json.gz)")
    private String refs;

    @Option(names = "--submissions", required = true, paramLabel = "DIR_OR_LIST",
            description = "DIR: <id>.meta.json ({\"name\",\"team\",\"date\"[,\"results\"]}) + <id>.json[.gz] per submission; "
                    + "LIST: a text file with one .meta.json path per line")
    private String submissions;

    @Option(names = "--out", required = true, paramLabel = "LEADERBOARD_DIR",
            description = "the leaderboard directory: a local path or any Hadoop URI (hdfs://, s3a://, file:)")
    private String out;

    @Option(names = "--metrics", paramLabel = "LIST", completionCandidates = MetricNames.WithoutSpice.class,
            description = "comma-separated, default ${DEFAULT-VALUE} (known: ${COMPLETION-CANDIDATES})")
    private String metricsList = Metrics.DEFAULT;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "the night to publish (default: today, UTC)")
    private String night;

    @Option(names = "--bootstrap-samples", paramLabel = "N", description = "paired bootstrap samples (default ${DEFAULT-VALUE}; 0 = none)")
    private int bootstrapSamples = 1000;

    @Option(names = "--seed", paramLabel = "S", description = "bootstrap seed (default ${DEFAULT-VALUE})")
    private long seed = 12345;

    @Option(names = "--significance", paramLabel = "KEY", split = ",", splitSynopsisLabel = ",",
            description = "score keys tested against their leader, each one of the keys --metrics computes (default " + DEFAULT_SIGNIFICANCE
                    + ", those of them computed; the --rank-by key always is)")
    private List<String> significance; // null: not given

    private static final String DEFAULT_SIGNIFICANCE = "Bleu_4,ROUGE_L,CIDEr";

    @Option(names = "--rank-by", paramLabel = "KEY",
            description = "the primary metric: the page's ranking, the leader to beat and the ties (default " + Ranking.DEFAULT_RANK_BY
                    + ", or the last key --metrics computes when it does not compute " + Ranking.DEFAULT_RANK_BY + "); "
                    + "one of the keys --metrics computes, always tested for significance")
    private String rankBy;

    @Option(names = "--partitions", paramLabel = "P", description = "Spark partitions of the image set (default 0: twice Spark's default parallelism)")
    private int partitions;

    @Option(names = "--pretokenized", description = "captions are already PTB-tokenized: skip tokenization")
    private boolean pretokenized;

    @Option(names = "--meteor-data", paramLabel = "DIR", description = MeteorOptions.DATA_HELP)
    private String meteorData;

    @Option(names = "--meteor-paraphrase", paramLabel = "PATH", description = MeteorOptions.PARAPHRASE_HELP)
    private String meteorParaphrase;

    private List<CaptionMetric> metrics;
    private List<String> significanceKeys;

    /**
     * Parses and validates a leaderboard command line, as {@code submit.sh leaderboard args} does.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    public static LeaderboardOptions parse(String[] args) {
        return Cli.parse("leaderboard", args);
    }

    @Override
    public void validate() {
        if (night == null) {
            night = LocalDate.now(ZoneOffset.UTC).toString();
        }
        try {
            if (!night.matches("\\d{4}-\\d{2}-\\d{2}")) throw new IllegalArgumentException();
            LocalDate.parse(night);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--date must be YYYY-MM-DD, got '" + night + "'");
        }
        if (bootstrapSamples < 0) throw new IllegalArgumentException("--bootstrap-samples must be >= 0, got " + bootstrapSamples);
        if (partitions < 0) throw new IllegalArgumentException("--partitions must be >= 0, got " + partitions);
        boolean significanceGiven = significance != null;
        significanceKeys = new ArrayList<>();
        for (String k : significanceGiven ? significance : List.of(DEFAULT_SIGNIFICANCE.split(","))) if (!k.isBlank()) significanceKeys.add(k.trim());
        if (out.isBlank()) throw new IllegalArgumentException("--out must name the leaderboard directory");
        // As the score job: METEOR reads its data now, so missing data fails at start-up.
        metrics = MeteorOptions.configure(Metrics.parse(metricsList), meteorData, meteorParaphrase);
        List<String> computed = new ArrayList<>();
        for (CaptionMetric m : metrics) computed.addAll(m.keys());
        if (rankBy == null) { // a night of other metrics (e.g. --metrics bleu) ranks by its last key (Bleu_4)
            rankBy = computed.contains(Ranking.DEFAULT_RANK_BY) ? Ranking.DEFAULT_RANK_BY : computed.get(computed.size() - 1);
        }
        requireComputed("--rank-by", rankBy, computed);
        if (significanceGiven) for (String k : significanceKeys) requireComputed("--significance", k, computed);
        else significanceKeys.retainAll(computed); // the default names the keys of the default metrics
        // the primary metric's ties with the leader come from its test, so it is always tested
        if (!significanceKeys.contains(rankBy)) significanceKeys.add(rankBy);
    }

    /** A key the option names must be one the night computes, else a usage error naming the option and the keys. */
    private static void requireComputed(String option, String key, List<String> computed) {
        if (!computed.contains(key)) {
            throw new IllegalArgumentException(option + " must be one of the metrics computed (" + String.join(", ", computed) + "), got '"
                    + key + "'");
        }
    }

    @Override
    public boolean needsSpark(String master) {
        return true;
    }

    @Override
    public Integer call() {
        return LeaderboardJob.execute(this);
    }

    public String refs() {
        return refs;
    }

    public String submissions() {
        return submissions;
    }

    /** The leaderboard directory as given: a Hadoop URI, or a local path (LeaderboardStore#location). */
    public String out() {
        return out;
    }

    /** METEOR's data directory, or null. */
    public String meteorData() {
        return meteorData;
    }

    /** METEOR's paraphrase table, or null. */
    public String meteorParaphrase() {
        return meteorParaphrase;
    }

    public List<CaptionMetric> metrics() {
        return metrics;
    }

    public String night() {
        return night;
    }

    public int bootstrapSamples() {
        return bootstrapSamples;
    }

    public long seed() {
        return seed;
    }

    public List<String> significanceKeys() {
        return significanceKeys;
    }

    /** The primary metric key: the page's ranking and the leader that ties are judged against. */
    public String rankBy() {
        return rankBy;
    }

    public int partitions() {
        return partitions;
    }

    public boolean pretokenized() {
        return pretokenized;
    }
}
