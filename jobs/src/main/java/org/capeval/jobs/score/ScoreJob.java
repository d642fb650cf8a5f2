package org.capeval.jobs.score;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.capeval.jobs.JobFailure;
import org.capeval.jobs.SparkSessions;
import org.capeval.metrics.cider.DocumentFrequencies;

/**
 * {@code submit.sh score}: COCO caption evaluation (BLEU, METEOR, ROUGE-L, CIDEr-D, ...) of a
 * results file against an annotation file, with pycocoevalcap's numbers, on one of two engines
 * that run the same scoring core ({@link org.capeval.metrics.core.Scoring}): {@link LocalScore}
 * over threads in this JVM, {@link SparkScore} over Spark partitions. Both write through
 * {@link ScoreOutput} and give the same files (Parquet's footer aside: {@link PerImageWriter}).
 */
public final class ScoreJob {
    private ScoreJob() {}

    /**
     * Runs a parsed command line on the engine it selects (local engine or Spark, see
     * {@link #isLocal}), prints eval.json's content on stdout and returns the exit status: 0, or
     * as {@link JobFailure} reports the failure in one line ({@value JobFailure#BAD_INPUT} for bad
     * input: options, files, records; {@value JobFailure#FAILED} otherwise).
     */
    public static int execute(ScoreOptions options) {
        String master = System.getProperty("spark.master", "local[*]");
        int code;
        try {
            ScoreInputs.check(options, null); // local files, before Spark starts; the others in SparkScore
            ScoreOutput.check(options);
        } catch (Exception e) {
            return report(options, e);
        }
        if (isLocal(options, master, Runtime.getRuntime().maxMemory())) {
            int threads = localThreads(options, master);
            long start = System.nanoTime();
            code = runAndReport(options, () -> {
                try {
                    ObjectNode eval = LocalScore.run(options, threads);
                    System.err.printf("capeval score: %d images scored in %.1f s by the local engine (%d threads, no Spark), output %s%n",
                            eval.get("n_images").asLong(), (System.nanoTime() - start) / 1e9, threads, options.out);
                    return eval;
                } catch (OutOfMemoryError e) { // the output was not written (LocalScore cleans up)
                    throw new JobFailure.Reported("the local engine holds the inputs in memory and ran out of it ("
                            + e.getMessage() + "): use a larger --driver-memory or --engine spark", e);
                }
            });
        } else {
            // SPICE joins its values with a Spark SQL table; without it the job uses only RDDs, and
            // no SparkSession is created (its start-up alone is ~2 s)
            SparkSession spark = null;
            JavaSparkContext sc;
            try {
                if (options.spice) {
                    spark = SparkSessions.start("capeval score", SparkScore.KRYO_CLASSES);
                    sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                } else {
                    sc = SparkSessions.startContext("capeval score",
                            isShortOnSpark(options) ? SparkSessions.C1_ONLY : SparkSessions.C2_HOT_ONLY, SparkScore.KRYO_CLASSES);
                }
            } catch (Exception e) {
                return report(options, e);
            }
            SparkSession session = spark;
            try {
                code = runAndReport(options, () -> SparkScore.run(sc, session, options));
            } finally {
                if (session != null) {
                    SparkSessions.stop(session);
                } else {
                    SparkSessions.stop(sc);
                }
            }
        }
        return code;
    }

    /** One engine's run, returning eval.json's content. */
    private interface EngineRun {
        ObjectNode run() throws Exception;
    }

    /** Prints eval.json's content and returns 0, or reports the error in one line and returns its exit status. */
    private static int runAndReport(ScoreOptions options, EngineRun run) {
        try {
            System.out.println(run.run().toPrettyString());
            return 0;
        } catch (Exception | Error e) { // an Error too (Hadoop's FSError failing a write; a class whose initialization ran out of memory): one line
            return report(options, e);
        }
    }

    private static int report(ScoreOptions options, Throwable e) {
        return JobFailure.report("score", e, bad -> message(options, bad));
    }

    /**
     * A bad-input exception's line, naming the option of the file: a COCO format error names the
     * file it was found in, which is --refs' or --results' value.
     */
    static String message(ScoreOptions o, Throwable bad) {
        if (bad instanceof DocumentFrequencies.FormatException f) {
            return "--idf " + o.idf + ": " + f.problem();
        }
        return JobFailure.describe(bad, "--refs", o.refs, "--results", o.results);
    }

    /**
     * The engine decision: {@code --engine local}, or {@code auto} in local mode when
     * {@link LocalScore} can run these options and the inputs fit in {@code maxHeap}.
     */
    public static boolean isLocal(ScoreOptions o, String master, long maxHeap) {
        return switch (o.engine) {
            case "local" -> true;
            case "spark" -> false;
            default -> master.startsWith("local") && LocalScore.unsupported(o) == null && LocalScore.fits(o, maxHeap);
        };
    }

    /**
     * Whether a Spark run of these options is short enough that its driver and executors should
     * compile with C1 only: local inputs of at most {@link #SHORT_ON_SPARK_BYTES} together, no
     * SPICE, any master (each executor's share of a short run is shorter still). On 2 cores, C2
     * compiling the scoring loops cost a 200k-image run (115 MB) in local mode more CPU than its
     * faster code saved (57 s against 46 s with C1 only), while at 1M images (583 MB) C1-only code
     * cost ~26 s more; on a 2-worker standalone cluster, C1-only executors took a 200k-image run from
     * 17.4-19.8 s to 12.2-13.3 s (BENCHMARKS.md).
     */
    public static boolean isShortOnSpark(ScoreOptions o) {
        if (LocalScore.unsupported(o) != null) { // a store's paths are not opened here
            return false;
        }
        long bytes = LocalScore.inputBytes(o); // 0 when one is missing: the driver reports it
        return bytes > 0 && bytes <= SHORT_ON_SPARK_BYTES;
    }

    /** Input bytes up to which a Spark run is short ({@link #isShortOnSpark}): between 200k and 1M images. */
    static final long SHORT_ON_SPARK_BYTES = 256L << 20;

    /** Threads of the local engine: --threads, else local[N] gives N, local[*] the cores, local 1. */
    static int localThreads(ScoreOptions o, String master) {
        if (o.threads > 0) {
            return o.threads;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[(\\*|\\d+)(,\\d+)?]").matcher(master);
        if (m.matches()) {
            return m.group(1).equals("*") ? cores : Math.max(1, Integer.parseInt(m.group(1)));
        }
        return master.equals("local") ? 1 : cores;
    }

    /** Runs the job with command-line arguments; for tests and callers that own the SparkSession. */
    public static ObjectNode run(SparkSession spark, String... args) throws IOException {
        return run(spark, ScoreOptions.parse(args));
    }

    /** The output directory exists and --overwrite was not given: bad input. */
    public static final class OutputExistsException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        OutputExistsException(String message) {
            super(message);
        }
    }

    static ObjectNode run(SparkSession spark, ScoreOptions o) throws IOException {
        return SparkScore.run(JavaSparkContext.fromSparkContext(spark.sparkContext()), spark, o);
    }
}
