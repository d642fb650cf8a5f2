package org.capeval.jobs.train.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.capeval.jobs.train.GradientSource;
import org.capeval.jobs.train.GradientSum;
import org.capeval.jobs.train.ModelGradient;
import org.capeval.jobs.train.ModelSpec;
import org.capeval.jobs.train.RowBlock;
import org.capeval.jobs.train.SparkGradientSource;
import org.capeval.jobs.train.TrainConfig;
import org.capeval.jobs.train.Trainer;

/**
 * Benchmark (run by bench/train-vs-mllib.sh, not a test): full-batch logistic regression on
 * synthetic rows with the train job's gradient path versus Spark MLlib's LogisticRegression, on
 * the same cached data in one Spark application. Prints time per gradient pass / iteration and
 * the final mean log loss of both models, evaluated by the same code.
 *
 * <p>Arguments: rows features partitions iterations optimizer lr momentum mllibIterations
 * lbfgsIterations classes (2: logistic regression against MLlib's binomial family; more: softmax
 * regression against its multinomial family; 0 iterations skips the SGD run). The measure is the time to a target loss: for each run, the wall time from its
 * start to the end of the first pass over the data whose mean loss is within 1e-6 of MLlib's final
 * loss (MLlib's own: from its objective history, interpolated by iterations over the fit time).
 */
public final class TrainVsMllib {
    private TrainVsMllib() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int d = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int parts = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int iters = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        String optimizer = args.length > 4 ? args[4] : "sgd";
        double lr = args.length > 5 ? Double.parseDouble(args[5]) : 4.0;
        double momentum = args.length > 6 ? Double.parseDouble(args[6]) : 0.5;
        int mllibIters = args.length > 7 ? Integer.parseInt(args[7]) : 20;
        int lbfgsIters = args.length > 8 ? Integer.parseInt(args[8]) : 15;
        int classes = args.length > 9 ? Integer.parseInt(args[9]) : 2;
        String master = System.getProperty("spark.master", "local[2]");

        SparkSession spark = SparkSession.builder().master(master).appName("train-vs-mllib")
                .config("spark.ui.enabled", "false").getOrCreate();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Run.split = PassSplit.attach(spark.sparkContext());
        say("rows=%d features=%d partitions=%d master=%s cores=%d java=%s blas=%s OPENBLAS_NUM_THREADS=%s", rows, d, parts, master,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                dev.ludovic.netlib.blas.BLAS.getInstance().getClass().getSimpleName(), System.getenv("OPENBLAS_NUM_THREADS"));

        // the data: generated per partition, cached once as blocks; MLlib's DataFrame is made from those blocks
        JavaRDD<RowBlock> blocks = sc.parallelize(IntStream.range(0, parts).boxed().toList(), parts)
                .flatMap(p -> generate(p, parts, rows, d, classes).iterator());
        ModelSpec spec = ModelSpec.parse(classes == 2 ? "logistic:" + d : "softmax:" + d + "-" + classes);
        ModelGradient model = new ModelGradient(spec, new TrainConfig().chunkRows); // the train job's default
        long t0 = System.nanoTime();
        SparkGradientSource source = new SparkGradientSource(sc, blocks, model, 0, 1, 2);
        say("generated and cached %d rows as blocks in %.1f s", source.numRows(), secs(t0));

        StructType schema = new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType);
        JavaRDD<Row> mlRows = blocks.flatMap(b -> {
            List<Row> out = new ArrayList<>(b.size());
            for (int i = 0; i < b.size(); i++) {
                out.add(RowFactory.create(Vectors.dense(Arrays.copyOfRange(b.features, i * d, (i + 1) * d)), b.labels[i]));
            }
            return out.iterator();
        });
        Dataset<Row> df = spark.createDataFrame(mlRows, schema).persist(StorageLevel.MEMORY_ONLY());
        t0 = System.nanoTime();
        say("cached the same rows as an MLlib DataFrame (%d rows) in %.1f s", df.count(), secs(t0));

        // ours: full-batch steps; each step is one broadcast + one pass + one tree reduction
        TrainConfig cfg = TrainConfig.parse(new String[] {"--data", "synthetic", "--model", spec.toString(), "--out", "unused",
            "--optimizer", optimizer, "--lr", Double.toString(lr), "--momentum", Double.toString(momentum),
            "--epochs", Integer.toString(Math.max(1, iters))});
        source.startEpoch(0);
        source.batch(new double[spec.numParams()], 0); // one warm-up pass (JIT), not counted
        Run sgd = iters == 0 ? null : Run.of("capeval SGD", source, cfg, model);
        if (sgd != null) {
            say("capeval train: %d iterations (%s lr=%s momentum=%s) in %.2f s: per iteration mean %.3f s, median %.3f s, min %.3f s;"
                    + " final mean log loss %.6f", sgd.result.steps(), optimizer, lr, momentum, sgd.total, mean(sgd.passSeconds),
                    median(sgd.passSeconds), min(sgd.passSeconds), sgd.result.finalLoss());
            StringBuilder curve = new StringBuilder();
            sgd.result.curve().points().forEach(p -> curve.append(String.format(Locale.ROOT, " %.5f", p.loss())));
            say("capeval loss curve:%s", curve);
            sgd.saySplits();
        }

        // ours again: L-BFGS (strong Wolfe, lr 1), one iteration per epoch, each evaluation one pass
        TrainConfig lbfgsCfg = TrainConfig.parse(new String[] {"--data", "synthetic", "--model", spec.toString(), "--out", "unused",
            "--optimizer", "lbfgs", "--epochs", Integer.toString(lbfgsIters)});
        Run lbfgs = Run.of("capeval L-BFGS", source, lbfgsCfg, model);
        say("capeval L-BFGS: %d iterations, %d passes in %.2f s: per pass mean %.3f s, median %.3f s, min %.3f s;"
                + " final mean log loss %.6f", lbfgs.result.steps(), lbfgs.passSeconds.size(), lbfgs.total, mean(lbfgs.passSeconds),
                median(lbfgs.passSeconds), min(lbfgs.passSeconds), lbfgs.result.finalLoss());
        StringBuilder lcurve = new StringBuilder();
        lbfgs.result.curve().points().forEach(p -> lcurve.append(String.format(Locale.ROOT, " %.7f", p.loss())));
        say("capeval L-BFGS loss curve (start of each iteration):%s", lcurve);
        lbfgs.saySplits();
        List<Double> passes = sgd != null ? sgd.passSeconds : lbfgs.passSeconds;

        // MLlib: LogisticRegression (L-BFGS, no regularisation) on the cached DataFrame
        LogisticRegression lrm = new LogisticRegression().setMaxIter(mllibIters).setRegParam(0).setTol(1e-12)
                .setFamily(classes == 2 ? "binomial" : "multinomial");
        t0 = System.nanoTime();
        LogisticRegressionModel m = lrm.fit(df);
        double mlTotal = secs(t0);
        int mlIters = m.summary().totalIterations();
        double[] mlParams = ourLayout(m, d, classes);
        double mlLoss = source.all(mlParams).meanLoss();
        say("MLlib LogisticRegression: %d iterations in %.2f s (%.3f s per iteration, including its data conversion);"
                + " final mean log loss %.6f (its own objective history ends at %.6f)", mlIters, mlTotal,
                mlTotal / mlIters, mlLoss, m.summary().objectiveHistory()[m.summary().objectiveHistory().length - 1]);
        say("ratio: capeval per-iteration median / MLlib per-iteration = %.3f", median(passes) / (mlTotal / mlIters));

        // MLlib again, now that JIT and caches are warm, to separate its first-fit costs
        t0 = System.nanoTime();
        LogisticRegressionModel m2 = lrm.fit(df);
        double mlTotal2 = secs(t0);
        say("MLlib second fit: %d iterations in %.2f s (%.3f s per iteration)", m2.summary().totalIterations(), mlTotal2,
                mlTotal2 / m2.summary().totalIterations());

        double target = mlLoss + 1e-6;
        double[] history = m.summary().objectiveHistory();
        int reached = history.length - 1;
        for (int i = 0; i < history.length; i++) {
            if (history[i] <= history[history.length - 1] + 1e-6) {
                reached = i;
                break;
            }
        }
        double share = history.length > 1 ? (double) reached / (history.length - 1) : 1;
        say("time to a mean log loss <= %.7f (MLlib's final + 1e-6):", target);
        say("  capeval SGD:    %s", sgd != null ? sgd.timeTo(target) : "not run");
        say("  capeval L-BFGS: %s", lbfgs.timeTo(target));
        say("  MLlib 1st fit:  %.2f s (fit), ~%.2f s at its iteration %d of %d", mlTotal, mlTotal * share, reached, history.length - 1);
        say("  MLlib 2nd fit:  %.2f s (fit), ~%.2f s at its iteration %d of %d", mlTotal2, mlTotal2 * share, reached, history.length - 1);
        source.close();
        spark.stop();
    }

    /** One timed training run: every pass over the data with its end time and mean loss. */
    private static final class Run {
        final List<Double> passSeconds = new ArrayList<>();
        final List<double[]> lossAt = new ArrayList<>(); // {seconds since start, mean loss}
        final List<String> splits = new ArrayList<>();
        static PassSplit split;
        Trainer.Result result;
        double total;
        String name;

        static Run of(String name, SparkGradientSource source, TrainConfig cfg, ModelGradient model) throws Exception {
            Run run = new Run();
            run.name = name;
            split.skipToNow();
            long start = System.nanoTime();
            GradientSource timed = new GradientSource() {
                public long numRows() {
                    return source.numRows();
                }

                public void startEpoch(int e) {
                    source.startEpoch(e);
                }

                public GradientSum batch(double[] p, long step) {
                    return run.timed(start, () -> source.batch(p, step));
                }

                public GradientSum all(double[] p) {
                    return run.timed(start, () -> source.all(p));
                }
            };
            run.result = new Trainer(cfg, model, null, s -> {}).train(timed);
            run.total = secs(start);
            return run;
        }

        GradientSum timed(long start, java.util.function.Supplier<GradientSum> pass) {
            long startMs = System.currentTimeMillis();
            long gc = PassSplit.gcMillis();
            long passStart = System.nanoTime();
            GradientSum g = pass.get();
            passSeconds.add(secs(passStart));
            lossAt.add(new double[] {secs(start), g.meanLoss()});
            splits.add(split.describe(startMs, System.currentTimeMillis(), PassSplit.gcMillis() - gc));
            return g;
        }

        /** One line per pass: where its time went. */
        void saySplits() {
            for (int i = 0; i < splits.size(); i++) {
                say("  %s pass %d: %s", name, i + 1, splits.get(i));
            }
        }

        String timeTo(double target) {
            for (int i = 0; i < lossAt.size(); i++) {
                if (lossAt.get(i)[1] <= target) {
                    return String.format(Locale.ROOT, "%.2f s (pass %d of %d, loss %.7f)", lossAt.get(i)[0], i + 1, lossAt.size(),
                            lossAt.get(i)[1]);
                }
            }
            return String.format(Locale.ROOT, "not reached in %.2f s (%d passes, best %.7f)", total, lossAt.size(),
                    lossAt.stream().mapToDouble(x -> x[1]).min().orElse(Double.NaN));
        }
    }

    private static double min(List<Double> xs) {
        return xs.stream().mapToDouble(x -> x).min().orElse(Double.NaN);
    }

    /** MLlib's coefficients and intercepts as the train job's flat parameters (weights [out][in], then biases). */
    static double[] ourLayout(LogisticRegressionModel m, int d, int classes) {
        if (classes == 2) {
            double[] p = Arrays.copyOf(m.coefficients().toArray(), d + 1);
            p[d] = m.intercept();
            return p;
        }
        double[] p = new double[classes * d + classes];
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < d; j++) {
                p[k * d + j] = m.coefficientMatrix().apply(k, j);
            }
            p[classes * d + k] = m.interceptVector().apply(k);
        }
        return p;
    }

    /**
     * Partition p's share of the rows: x ~ N(0, 1); with 2 classes y ~ Bernoulli(sigmoid(w.x + 0.2)),
     * with K classes y drawn from softmax(W x + b), for fixed w, W and b.
     */
    static List<RowBlock> generate(int p, int parts, int rows, int d, int classes) {
        SplittableRandom wr = new SplittableRandom(2024);
        double[] w = new double[d];
        for (int j = 0; j < d; j++) {
            w[j] = 0.3 * wr.nextGaussian();
        }
        if (classes > 2) {
            return generateSoftmax(p, parts, rows, d, classes);
        }
        long first = (long) rows * p / parts, end = (long) rows * (p + 1) / parts;
        SplittableRandom r = new SplittableRandom(7919L * (p + 1));
        List<RowBlock> out = new ArrayList<>();
        RowBlock.Builder b = new RowBlock.Builder(d, 16384);
        double[] x = new double[d];
        for (long i = first; i < end; i++) {
            double z = 0.2;
            for (int j = 0; j < d; j++) {
                x[j] = r.nextGaussian();
                z += w[j] * x[j];
            }
            b.add(i, x, r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
            if (b.isFull()) {
                out.add(b.build());
            }
        }
        if (!b.isEmpty()) {
            out.add(b.build());
        }
        return out;
    }

    private static List<RowBlock> generateSoftmax(int p, int parts, int rows, int d, int classes) {
        SplittableRandom wr = new SplittableRandom(2025);
        double[][] w = new double[classes][d];
        double[] bias = new double[classes];
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < d; j++) {
                w[k][j] = 0.15 * wr.nextGaussian();
            }
            bias[k] = 0.2 * wr.nextGaussian();
        }
        long first = (long) rows * p / parts, end = (long) rows * (p + 1) / parts;
        SplittableRandom r = new SplittableRandom(7919L * (p + 1));
        List<RowBlock> out = new ArrayList<>();
        RowBlock.Builder b = new RowBlock.Builder(d, 16384);
        double[] x = new double[d], z = new double[classes];
        for (long i = first; i < end; i++) {
            for (int j = 0; j < d; j++) {
                x[j] = r.nextGaussian();
            }
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int k = 0; k < classes; k++) {
                z[k] = bias[k];
                for (int j = 0; j < d; j++) {
                    z[k] += w[k][j] * x[j];
                }
                max = Math.max(max, z[k]);
            }
            for (int k = 0; k < classes; k++) {
                z[k] = Math.exp(z[k] - max);
                sum += z[k];
            }
            double u = r.nextDouble() * sum;
            int y = 0;
            while (y < classes - 1 && (u -= z[y]) > 0) {
                y++;
            }
            b.add(i, x, y);
            if (b.isFull()) {
                out.add(b.build());
            }
        }
        if (!b.isEmpty()) {
            out.add(b.build());
        }
        return out;
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(x -> x).average().orElse(Double.NaN);
    }

    static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(x -> x).sorted().toArray();
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static void say(String fmt, Object... args) {
        System.out.println("[bench] " + String.format(Locale.ROOT, fmt, args));
    }
}
