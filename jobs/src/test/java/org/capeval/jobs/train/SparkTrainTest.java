package org.capeval.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.capeval.jobs.TestSessions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The train job on real local Spark: local[2,3] (two threads, a task may fail up to 3 times), data
 * spread over several partitions, compared with the single-process trainer on the same rows.
 */
class SparkTrainTest {
    private static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = TestSessions.local("SparkTrainTest").master("local[2,3]").config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    /**
     * An --out on another store under a regular file is bad input before the data is read, one line
     * naming --out as typed (HDFS would refuse only the first checkpoint or output, naming that
     * file); nothing is created.
     */
    @Test
    void aRemoteOutUnderARegularFileIsBadInputBeforeTheTraining() throws IOException {
        Path csv = writeCsv(tmp.resolve("d.csv"), 50, 2, 2, 1);
        Path file = Files.writeString(tmp.resolve("some-file"), "not a directory");
        String out = org.capeval.jobs.RemoteLocalFileSystem.of(file.resolve("out"));
        org.capeval.jobs.cli.CliTest.Run r = org.capeval.jobs.cli.CliTest.captured(() -> TrainJob.run(spark, TrainConfig.parse(new String[] {
            "--data", csv.toString(), "--model", "logistic:2", "--out", out})));
        assertEquals(org.capeval.jobs.JobFailure.BAD_INPUT, r.status(), r.err());
        assertEquals(List.of("capeval train: error: --out " + out + ": cannot be written (remote:" + file + ": not a directory)"), r.errLines());
        try (java.util.stream.Stream<Path> left = Files.list(tmp)) {
            assertEquals(2, left.count(), "nothing created");
        }
    }

    @Test
    void sparkRunEqualsSingleProcessRun() throws Exception {
        Path csv = writeCsv(tmp.resolve("d.csv"), 700, 5, 3, 1);
        Path bin = writeCsv(tmp.resolve("b.csv"), 700, 5, 2, 2);
        String[][] runs = {
            {bin.toString(), "logistic:5", "--optimizer", "sgd", "--lr", "0.5", "--epochs", "6", "--partitions", "5"},
            {bin.toString(), "logistic:5", "--optimizer", "sgd", "--lr", "0.5", "--epochs", "6", "--tree-depth", "1"},
            {csv.toString(), "mlp:5-8-3", "--optimizer", "adam", "--lr", "0.01", "--epochs", "3", "--batch-size", "64",
                "--partitions", "7", "--tree-depth", "3", "--chunk-rows", "10"},
            {csv.toString(), "softmax:5-3:mse", "--optimizer", "sgd", "--momentum", "0.9", "--lr", "0.1", "--epochs", "2",
                "--batch-size", "100", "--partitions", "4"},
            {bin.toString(), "mlp:5-6-1:mse", "--optimizer", "adam", "--lr", "0.02", "--epochs", "2", "--batch-size", "128",
                "--partitions", "3"},
            // 12,603 parameters, more than SparkGradientSource.CLOSURE_PARAMS: they go out as a broadcast
            {csv.toString(), "mlp:5-1400-3", "--optimizer", "adam", "--lr", "0.001", "--epochs", "2", "--batch-size", "128",
                "--partitions", "3"},
        };
        assertTrue(SparkGradientSource.CLOSURE_PARAMS < 5 * 1400 + 1400 + 1400 * 3 + 3);
        int n = 0;
        for (String[] r : runs) {
            List<String> args = new ArrayList<>(List.of("--data", r[0], "--model", r[1], "--out", tmp.resolve("out" + n++).toString()));
            args.addAll(List.of(r).subList(2, r.length));
            TrainConfig cfg = TrainConfig.parse(args.toArray(String[]::new));
            Trainer.Result spark = TrainJob.train(SparkTrainTest.spark, cfg);
            Trainer.Result local = localRun(cfg);
            assertEquals(local.steps(), spark.steps());
            assertTrue(spark.steps() > 5);
            double worst = 0;
            for (int i = 0; i < local.params().length; i++) {
                worst = Math.max(worst, Math.abs(local.params()[i] - spark.params()[i]));
            }
            assertTrue(worst <= 1e-9, String.join(" ", r) + ": max |spark - local| = " + worst);
            assertEquals(local.finalLoss(), spark.finalLoss(), 1e-9);
            // learning happened: the final loss is below the first step's
            assertTrue(spark.finalLoss() < spark.curve().points().get(0).loss(), String.join(" ", r));
            assertTrue(Files.exists(Path.of(cfg.out, "model.json")) && Files.exists(Path.of(cfg.out, "loss.svg")));
        }
    }

    /**
     * {@code --optimizer lbfgs} on Spark: every closure evaluation is a distributed pass; the
     * iterates equal the single-process run's for any partitioning and tree depth (to float64
     * rounding of the sums), and a run stopped and resumed ends with the uninterrupted run's bits.
     */
    @Test
    void lbfgsOnSparkEqualsSingleProcessForAnyPartitioning() throws Exception {
        Path csv = writeCsv(tmp.resolve("d.csv"), 400, 5, 3, 17);
        String[][] runs = {
            {"softmax:5-3", "--partitions", "1"},
            {"softmax:5-3", "--partitions", "5", "--tree-depth", "3", "--chunk-rows", "7"},
            {"mlp:5-6-3", "--partitions", "3", "--history-size", "4"},
            {"softmax:5-3", "--partitions", "4", "--line-search", "none", "--lr", "0.5"},
        };
        int n = 0;
        for (String[] r : runs) {
            List<String> args = new ArrayList<>(List.of("--data", csv.toString(), "--model", r[0], "--optimizer", "lbfgs",
                    "--epochs", "8", "--out", tmp.resolve("lb" + n++).toString()));
            args.addAll(List.of(r).subList(1, r.length));
            TrainConfig cfg = TrainConfig.parse(args.toArray(String[]::new));
            Trainer.Result onSpark = TrainJob.train(spark, cfg);
            Trainer.Result local = localRun(cfg);
            String what = String.join(" ", r);
            assertEquals(8, onSpark.steps(), what);
            double worst = 0;
            for (int i = 0; i < local.params().length; i++) {
                worst = Math.max(worst, Math.abs(local.params()[i] - onSpark.params()[i]));
            }
            assertTrue(worst <= 1e-9, what + ": max |spark - local| = " + worst);
            assertEquals(local.finalLoss(), onSpark.finalLoss(), 1e-12, what);
            assertTrue(onSpark.finalLoss() < 0.9 * onSpark.curve().points().get(0).loss(), what);
            assertTrue(Files.readString(Path.of(cfg.out, "model.json")).contains("\"lineSearch\""), what);
        }

        String[] common = {"--data", csv.toString(), "--model", "mlp:5-6-3", "--optimizer", "lbfgs", "--epochs", "9",
            "--checkpoint-every", "3", "--partitions", "3"};
        Trainer.Result whole = TrainJob.train(spark, TrainConfig.parse(cat(common, "--out", tmp.resolve("lw").toString())));
        String outB = tmp.resolve("lc").toString();
        assertTrue(TrainJob.train(spark, TrainConfig.parse(cat(common, "--out", outB, "--stop-after-steps", "5"))).stoppedEarly());
        assertEquals(3, Checkpoint.latest(new OutputDir(outB, new Configuration())).step);
        Trainer.Result resumed = TrainJob.train(spark, TrainConfig.parse(cat(common, "--out", outB, "--resume")));
        assertArrayEquals(whole.params(), resumed.params(), 0.0);
        assertEquals(whole.curve().points(), resumed.curve().points());
        assertEquals(Files.readString(tmp.resolve("lw/loss.csv")), Files.readString(Path.of(outB, "loss.csv")));
    }

    @Test
    void libsvmAndParquetReadTheSameRowsAsCsv() throws Exception {
        Path csv = writeCsv(tmp.resolve("d.csv"), 300, 4, 3, 5);
        List<String> lines = Files.readAllLines(csv);
        List<String> svm = new ArrayList<>();
        List<Row> arrays = new ArrayList<>();
        for (String l : lines) {
            String[] t = l.split(",");
            StringBuilder sb = new StringBuilder(t[0]);
            List<Double> x = new ArrayList<>();
            for (int j = 1; j < t.length; j++) {
                if (Double.parseDouble(t[j]) != 0) {
                    sb.append(' ').append(j).append(':').append(t[j]);
                }
                x.add(Double.parseDouble(t[j]));
            }
            svm.add(sb.toString());
            arrays.add(RowFactory.create(x, Double.parseDouble(t[0])));
        }
        Path svmPath = Files.write(tmp.resolve("d.libsvm"), svm);
        StructType schema = new StructType()
                .add("features", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("label", DataTypes.DoubleType);
        Dataset<Row> df = spark.createDataFrame(arrays, schema);
        String pq = tmp.resolve("d.parquet").toString();
        df.coalesce(1).write().parquet(pq);
        // and as an MLlib vector column, as VectorAssembler would write it
        String pqVec = tmp.resolve("v.parquet").toString();
        new org.apache.spark.ml.feature.VectorAssembler().setInputCols(new String[] {"f0", "f1", "f2", "f3"})
                .setOutputCol("features")
                .transform(df.selectExpr("features[0] f0", "features[1] f1", "features[2] f2", "features[3] f3", "label"))
                .select("features", "label").coalesce(1).write().parquet(pqVec);

        double[] ref = null;
        for (String data : new String[] {csv.toString(), svmPath.toString(), pq, pqVec}) {
            TrainConfig cfg = TrainConfig.parse(new String[] {"--data", data, "--model", "softmax:4-3", "--out",
                tmp.resolve("o" + data.hashCode()).toString(), "--epochs", "2", "--batch-size", "50", "--lr", "0.3"});
            double[] p = TrainJob.train(spark, cfg).params();
            if (ref == null) {
                ref = p;
            } else {
                assertArrayEquals(ref, p, 1e-9, data);
            }
        }
    }

    /** Per-class directories of metric columns, as the scoring job's per_image/ output gives them. */
    @Test
    void labelledPathsAndFeatureColumns() throws Exception {
        Path csv = writeCsv(tmp.resolve("d.csv"), 240, 3, 2, 12);
        List<String> lines = Files.readAllLines(csv);
        List<String> sorted = new ArrayList<>();
        String[] dirs = {tmp.resolve("pos").toString(), tmp.resolve("neg").toString()};
        for (int k = 0; k < 2; k++) {
            String label = k == 0 ? "1" : "0";
            List<Row> rows = new ArrayList<>();
            for (String l : lines) {
                String[] t = l.split(",");
                if (t[0].equals(label)) {
                    rows.add(RowFactory.create((long) rows.size(), Double.parseDouble(t[1]), Double.parseDouble(t[2]),
                            (float) Double.parseDouble(t[3])));
                    sorted.add(label + "," + t[1] + "," + t[2] + "," + (double) (float) Double.parseDouble(t[3]));
                }
            }
            StructType schema = new StructType().add("image_id", DataTypes.LongType).add("Bleu_1", DataTypes.DoubleType)
                    .add("ROUGE_L", DataTypes.DoubleType).add("CIDEr", DataTypes.FloatType);
            spark.createDataFrame(rows, schema).coalesce(1).write().parquet(dirs[k]);
        }
        Path sortedCsv = Files.write(tmp.resolve("sorted.csv"), sorted);
        String[] common = {"--model", "logistic:3", "--epochs", "3", "--batch-size", "32", "--optimizer", "adam", "--lr", "0.05"};
        double[] fromCsv = TrainJob.train(spark, TrainConfig.parse(cat(common, "--data", sortedCsv.toString(), "--out",
                tmp.resolve("o1").toString()))).params();
        double[] fromParquet = TrainJob.train(spark, TrainConfig.parse(cat(common, "--data", dirs[0] + "=1," + dirs[1] + "=0",
                "--features-cols", "Bleu_1,ROUGE_L,CIDEr", "--out", tmp.resolve("o2").toString()))).params();
        assertArrayEquals(fromCsv, fromParquet, 1e-9);

        bad(tmp.resolve("pos"), "logistic:3", "pos: no column 'features' (columns: image_id, Bleu_1, ROUGE_L, CIDEr)");
        Exception e = assertThrows(Exception.class, () -> TrainJob.train(spark, TrainConfig.parse(cat(common, "--data",
                dirs[0] + "=1", "--features-cols", "Bleu_1,Bleu_2,CIDEr", "--out", tmp.resolve("o3").toString()))));
        assertTrue(e.getMessage().contains("--features-cols names 'Bleu_2', which is not a column"), e.getMessage());
    }

    @Test
    void resumeContinuesToTheSameBits() throws Exception {
        Path csv = writeCsv(tmp.resolve("d.csv"), 500, 5, 3, 3);
        String[] common = {"--data", csv.toString(), "--model", "mlp:5-7-3", "--optimizer", "adam", "--lr", "0.01",
            "--epochs", "3", "--batch-size", "60", "--checkpoint-every", "4", "--partitions", "4"};
        Trainer.Result whole = TrainJob.train(spark, TrainConfig.parse(cat(common, "--out", tmp.resolve("a").toString())));

        String outB = tmp.resolve("b").toString();
        Trainer.Result cut = TrainJob.train(spark, TrainConfig.parse(cat(common, "--out", outB, "--stop-after-steps", "11")));
        assertTrue(cut.stoppedEarly());
        assertFalse(Files.exists(Path.of(outB, "model.json")));
        OutputDir out = new OutputDir(outB, new Configuration());
        assertEquals(8, Checkpoint.latest(out).step); // steps 9..11 are redone after the resume
        assertThrows(IllegalArgumentException.class,
                () -> TrainJob.train(spark, TrainConfig.parse(cat(common, "--out", outB))), "needs --resume");

        Trainer.Result resumed = TrainJob.train(spark, TrainConfig.parse(cat(common, "--out", outB, "--resume")));
        assertEquals(whole.steps(), resumed.steps());
        assertArrayEquals(whole.params(), resumed.params(), 0.0);
        assertEquals(whole.curve().points(), resumed.curve().points());
        assertEquals(Files.readString(tmp.resolve("a/loss.csv")), Files.readString(Path.of(outB, "loss.csv")));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainJob.train(spark,
                TrainConfig.parse(cat(common, "--out", outB, "--resume", "--lr", "0.5"))));
        assertTrue(e.getMessage().contains("different run"), e.getMessage());
    }

    @Test
    void divergingRunStopsAndKeepsTheLastGoodCheckpoint() throws Exception {
        Path csv = writeCsv(tmp.resolve("d.csv"), 200, 5, 0, 4);
        String out = tmp.resolve("o").toString();
        String[] args = {"--data", csv.toString(), "--model", "mlp:5-16-1:mse",
            "--out", out, "--lr", "5", "--epochs", "50", "--checkpoint-every", "1", "--partitions", "3"};
        TrainConfig cfg = TrainConfig.parse(args);
        DivergedException e = assertThrows(DivergedException.class, () -> TrainJob.train(spark, cfg));
        assertTrue(e.getMessage().matches("training diverged: the (loss became (NaN|-?Infinity)|gradient became non-finite|parameters became non-finite)"
                + " at step \\d+ .*; the last good "
                + "checkpoint \\(step \\d+\\) is kept in .*Lower --lr.*"), e.getMessage());
        Checkpoint last = Checkpoint.latest(new OutputDir(out, new Configuration()));
        assertNotNull(last);
        assertTrue(Trainer.allFinite(last.params));
        assertTrue(e.getMessage().contains("(step " + last.step + ")"));
        assertFalse(Files.exists(Path.of(out, "model.json")));
        assertTrue(Files.exists(Path.of(out, "loss.csv")));
        // resuming from the kept checkpoint diverges the same way: exit status 3
        assertEquals(3, TrainJob.run(spark, TrainConfig.parse(cat(args, "--resume"))));
    }

    @Test
    void badInputIsNamedAndWritesNothing() throws Exception {
        Path csv = writeCsv(tmp.resolve("d.csv"), 50, 3, 2, 6);
        List<String> lines = new ArrayList<>(Files.readAllLines(csv));
        long offset = 0;
        for (int i = 0; i < 20; i++) {
            offset += lines.get(i).length() + 1;
        }
        String[] fields = lines.get(20).split(",");
        fields[2] = "NaN";
        lines.set(20, String.join(",", fields));
        Files.write(csv, lines);
        bad(csv, "logistic:3", csv + " (line at byte " + offset + "): feature 2 (column 3) is NaN"); // a plain path, not file:/...

        // JSON lines: two small files that Spark reads as one partition; each file's records are counted from 1
        Path json = Files.createDirectories(tmp.resolve("j.jsonl")); // a directory: --format json from its name
        Files.writeString(json.resolve("a.jsonl"), "{\"features\":[1,2,3],\"label\":1}\n".repeat(3));
        Files.writeString(json.resolve("b.jsonl"), "{\"features\":[1,2,3],\"label\":0}\n{\"features\":[1,2],\"label\":0}\n");
        bad(json, "logistic:3", json.resolve("b.jsonl") + " (record 2 of its split): 2 features, but the model logistic:3 expects 3");
        bad(csv, "logistic:4", "3 features, but the model logistic:4 expects 4");

        Path labels = writeCsv(tmp.resolve("l.csv"), 30, 3, 3, 7);
        bad(labels, "logistic:3", "label 2.0 is out of range for logistic:3 (expected an integer class 0..1)");

        Path empty = Files.write(tmp.resolve("e.csv"), List.of("# nothing here"));
        bad(empty, "logistic:3", "e.csv: no rows to train on");

        Files.createDirectories(tmp.resolve("p"));
        spark.range(5).selectExpr("cast(id as double) as x", "0.0 as label").write().parquet(tmp.resolve("p/x.parquet").toString());
        bad(tmp.resolve("p/x.parquet"), "logistic:3", "x.parquet: no column 'features' (columns: x, label); name the feature columns with --features-cols");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.parse(new String[] {"--data", "x", "--out", "y", "--model", "mlp:3-two-1"}));
        assertEquals("--model 'mlp:3-two-1' does not parse: layer size 'two' is not an integer", e.getMessage());
    }

    @Test
    void emptyPartitionsAreFine() throws Exception {
        Path csv = writeCsv(tmp.resolve("d.csv"), 3, 2, 2, 8);
        TrainConfig cfg = TrainConfig.parse(new String[] {"--data", csv.toString(), "--model", "logistic:2", "--out",
            tmp.resolve("o").toString(), "--partitions", "8", "--epochs", "3", "--batch-size", "2"});
        Trainer.Result r = TrainJob.train(spark, cfg);
        assertArrayEquals(localRun(cfg).params(), r.params(), 1e-12);
        assertEquals(6, r.steps());
    }

    /** Cached blocks lost mid-training and a task failing on its first attempt: the same bits come out. */
    @Test
    void lostPartitionsAndFailedTasksGiveBitIdenticalParameters() throws Exception {
        Path csv = writeCsv(tmp.resolve("d.csv"), 400, 5, 3, 9);
        TrainConfig cfg = TrainConfig.parse(new String[] {"--data", csv.toString(), "--model", "mlp:5-6-3", "--out",
            tmp.resolve("o").toString(), "--optimizer", "adam", "--lr", "0.02", "--epochs", "2", "--batch-size", "50",
            "--partitions", "4"});
        double[] clean = trainWithFaults(cfg, -1);
        double[] faulty = trainWithFaults(cfg, 5);
        assertTrue(FailOnce.fired.get(), "the injected failure did not happen");
        assertArrayEquals(clean, faulty, 0.0);
    }

    static final class FailOnce {
        static final AtomicBoolean armed = new AtomicBoolean();
        static final AtomicBoolean fired = new AtomicBoolean();
    }

    private double[] trainWithFaults(TrainConfig cfg, long faultAtStep) throws IOException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<RowBlock> blocks = DataReader.read(spark, cfg).map(b -> {
            TaskContext t = TaskContext.get();
            if (t.partitionId() == 1 && t.attemptNumber() == 0 && FailOnce.armed.compareAndSet(true, false)) {
                FailOnce.fired.set(true);
                throw new IllegalStateException("injected failure: partition 1 lost on its first attempt");
            }
            return b;
        });
        ModelGradient model = new ModelGradient(cfg.model, cfg.chunkRows);
        try (SparkGradientSource src = new SparkGradientSource(sc, blocks, model, cfg.batchSize, cfg.seed, cfg.treeDepth)) {
            GradientSource faulty = new GradientSource() {
                long calls;

                public long numRows() {
                    return src.numRows();
                }

                public void startEpoch(int e) {
                    src.startEpoch(e);
                }

                public GradientSum batch(double[] p, long step) {
                    if (calls++ == faultAtStep) { // as if an executor died: its cached blocks are gone
                        sc.getPersistentRDDs().values().forEach(r -> r.unpersist(true));
                        FailOnce.armed.set(true);
                    }
                    return src.batch(p, step);
                }

                public GradientSum all(double[] p) {
                    return src.all(p);
                }
            };
            return new Trainer(cfg, model, null, s -> {}).train(faulty).params();
        }
    }

    private void bad(Path data, String model, String message) throws Exception {
        String out = tmp.resolve("bad" + Math.abs((data + model).hashCode())).toString();
        TrainConfig cfg = TrainConfig.parse(new String[] {"--data", data.toString(), "--model", model, "--out", out});
        Exception e = assertThrows(Exception.class, () -> TrainJob.train(spark, cfg));
        BadInputException b = BadInputException.find(e);
        assertNotNull(b, "no BadInputException in " + e);
        assertTrue(b.getMessage().contains(message), b.getMessage());
        assertFalse(b.getMessage().contains("file:"), b.getMessage()); // local files named by their plain paths
        assertEquals(2, TrainJob.run(spark, cfg));
        assertFalse(Files.exists(Path.of(out, "model.json")));
    }

    /** The same training in this process, on the rows read in file order. */
    static Trainer.Result localRun(TrainConfig cfg) throws IOException {
        ModelGradient model = new ModelGradient(cfg.model, cfg.chunkRows);
        return new Trainer(cfg, model, null, s -> {}).train(new LocalGradientSource(rowsInFileOrder(cfg), model, cfg.batchSize, cfg.seed));
    }

    /** The rows of {@code cfg.data} (a local CSV file), in file order, as one block. */
    static RowBlock rowsInFileOrder(TrainConfig cfg) throws IOException {
        RowParser parser = new RowParser(cfg.model);
        RowBlock.Builder b = new RowBlock.Builder(cfg.model.numFeatures(), Integer.MAX_VALUE);
        long i = 0;
        for (String line : Files.readAllLines(Path.of(cfg.data))) {
            RowParser.Row r = parser.csv(line, cfg.data);
            if (r != null) {
                b.add(i++, r.features(), r.label());
            }
        }
        return b.build();
    }

    /**
     * A CSV of n rows: label first, then d Gaussian features; the label comes from a fixed linear
     * rule plus noise, so there is something to learn. classes 0 means a real-valued label.
     */
    static Path writeCsv(Path path, int n, int d, int classes, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[d];
            double s = 0;
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < d; j++) {
                x[j] = j == d - 1 && i % 3 == 0 ? 0 : r.nextGaussian();
                s += (j % 2 == 0 ? 1 : -0.5) * x[j];
                sb.append(',').append(String.format(Locale.ROOT, "%.6f", x[j]));
            }
            s += 0.3 * r.nextGaussian();
            String label = classes == 0 ? String.format(Locale.ROOT, "%.6f", s)
                    : Integer.toString(Math.min(classes - 1, Math.max(0, (int) Math.floor(s * classes / 3 + classes / 2.0))));
            lines.add(label + sb);
        }
        return Files.write(path, lines);
    }

    private static String[] cat(String[] a, String... b) {
        List<String> l = new ArrayList<>(List.of(a));
        l.addAll(List.of(b));
        return l.toArray(String[]::new);
    }
}
