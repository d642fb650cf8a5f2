package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.capeval.jobs.TestSessions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Spark engine's per_image part files, written by its tasks without Spark SQL
 * ({@link SparkScore#writePerImage}, {@link PerImageWriter}): read back with parquet-hadoop they
 * are the local engine's rows in the same order, with the same schema and Spark row metadata;
 * Spark SQL's reader gives the schema Spark's writer gave; JSON lines are the local engine's bytes;
 * and a failed task attempt, torn or complete, leaves exactly one file per group.
 */
class PerImageWriteTest {
    /** Each task may fail once: Spark retries it (local[N, maxFailures]). */
    static SparkSession spark;
    static final AtomicInteger FAILED_ATTEMPTS = new AtomicInteger();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = TestSessions.local("PerImageWriteTest").master("local[2,2]")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static final Path EXAMPLES = Path.of(System.getProperty("capeval.projectDir", "..")).resolve("examples");

    private Path score(String engine, String format, String... extra) throws IOException {
        Path out = dir.resolve(engine + "-" + format);
        List<String> args = new ArrayList<>(List.of("--refs", EXAMPLES.resolve("refs.json").toString(),
                "--results", EXAMPLES.resolve("results.json").toString(), "--out", out.toString(), "--per-image-format", format));
        args.addAll(List.of(extra));
        ScoreOptions o = ScoreOptions.parse(args.toArray(new String[0]));
        if (engine.equals("local")) {
            LocalScore.run(o, 2);
        } else {
            ScoreJob.run(spark, o);
        }
        return out;
    }

    @Test
    void parquetPartsAreTheLocalEnginesRowsInOrder() throws IOException {
        Path local = score("local", "parquet");
        Path sparkOut = score("spark", "parquet", "--partitions", "5");
        List<Path> localParts = parts(local);
        List<Path> sparkParts = parts(sparkOut);
        assertEquals(List.of("part-00000.parquet", "part-00001.parquet"), names(localParts), "one file per thread (2)");
        assertEquals(List.of("part-00000.parquet", "part-00001.parquet"), names(sparkParts), "one file per core (local[2])");
        List<String> localRows = rows(localParts);
        assertEquals(200, localRows.size());
        assertEquals(localRows, rows(sparkParts), "rows, values and evaluation order");
        FileMetaData expected = footer(localParts.get(0));
        for (Path p : java.util.stream.Stream.concat(localParts.stream(), sparkParts.stream()).toList()) {
            FileMetaData m = footer(p);
            assertEquals(expected.getSchema(), m.getSchema(), p + ": Parquet schema");
            assertEquals(expected.getKeyValueMetaData(), m.getKeyValueMetaData(), p + ": key-value metadata (Spark's row schema)");
        }
        assertEquals(List.of(PerImageWriter.SUCCESS, "part-00000.parquet", "part-00001.parquet"), list(sparkOut.resolve("per_image")));
        assertFalse(Files.exists(sparkOut.resolve("_per_image_attempts")), "no attempt files left");

        // against Spark SQL's own writer, given the rows with the schema the job used to give it:
        // the same Parquet schema and Spark row metadata, and Spark's reader reads the same table
        List<StructField> fields = new ArrayList<>(List.of(DataTypes.createStructField("image_id", DataTypes.LongType, false)));
        for (String k : List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr")) {
            fields.add(DataTypes.createStructField(k, DataTypes.DoubleType, false));
        }
        var ours = spark.read().parquet(sparkOut.resolve("per_image").toString());
        List<Row> ourRows = ours.orderBy("image_id").collectAsList();
        Path bySparkSql = dir.resolve("spark-sql");
        spark.createDataFrame(ourRows, new StructType(fields.toArray(new StructField[0]))).write().parquet(bySparkSql.toString());
        FileMetaData sparks = footer(parts(bySparkSql, "").get(0));
        assertEquals(sparks.getSchema(), expected.getSchema(), "Parquet schema: Spark's writer's");
        String rowMetadata = "org.apache.spark.sql.parquet.row.metadata";
        assertEquals(sparks.getKeyValueMetaData().get(rowMetadata), expected.getKeyValueMetaData().get(rowMetadata), "Spark's row metadata");
        var theirs = spark.read().parquet(bySparkSql.toString());
        assertEquals(theirs.schema(), ours.schema(), "the schema Spark's reader gives");
        assertEquals(200, ourRows.size());
        assertEquals(theirs.orderBy("image_id").collectAsList(), ourRows);
        assertEquals(spark.read().parquet(local.resolve("per_image").toString()).orderBy("image_id").collectAsList(), ourRows);
    }

    @Test
    void jsonPartsAreTheLocalEnginesBytes() throws IOException {
        Path local = score("local", "json");
        Path sparkOut = score("spark", "json", "--partitions", "5");
        java.io.ByteArrayOutputStream localBytes = new java.io.ByteArrayOutputStream();
        for (Path p : parts(local)) {
            localBytes.write(Files.readAllBytes(p));
        }
        java.io.ByteArrayOutputStream sparkBytes = new java.io.ByteArrayOutputStream();
        List<Path> sparkParts = parts(sparkOut);
        assertEquals(List.of("part-00000.json", "part-00001.json"), names(sparkParts));
        for (Path p : sparkParts) {
            sparkBytes.write(Files.readAllBytes(p));
        }
        assertEquals(List.of("part-00000.json", "part-00001.json"), names(parts(local)));
        assertEquals(localBytes.toString(java.nio.charset.StandardCharsets.UTF_8),
                sparkBytes.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(200, sparkBytes.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n", -1).length - 1, "200 lines, each ending in a newline");
    }

    /** Doubles whose text differs between printers (exponents, signed zero, non-finite values). */
    private static final double[] TRICKY = {0.0, -0.0, 0.1 + 0.2, 1e-7, 1.0E21, 123456789.0, Double.MIN_VALUE, Double.MAX_VALUE,
        1.0 / 3, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

    @Test
    void jsonLinesAreSparkJsonWritersBytes() throws IOException {
        List<String> keys = List.of("x", "y");
        List<Row> rows = new ArrayList<>();
        java.io.ByteArrayOutputStream ours = new java.io.ByteArrayOutputStream();
        try (PerImageWriter w = PerImageWriter.json(ours, keys)) {
            for (int i = 0; i < TRICKY.length; i++) {
                double[] row = {TRICKY[i], -TRICKY[TRICKY.length - 1 - i]};
                long id = i == 0 ? Long.MIN_VALUE : i == 1 ? Long.MAX_VALUE : i;
                w.write(id, row);
                rows.add(org.apache.spark.sql.RowFactory.create(id, row[0], row[1]));
            }
        }
        StructType schema = new StructType(new StructField[] {DataTypes.createStructField("image_id", DataTypes.LongType, false),
            DataTypes.createStructField("x", DataTypes.DoubleType, false), DataTypes.createStructField("y", DataTypes.DoubleType, false)});
        Path sparkJson = dir.resolve("spark-json");
        spark.createDataFrame(rows, schema).coalesce(1).write().json(sparkJson.toString());
        byte[] sparks;
        try (Stream<Path> s = Files.list(sparkJson)) {
            sparks = Files.readAllBytes(s.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().orElseThrow());
        }
        assertEquals(new String(sparks, java.nio.charset.StandardCharsets.UTF_8), ours.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"parquet", "json"})
    void aFailedAttemptLeavesOneFilePerGroup(String format) throws IOException {
        List<String> keys = List.of("a", "b");
        int partitions = 4, perPartition = 3;
        List<SparkScore.ScoredRange> ranges = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            SparkScore.ScoredRange r = new SparkScore.ScoredRange(perPartition, keys.size());
            for (int i = 0; i < perPartition; i++) {
                long id = 100L * p + i;
                r.imageIds[i] = id;
                r.rows[i] = new double[] {id / 7.0, -id};
            }
            ranges.add(r);
        }
        FAILED_ATTEMPTS.set(0);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // group 0 (partitions 0-1): its first attempt fails after writing partition 0's rows (a torn
        // file); group 1 (partitions 2-3): its first attempt fails after all its rows (a whole copy)
        JavaRDD<SparkScore.ScoredRange> scored = sc.parallelize(ranges, partitions).mapPartitionsWithIndex((p, it) -> {
            boolean first = TaskContext.get().attemptNumber() == 0;
            return first && (p == 1 || p == 3) ? failingAfter(it) : it;
        }, true);
        Path out = dir.resolve("out");
        org.apache.hadoop.fs.Path perImage = new org.apache.hadoop.fs.Path(out.resolve("per_image").toUri());
        Configuration conf = new Configuration();
        SparkScore.writePerImage(scored, sc.broadcast(new SerializableConfiguration(conf)), keys, format, FileSystem.getLocal(conf), perImage, 2);

        assertEquals(2, FAILED_ATTEMPTS.get(), "two attempts failed and were retried");
        assertEquals(List.of(PerImageWriter.SUCCESS, "part-00000." + format, "part-00001." + format), list(out.resolve("per_image")));
        assertEquals(List.of("per_image"), list(out), "no attempt directory left");
        List<String> expected = new ArrayList<>();
        for (SparkScore.ScoredRange r : ranges) {
            for (int i = 0; i < r.imageIds.length; i++) {
                expected.add(r.imageIds[i] + " " + Arrays.toString(r.rows[i]));
            }
        }
        List<Path> parts = parts(out);
        if (format.equals("parquet")) {
            assertEquals(expected, rows(parts));
        } else {
            List<String> lines = new ArrayList<>();
            for (Path p : parts) {
                lines.addAll(Files.readAllLines(p));
            }
            List<String> json = new ArrayList<>();
            for (String e : expected) {
                String[] f = e.replaceAll("[\\[\\],]", "").split(" ");
                json.add("{\"image_id\":" + f[0] + ",\"a\":" + f[1] + ",\"b\":" + f[2] + "}");
            }
            assertEquals(json, lines);
        }
    }

    /** The partition's rows, then a failure where the iterator would end (the task fails, the writer has them all). */
    private static Iterator<SparkScore.ScoredRange> failingAfter(Iterator<SparkScore.ScoredRange> it) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (!it.hasNext()) {
                    FAILED_ATTEMPTS.incrementAndGet();
                    throw new IllegalStateException("injected failure of a first task attempt");
                }
                return true;
            }

            @Override
            public SparkScore.ScoredRange next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return it.next();
            }
        };
    }

    /** The part files, in name order (= evaluation order). */
    private static List<Path> parts(Path out) throws IOException {
        return parts(out, "per_image");
    }

    private static List<Path> parts(Path out, String sub) throws IOException {
        try (Stream<Path> s = Files.list(sub.isEmpty() ? out : out.resolve(sub))) {
            return s.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
        }
    }

    private static List<String> list(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(p -> p.getFileName().toString()).toList();
    }

    /** Every row of the files, in order, read with parquet-hadoop: "id [v1, v2, ...]" (doubles exactly). */
    private static List<String> rows(List<Path> files) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path f : files) {
            try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(f.toUri())).build()) {
                for (Group g; (g = r.read()) != null; ) {
                    int n = g.getType().getFieldCount();
                    double[] v = new double[n - 1];
                    for (int k = 1; k < n; k++) {
                        v[k - 1] = g.getDouble(k, 0);
                    }
                    out.add(g.getLong(0, 0) + " " + Arrays.toString(v));
                }
            }
        }
        return out;
    }

    private static FileMetaData footer(Path f) throws IOException {
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.toUri()), new Configuration()))) {
            return r.getFooter().getFileMetaData();
        }
    }
}
