package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.capeval.jobs.score.ScoreJobTest.JSON;
import static org.capeval.jobs.score.ScoreJobTest.REFS;
import static org.capeval.jobs.score.ScoreJobTest.RESULTS;
import static org.capeval.jobs.score.ScoreJobTest.assertNoTemporaryLeft;
import static org.capeval.jobs.score.ScoreJobTest.compare;
import static org.capeval.jobs.score.ScoreJobTest.readJson;
import static org.capeval.jobs.score.ScoreJobTest.sharedCase;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.capeval.metrics.CaptionTokenizer;
import org.capeval.metrics.CocoEvaluator;
import org.capeval.metrics.cider.DocumentFrequencies;
import org.capeval.metrics.coco.CocoFormatException;
import org.capeval.metrics.coco.CocoReferences;
import org.capeval.metrics.coco.CocoResults;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local engine ({@link LocalScore}, no Spark) against the Spark job on real local Spark: the
 * same eval.json bytes, the same per-image rows (Parquet schema and values, JSON lines text), the
 * same errors, and pycocoevalcap's numbers on every shared case; plus the engine decision.
 */
class LocalScoreTest {
    static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        ScoreJobTest.start(); // the same local[2] session the Spark job's tests use
        spark = ScoreJobTest.spark;
    }

    @AfterAll
    static void stop() {
        ScoreJobTest.stop();
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private Path local(String name, String refs, String results, String... extra) throws IOException {
        Path out = dir.resolve(name + "-local");
        LocalScore.run(ScoreOptions.parse(args(refs, results, out, extra)), 3);
        return out;
    }

    private Path spark(String name, String refs, String results, String... extra) throws IOException {
        Path out = dir.resolve(name + "-spark");
        ScoreJob.run(spark, args(refs, results, out, extra));
        return out;
    }

    private static String[] args(String refs, String results, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("--refs", refs, "--results", results, "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    /** Both outputs hold the same eval.json bytes and the same per-image rows. */
    private void assertSameOutput(Path a, Path b, boolean json) throws IOException {
        assertEquals(Files.readString(a.resolve("eval.json")), Files.readString(b.resolve("eval.json")), "eval.json");
        if (json) {
            assertEquals(sortedLines(a.resolve("per_image")), sortedLines(b.resolve("per_image")), "per_image JSON lines");
        } else {
            Dataset<Row> x = spark.read().parquet(a.resolve("per_image").toString());
            Dataset<Row> y = spark.read().parquet(b.resolve("per_image").toString());
            assertEquals(x.schema(), y.schema(), "per_image schema");
            assertEquals(x.orderBy("image_id").collectAsList(), y.orderBy("image_id").collectAsList(), "per_image rows");
        }
        assertTrue(Files.exists(a.resolve("per_image/_SUCCESS")) && Files.exists(b.resolve("per_image/_SUCCESS")));
    }

    private static List<String> sortedLines(Path perImage) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(perImage)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
            }
        }
        lines.sort(null);
        return lines;
    }

    // ---- fresh-clone tests (own fixtures) ----

    @Test
    void fixtureGivesTheSparkJobsOutputInBothFormats() throws IOException {
        String refs = write("refs.json", REFS).toString(), res = write("results.json", RESULTS).toString();
        assertSameOutput(local("pq", refs, res), spark("pq", refs, res), false);
        assertSameOutput(local("js", refs, res, "--per-image-format", "json"),
                spark("js", refs, res, "--per-image-format", "json"), true);
        assertNoTemporaryLeft(dir.resolve("pq-local"));
    }

    @Test
    void bundledExampleGivesTheSparkJobsOutput() throws IOException {
        Path examples = Path.of(System.getProperty("capeval.projectDir", "..")).resolve("examples");
        String refs = examples.resolve("refs.json").toString(), res = examples.resolve("results.json").toString();
        String[] extra = {"--metrics", "bleu,rouge,cider,cider-plain"};
        Path a = local("ex", refs, res, extra);
        assertSameOutput(a, spark("ex", refs, res, extra), false);
        assertEquals(200, JSON.readTree(a.resolve("eval.json").toFile()).get("n_images").asInt());
    }

    @Test
    void meteorOnThreadsGivesTheSparkJobsOutput() throws IOException {
        // 1,000 generated images with METEOR (hand-written function words: WordNet and the stemmer
        // are from Maven Central), scored by 3 threads sharing METEOR's memoised stems and synonyms
        Path data = ScoreJobMeteorTest.meteorData(dir);
        Path refsFile = dir.resolve("gen-refs.json"), resFile = dir.resolve("gen-results.json");
        new org.capeval.jobs.gen.CaptionGenerator(5).write(1000, 5, refsFile, resFile);
        String refs = refsFile.toString(), res = resFile.toString();
        String[] extra = {"--metrics", "bleu,meteor,rouge,cider", "--meteor-data", data.toString()};
        Path a = local("meteor", refs, res, extra);
        assertSameOutput(a, spark("meteor", refs, res, extra), false);
        assertTrue(JSON.readTree(a.resolve("eval.json").toFile()).get("eval").get("METEOR").asDouble() > 0);
    }

    @Test
    void savedIdfIsTheSameTableAndReproducesTheScores() throws IOException {
        String refs = write("refs.json", REFS).toString(), res = write("results.json", RESULTS).toString();
        Path idfLocal = dir.resolve("local.idf"), idfSpark = dir.resolve("spark.idf");
        local("save", refs, res, "--save-idf", idfLocal.toString());
        spark("save", refs, res, "--save-idf", idfSpark.toString(), "--partitions", "3"); // tables merged from 3 tasks
        assertEquals(load(idfSpark).asMap(), load(idfLocal).asMap());
        assertEquals(load(idfSpark).documents(), load(idfLocal).documents());
        // and the same file: save writes one canonical order, whatever order Spark's partitions merged in
        assertArrayEquals(Files.readAllBytes(idfLocal), Files.readAllBytes(idfSpark));
        // past DocumentFrequencyTables.driverMergedTables partitions (128 at the default limit) the tables go through a tree level first: the same file
        Path idfTree = dir.resolve("tree.idf");
        spark("save-tree", refs, res, "--save-idf", idfTree.toString(), "--partitions", String.valueOf(DocumentFrequencyTables.driverMergedTables(1L << 30) + 8));
        assertArrayEquals(Files.readAllBytes(idfLocal), Files.readAllBytes(idfTree));
        // scoring with the saved table: both engines agree with each other
        assertSameOutput(local("use", refs, res, "--idf", idfLocal.toString()),
                spark("use", refs, res, "--idf", idfLocal.toString()), false);
    }

    private static DocumentFrequencies load(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return DocumentFrequencies.load(in, p.getFileName().toString());
        }
    }

    @Test
    void badInputGivesTheSparkJobsErrorAndNoOutput() throws IOException {
        String refs = write("refs.json", REFS).toString();
        String twoNoRefs = write("norefs.json", """
                {"images": [{"id": 1}, {"id": 2}, {"id": 3}],
                 "annotations": [{"image_id": 2, "id": 1, "caption": "a dog"}]}
                """).toString();
        String[][] cases = {
            {refs, write("unknown.json", "[{\"image_id\": 10, \"caption\": \"a\"}, {\"image_id\": 99, \"caption\": \"b\"}]").toString()},
            {refs, write("dup.json", "[{\"image_id\": 10, \"caption\": \"a\"}, {\"image_id\": 20, \"caption\": \"b\"}, {\"image_id\": 10, \"caption\": \"c\"}]").toString()},
            {refs, write("nocaption.json", "[{\"image_id\": 10}]").toString()},
            {refs, write("notstring.json", "[{\"image_id\": 10, \"caption\": 5}]").toString()},
            {refs, write("malformed.json", "[{\"image_id\": 10, \"caption\": \"a\"").toString()},
            {refs, write("empty.json", "[]").toString()},
            // images 3 and 1 have no references; COCO meets image 1 first (evaluation order)
            {twoNoRefs, write("norefs-res.json", "[{\"image_id\": 3, \"caption\": \"a\"}, {\"image_id\": 2, \"caption\": \"a dog\"}, {\"image_id\": 1, \"caption\": \"b\"}]").toString()},
        };
        for (String[] c : cases) {
            String name = Path.of(c[1]).getFileName().toString();
            RuntimeException l = assertThrows(RuntimeException.class, () -> local(name, c[0], c[1]), name);
            RuntimeException s = assertThrows(RuntimeException.class, () -> spark(name, c[0], c[1]), name);
            assertEquals(s.getMessage(), l.getMessage(), name);
            assertTrue(l instanceof CocoFormatException, name + ": " + l);
            assertTrue(l.getMessage().contains(name), l.getMessage());
            assertFalse(Files.exists(dir.resolve(name + "-local")), name + ": no output");
        }
        assertTrue(assertThrows(CocoFormatException.class, () -> local("nr", twoNoRefs, dir.resolve("norefs-res.json").toString()))
                .getMessage().contains("image_id 1"));
        String missing = dir.resolve("missing.json").toString();
        assertEquals("--results " + missing + ": no such file", // the option is named
                assertThrows(IllegalArgumentException.class, () -> local("missing", refs, missing)).getMessage());
        // the same file for both: said so, rather than a format error under one of the two options
        assertTrue(assertThrows(IllegalArgumentException.class, () -> local("same", refs, dir.resolve(".").resolve("refs.json").toString()))
                .getMessage().startsWith("--results " + dir.resolve(".").resolve("refs.json") + ": the same file as --refs " + refs));
        assertNoTemporaryLeft(dir.resolve("x"));
    }

    @Test
    void existingOutputIsKeptUnlessOverwrite() throws IOException {
        String refs = write("refs.json", REFS).toString(), res = write("results.json", RESULTS).toString();
        Path out = local("ow", refs, res);
        Files.writeString(out.resolve("eval.json"), "old");
        assertThrows(ScoreJob.OutputExistsException.class, () -> local("ow", refs, res));
        assertEquals("old", Files.readString(out.resolve("eval.json")));
        local("ow", refs, res, "--overwrite");
        assertTrue(Files.readString(out.resolve("eval.json")).contains("CIDEr"));
    }

    @Test
    void engineDecision() throws IOException {
        String refs = write("refs.json", REFS).toString(), res = write("results.json", RESULTS).toString();
        String out = dir.resolve("o").toString();
        long heap = 1L << 30;
        assertTrue(ScoreJob.isLocal(ScoreOptions.parse(args(refs, res, Path.of(out))), "local[*]", heap));
        assertTrue(ScoreJob.isLocal(ScoreOptions.parse(args(refs, res, Path.of(out))), "local[2]", heap));
        assertFalse(ScoreJob.isLocal(ScoreOptions.parse(args(refs, res, Path.of(out))), "spark://h:7077", heap), "a cluster");
        assertFalse(ScoreJob.isLocal(ScoreOptions.parse(args(refs, res, Path.of(out), "--engine", "spark")), "local[*]", heap));
        assertTrue(ScoreJob.isLocal(ScoreOptions.parse(args(refs, res, Path.of(out), "--engine", "local")), "spark://h:7077", heap));
        assertFalse(ScoreJob.isLocal(ScoreOptions.parse(args(refs, res, Path.of(out))), "local[*]", 1000), "inputs larger than heap/32");
        assertFalse(ScoreJob.isLocal(ScoreOptions.parse(args(refs, "hdfs://nn/r.json", Path.of(out))), "local[*]", heap), "HDFS input");
        assertFalse(ScoreJob.isLocal(ScoreOptions.parse(args(refs, res, Path.of(out), "--metrics", "bleu,spice")), "local[*]", heap));
        assertTrue(ScoreJob.isLocal(ScoreOptions.parse(args("file:" + refs, res, Path.of(out))), "local[*]", heap));
        assertThrows(IllegalArgumentException.class, () -> ScoreOptions.parse(args(refs, res, Path.of(out), "--engine", "local", "--metrics", "spice")));
        assertThrows(IllegalArgumentException.class, () -> ScoreOptions.parse(args(refs, res, Path.of(out), "--engine", "fast")));
        assertEquals(4, ScoreJob.localThreads(ScoreOptions.parse(args(refs, res, Path.of(out))), "local[4]"));
        assertEquals(1, ScoreJob.localThreads(ScoreOptions.parse(args(refs, res, Path.of(out))), "local"));
        assertEquals(Runtime.getRuntime().availableProcessors(), ScoreJob.localThreads(ScoreOptions.parse(args(refs, res, Path.of(out))), "local[*]"));
        assertEquals(5, ScoreJob.localThreads(ScoreOptions.parse(args(refs, res, Path.of(out), "--threads", "5")), "local[2]"));
    }

    @Test
    void shortSparkRunDecision() throws IOException {
        String refs = write("refs.json", REFS).toString(), res = write("results.json", RESULTS).toString();
        Path out = dir.resolve("o");
        assertTrue(ScoreJob.isShortOnSpark(ScoreOptions.parse(args(refs, res, out, "--engine", "spark"))));
        assertFalse(ScoreJob.isShortOnSpark(ScoreOptions.parse(args(refs, "hdfs://nn/r.json", out))), "HDFS input");
        assertFalse(ScoreJob.isShortOnSpark(ScoreOptions.parse(args(refs, res, out, "--metrics", "bleu,spice"))), "SPICE");
        assertFalse(ScoreJob.isShortOnSpark(ScoreOptions.parse(args(refs, dir.resolve("none.json").toString(), out))),
                "a missing input");
        Path big = dir.resolve("big.json"); // sparse: only its length is read
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(ScoreJob.SHORT_ON_SPARK_BYTES);
        }
        assertFalse(ScoreJob.isShortOnSpark(ScoreOptions.parse(args(refs, big.toString(), out, "--engine", "spark"))),
                "inputs over the limit");
    }

    // ---- parity with pycocoevalcap on every shared case ----

    @Test
    void everySharedCaseMatchesPycocoevalcap() throws IOException {
        Path cases = sharedCase("two_images").getParent();
        List<Path> dirs;
        try (Stream<Path> s = Files.list(cases)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        int compared = 0;
        for (Path c : dirs) {
            for (String variant : List.of("raw", "tok")) {
                Path v = c.resolve(variant);
                Path refs = gz(v, "refs"), cands = gz(v, "cands"), expected = gz(v, "expected");
                if (refs == null || c.getFileName().toString().startsWith("error_")
                        || c.getFileName().toString().equals("carriage_return_quirk")) {
                    continue; // errors: badInputGivesTheSparkJobsError...; the quirk: a documented deviation
                }
                String name = c.getFileName() + "-" + variant;
                String[] extra = variant.equals("tok") ? new String[] {"--pretokenized"} : new String[0];
                Path out = local(name, refs.toString(), cands.toString(), extra);
                if (expected != null) {
                    compare(readJson(expected), out);
                    compared++;
                } else { // inputs only: the one-thread library result, bit for bit
                    CocoEvaluator.Evaluation one = new CocoEvaluator(variant.equals("tok") ? CaptionTokenizer.pretokenized()
                            : CaptionTokenizer.ptb()).evaluate(CocoReferences.read(refs), CocoResults.read(cands));
                    assertEquals(JSON.readTree(one.evalJson().toString()), JSON.readTree(out.resolve("eval.json").toFile()), name);
                }
            }
        }
        assertTrue(compared >= 40, "compared " + compared + " case variants");
    }

    @Test
    void demoAndRealCaseGiveTheSparkJobsOutput() throws IOException {
        Path demo = sharedCase("real_fakecap_val2014").resolve("raw");
        assertSameOutput(local("demo", demo.resolve("refs.json").toString(), demo.resolve("cands.json").toString()),
                spark("demo", demo.resolve("refs.json").toString(), demo.resolve("cands.json").toString(), "--partitions", "3"), false);
        Path real = sharedCase("real_mismatched_val2014_5000").resolve("raw");
        assertSameOutput(local("real", real.resolve("refs.json.gz").toString(), real.resolve("cands.json.gz").toString(), "--per-image-format", "json"),
                spark("real", real.resolve("refs.json.gz").toString(), real.resolve("cands.json.gz").toString(), "--per-image-format", "json"), true);
    }

    private static Path gz(Path dir, String name) {
        for (String ext : new String[] {".json", ".json.gz"}) {
            if (Files.exists(dir.resolve(name + ext))) {
                return dir.resolve(name + ext);
            }
        }
        return null;
    }

    /**
     * A task on a thread of its own always completes its future, and its error comes back as itself:
     * an OutOfMemoryError while reading the results gets the job's one-line advice (it came back
     * wrapped, and a lost one left the run waiting for ever).
     */
    @Test
    void aTaskOnItsOwnThreadComesBackAsItsValueOrItsOwnError() {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        java.util.concurrent.CompletableFuture<String> f = LocalScore.onDaemon(new java.util.concurrent.CompletableFuture<>(), "test-daemon",
                () -> { throw oom; });
        assertSame(oom, assertThrows(OutOfMemoryError.class, () -> LocalScore.join(f)));
        IllegalArgumentException bad = new IllegalArgumentException("r.json: results[3]: no image_id");
        java.util.concurrent.CompletableFuture<String> g = LocalScore.onDaemon(new java.util.concurrent.CompletableFuture<>(), "test-daemon",
                () -> { throw bad; });
        assertSame(bad, assertThrows(IllegalArgumentException.class, () -> LocalScore.join(g)));
        assertEquals("ok", LocalScore.join(LocalScore.onDaemon(new java.util.concurrent.CompletableFuture<>(), "test-daemon", () -> "ok")));
    }
}
