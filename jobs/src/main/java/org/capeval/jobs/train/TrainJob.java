package org.capeval.jobs.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.capeval.jobs.InputFiles;
import org.capeval.jobs.JobFailure;
import org.capeval.jobs.Overlap;
import org.capeval.jobs.SparkSessions;
import org.capeval.jobs.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code submit.sh train ...}: data-parallel training. Reads the rows into cached blocks, then
 * runs {@link Trainer} with a {@link SparkGradientSource}, and writes {@link TrainOutputs}.
 * Exit status: 0 done, 2 bad arguments or data, 3 diverged.
 */
public final class TrainJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

    private TrainJob() {}

    /**
     * Runs a parsed, validated command line ({@code submit.sh train}) in a new session; returns the
     * exit status (a failure, even of Spark's start, is one line: {@link JobFailure}).
     */
    public static int execute(TrainConfig cfg) {
        try {
            checkOutput(cfg, null); // local paths, before Spark starts; the others in train
        } catch (Exception e) {
            return JobFailure.report("train", e);
        }
        SparkSession spark;
        try {
            spark = SparkSessions.start("capeval train", SparkSessions.C2_HOT_ONLY);
        } catch (Exception e) {
            return JobFailure.report("train", e);
        }
        try {
            return run(spark, cfg);
        } finally {
            SparkSessions.stop(spark);
        }
    }

    /**
     * Runs the job in an existing session; returns the exit status and prints the reason in one
     * line when not 0: 2 bad input (the message names --data, the file, the record and the field),
     * 3 diverged, 1 anything else (stack trace in a file, or on stderr with --verbose).
     */
    public static int run(SparkSession spark, TrainConfig cfg) {
        try {
            train(spark, cfg);
            return 0;
        } catch (DivergedException e) {
            System.err.println("capeval train: " + JobFailure.oneLine(e.getMessage()));
            return 3;
        } catch (Exception | org.apache.hadoop.fs.FSError e) { // FSError: Hadoop's local file system failing a write
            return JobFailure.report("train", e, bad -> bad instanceof BadInputException && !bad.getMessage().startsWith("--")
                    ? "--data " + cfg.data + ": " + bad.getMessage() : JobFailure.describe(bad));
        }
    }

    /**
     * Refuses an --out that is, contains or lies inside a --data entry, whose files the outputs
     * would join or replace; with {@code hadoop} null only local paths are compared. An --out that
     * cannot be created (under a regular file, say) is refused now, not after the training: a local
     * one before Spark starts ({@code hadoop} null), another once {@code hadoop} is given.
     */
    static void checkOutput(TrainConfig cfg, Configuration hadoop) throws IOException {
        for (TrainConfig.Source src : cfg.sources()) {
            String data = src.path();
            if (!GLOB.matcher(data).find()) {
                Overlap.refuse("--out", cfg.out, Map.of("--data", data), hadoop);
                continue;
            }
            // a glob is compared through the paths it matches (Hadoop's glob, as Spark's readers
            // expand it): as text it names no real path, so an --out inside a matched directory
            // would pass, and its fixed parent directory would refuse an --out beside the data too
            // (one no match touches)
            for (String match : matches(data, hadoop)) {
                Overlap.refuse("--out", cfg.out, "--data " + data + " (matching " + match + ")", match, hadoop);
            }
        }
        JobFailure.tryCreating("--out", cfg.out, hadoop);
    }

    /** The characters that make a --data path a Hadoop glob pattern. */
    private static final java.util.regex.Pattern GLOB = java.util.regex.Pattern.compile("[*?\\[{]");

    /** The paths a glob matches (local ones as plain paths); with {@code hadoop} null only a local glob's, else none. */
    private static List<String> matches(String glob, Configuration hadoop) throws IOException {
        java.nio.file.Path local = InputFiles.localPath(glob);
        if (local == null && hadoop == null) {
            return List.of();
        }
        Path pattern = InputFiles.hadoopPath(glob);
        FileSystem fs = local != null ? FileSystem.getLocal(hadoop != null ? hadoop : new Configuration()) : pattern.getFileSystem(hadoop);
        FileStatus[] matched = Storage.at("--data " + glob, () -> fs.globStatus(pattern));
        List<String> out = new ArrayList<>();
        for (FileStatus m : matched == null ? new FileStatus[0] : matched) {
            out.add(InputFiles.shown(m.getPath()));
        }
        return out;
    }

    /** Trains and writes the outputs; exceptions as documented on {@link #run}. */
    public static Trainer.Result train(SparkSession spark, TrainConfig cfg) throws Exception {
        long t0 = System.nanoTime();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration hadoop = sc.hadoopConfiguration();
        checkOutput(cfg, hadoop);
        OutputDir out = new OutputDir(cfg.out, hadoop);
        ModelGradient model = new ModelGradient(cfg.model, cfg.chunkRows);
        try (SparkGradientSource source = new SparkGradientSource(sc, DataReader.read(spark, cfg), model,
                cfg.batchSize, cfg.seed, cfg.treeDepth)) {
            if (source.numRows() == 0) {
                throw new BadInputException("--data " + cfg.data + ": no rows to train on");
            }
            LOG.info("application {}: {} rows, model {} ({} parameters), {} steps per epoch", sc.sc().applicationId(),
                    source.numRows(), cfg.model,
                    cfg.model.numParams(), EpochOrder.stepsPerEpoch(source.numRows(), cfg.batchSize));
            Trainer trainer = new Trainer(cfg, model, out, LOG::info);
            Trainer.Result r;
            try {
                r = trainer.train(source);
            } catch (DivergedException e) {
                TrainOutputs.writeCurve(out, cfg, trainer.curveSoFar());
                throw e;
            }
            if (r.stoppedEarly()) {
                return r;
            }
            TrainOutputs.write(out, cfg, r, source.numRows(), (System.nanoTime() - t0) / 1e9);
            LOG.info("done: {} steps, final loss {} on all rows; wrote {}", r.steps(), r.finalLoss(), out);
            return r;
        }
    }
}
