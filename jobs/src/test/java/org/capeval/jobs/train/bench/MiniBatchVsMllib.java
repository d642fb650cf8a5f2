package org.capeval.jobs.train.bench;

import static org.capeval.jobs.train.bench.TrainVsMllib.median;
import static org.capeval.jobs.train.bench.TrainVsMllib.say;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.GradientDescent;
import org.apache.spark.mllib.optimization.LogisticGradient;
import org.apache.spark.mllib.optimization.SimpleUpdater;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.capeval.jobs.train.GradientSum;
import org.capeval.jobs.train.ModelGradient;
import org.capeval.jobs.train.ModelSpec;
import org.capeval.jobs.train.RowBlock;
import org.capeval.jobs.train.SparkGradientSource;
import org.capeval.jobs.train.TrainConfig;
import scala.Tuple2;

/**
 * Benchmark (run by {@code bench/train-vs-mllib.sh --minibatch}, not a test): the cost of one small
 * mini-batch step on Spark, the train job's against MLlib's {@code GradientDescent.runMiniBatchSGD}
 * (the optimizer under MLlib's RDD-based SGD models), on the same cached rows in one application.
 * With small batches a step is mostly Spark's per-job cost (broadcast, scheduling, reduction),
 * which is what a user training with {@code --batch-size} pays per step.
 *
 * <p>Ours: {@code logistic:D}, batch B rows of the epoch's permutation, each step one broadcast, one
 * job over the cached blocks (every partition sums its rows of the batch), one tree reduction, and a
 * plain SGD update on the driver. MLlib: {@code LogisticGradient} + {@code SimpleUpdater}, mini-batch
 * fraction B / rows (each step samples every partition: its cost grows with the data, not the batch),
 * convergence tolerance 0 so it runs every step. Both after one untimed warm-up of a few steps.
 *
 * <p>Arguments: rows features partitions batch steps (defaults 1000000 100 4 1000 200).
 */
public final class MiniBatchVsMllib {
    private MiniBatchVsMllib() {}

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int d = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int parts = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        int steps = args.length > 4 ? Integer.parseInt(args[4]) : 200;
        double lr = 1.0;
        String master = System.getProperty("spark.master", "local[2]");
        SparkSession spark = SparkSession.builder().master(master).appName("minibatch-vs-mllib")
                .config("spark.ui.enabled", "false").getOrCreate();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        say("rows=%d features=%d partitions=%d batch=%d steps=%d master=%s java=%s", rows, d, parts, batch, steps, master,
                System.getProperty("java.version"));

        JavaRDD<RowBlock> blocks = sc.parallelize(IntStream.range(0, parts).boxed().toList(), parts)
                .flatMap(p -> TrainVsMllib.generate(p, parts, rows, d, 2).iterator());
        ModelSpec spec = ModelSpec.parse("logistic:" + d);
        ModelGradient model = new ModelGradient(spec, new TrainConfig().chunkRows);
        SparkGradientSource source = new SparkGradientSource(sc, blocks, model, batch, 1, 2);
        JavaRDD<Tuple2<Object, Vector>> mlRows = blocks.flatMap(b -> {
            List<Tuple2<Object, Vector>> out = new ArrayList<>(b.size());
            for (int i = 0; i < b.size(); i++) {
                double[] x = java.util.Arrays.copyOfRange(b.features, i * d, (i + 1) * d);
                out.add(new Tuple2<>(b.labels[i], Vectors.dense(x)));
            }
            return out.iterator();
        }).persist(StorageLevel.MEMORY_ONLY());
        say("cached %d rows as blocks and %d as MLlib (label, vector) pairs", source.numRows(), mlRows.count());

        // ours: one epoch's order, then `steps` steps of B rows each (warm-up: 5 steps, not timed)
        source.startEpoch(0);
        double[] w = new double[spec.numParams()];
        for (int s = 0; s < 5; s++) {
            sgdStep(w, source.batch(w, s), lr);
        }
        List<Double> stepSeconds = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int s = 5; s < 5 + steps; s++) {
            long s0 = System.nanoTime();
            sgdStep(w, source.batch(w, s), lr);
            stepSeconds.add((System.nanoTime() - s0) / 1e9);
        }
        double ours = (System.nanoTime() - t0) / 1e9;
        say("capeval: %d steps of %d rows in %.2f s = %.1f steps/s (per step median %.4f s, min %.4f s)", steps, batch, ours,
                steps / ours, median(stepSeconds), Collections.min(stepSeconds));

        // MLlib: the same number of steps, mini-batch fraction B / rows
        double fraction = (double) batch / rows;
        Vector init = Vectors.zeros(d); // no intercept: MLlib's GradientDescent has none (ours has d + 1 parameters)
        GradientDescent.runMiniBatchSGD(mlRows.rdd(), new LogisticGradient(), new SimpleUpdater(), lr, 5, 0.0, fraction, init, 0.0);
        t0 = System.nanoTime();
        Tuple2<Vector, double[]> fit = GradientDescent.runMiniBatchSGD(mlRows.rdd(), new LogisticGradient(), new SimpleUpdater(), lr,
                steps, 0.0, fraction, init, 0.0);
        double mllib = (System.nanoTime() - t0) / 1e9;
        say("MLlib runMiniBatchSGD: %d steps (fraction %.6f) in %.2f s = %.1f steps/s", fit._2().length, fraction, mllib,
                fit._2().length / mllib);
        say("ratio: capeval step time / MLlib step time = %.3f", (ours / steps) / (mllib / fit._2().length));
        source.close();
        spark.stop();
    }

    /** Plain SGD on the batch's mean gradient (the update is the driver's, a few hundred flops). */
    private static void sgdStep(double[] w, GradientSum g, double lr) {
        double[] grad = g.meanGradient();
        for (int i = 0; i < w.length; i++) {
            w[i] -= lr * grad[i];
        }
    }
}
