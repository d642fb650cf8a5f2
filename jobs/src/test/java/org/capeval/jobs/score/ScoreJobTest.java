package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.capeval.metrics.CaptionTokenizer;
import org.capeval.metrics.CocoEvaluator;
import org.capeval.metrics.coco.CocoFormatException;
import org.capeval.metrics.coco.CocoJson;
import org.capeval.metrics.coco.CocoReferences;
import org.capeval.metrics.coco.CocoResults;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ScoreJob on real local Spark (local[2]): parity with pycocoevalcap and with the local evaluator, errors, output rules. */
class ScoreJobTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> KEYS = List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr");
    static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = org.capeval.jobs.TestSessions.local("ScoreJobTest").config("spark.sql.shuffle.partitions", "4").getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    // ---- fresh-clone tests (own fixture) ----

    static final String REFS = """
            {"info": {"note": "hand-written fixture"}, "images": [{"id": 30}, {"id": 10}, {"id": 20}, {"id": 40}],
             "annotations": [
              {"image_id": 10, "id": 1, "caption": "A dog lies on a couch."},
              {"image_id": 10, "id": 2, "caption": "a brown dog sleeping"},
              {"image_id": 20, "id": 3, "caption": "A cat sits on the bed."},
              {"image_id": 30, "id": 4, "caption": "Two birds in a tree."},
              {"image_id": 20, "id": 5, "caption": "a black cat on a white bed"},
              {"image_id": 30, "id": 6, "caption": "birds perched on a branch"},
              {"image_id": 40, "id": 7, "caption": "a red bus on the street"}]}
            """;
    static final String RESULTS = """
            [{"image_id": 10, "caption": "a dog on a couch"},
             {"image_id": 20, "caption": "a cat on a bed", "score": 0.5},
             {"image_id": 30, "caption": "two birds on a branch"}]
            """;

    Path write(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void matchesTheLocalEvaluatorOnAFixture() throws IOException {
        Path refs = write("refs.json", REFS);
        Path res = write("results.json", RESULTS);
        Path out = tmp.resolve("out");
        // more partitions than images: empty partitions must not disturb order or the pairwise mean
        JsonNode eval = ScoreJob.run(spark, "--refs", refs.toString(), "--results", res.toString(),
                "--out", out.toString(), "--partitions", "5");
        CocoEvaluator.Evaluation local = new CocoEvaluator(CaptionTokenizer.ptb())
                .evaluate(CocoReferences.read(refs), CocoResults.read(res));
        JsonNode written = JSON.readTree(out.resolve("eval.json").toFile());
        assertEquals(JSON.readTree(eval.toString()), written, "returned and written eval.json");
        assertEquals(JSON.readTree(local.evalJson().toString()), written, "Spark and local evaluation must agree exactly");
        assertEquals(3, written.get("n_images").asInt());
        List<Row> rows = perImageRows(out);
        assertEquals(List.of(30L, 10L, 20L), rows.stream().map(r -> r.getLong(0)).toList(), "COCO order: images array");
        for (int i = 0; i < rows.size(); i++) {
            double[] expected = local.row(i);
            for (int k = 0; k < KEYS.size(); k++) {
                assertEquals(expected[k], rows.get(i).getDouble(rows.get(i).fieldIndex(KEYS.get(k))), KEYS.get(k));
            }
        }
        assertNoTemporaryLeft(out);
    }

    @Test
    void jsonLinesPerImageAndOverwrite() throws IOException {
        Path refs = write("refs.json", REFS);
        Path res = write("results.json", RESULTS);
        Path out = tmp.resolve("out");
        ScoreJob.run(spark, "--refs", refs.toString(), "--results", res.toString(), "--out", out.toString(),
                "--metrics", "bleu,rouge", "--per-image-format", "json");
        JsonNode eval = JSON.readTree(out.resolve("eval.json").toFile());
        assertEquals(List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L"), fieldNames(eval.get("eval")));
        try (Stream<Path> files = Files.list(out.resolve("per_image"))) {
            List<String> lines = files.filter(p -> p.getFileName().toString().startsWith("part-"))
                    .sorted().flatMap(p -> readLines(p).stream()).toList();
            assertEquals(3, lines.size());
            assertEquals(30, JSON.readTree(lines.get(0)).get("image_id").asInt());
        }
        // an existing output is kept unless --overwrite
        String before = Files.readString(out.resolve("eval.json"));
        assertThrows(ScoreJob.OutputExistsException.class, () -> ScoreJob.run(spark, "--refs", refs.toString(),
                "--results", res.toString(), "--out", out.toString()));
        assertEquals(before, Files.readString(out.resolve("eval.json")));
        ScoreJob.run(spark, "--refs", refs.toString(), "--results", res.toString(), "--out", out.toString(), "--overwrite");
        assertTrue(JSON.readTree(out.resolve("eval.json").toFile()).get("eval").has("CIDEr"));
        assertNoTemporaryLeft(out);
    }

    @Test
    void savedIdfReproducesTheDefault() throws IOException {
        Path refs = write("refs.json", REFS);
        Path res = write("results.json", RESULTS);
        Path idf = tmp.resolve("coco.idf");
        JsonNode first = ScoreJob.run(spark, "--refs", refs.toString(), "--results", res.toString(),
                "--out", tmp.resolve("a").toString(), "--save-idf", idf.toString());
        assertTrue(Files.size(idf) > 0);
        JsonNode second = ScoreJob.run(spark, "--refs", refs.toString(), "--results", res.toString(),
                "--out", tmp.resolve("b").toString(), "--idf", idf.toString());
        assertEquals(first.get("eval"), second.get("eval"), "same document frequencies, same scores");
        assertTrue(second.get("signature").asText().contains("idf:file:coco.idf"), second.get("signature").asText());
        assertTrue(first.get("signature").asText().endsWith("idf:refs"), first.get("signature").asText());
    }

    @Test
    void badInputFailsWithoutOutput() throws IOException {
        Path refs = write("refs.json", REFS);
        Path out = tmp.resolve("out");
        String[][] cases = {
            {"[{\"image_id\": 10, \"caption\": \"a\"}, {\"image_id\": 99, \"caption\": \"b\"}]", "results[1]", "99"},
            {"[{\"image_id\": 10, \"caption\": \"a\"}, {\"image_id\": 10, \"caption\": \"b\"}]", "results[1]", "10"},
            {"[{\"image_id\": 10, \"caption\": 5}]", "results[0]", "10"},
            {"[{\"image_id\": 10}]", "results[0]", "10"},
            {"[{\"image_id\": 10, \"caption\": \"a\"}, {\"image_id\": 20, \"caption\": \"b\"", "results[1]", null},
        };
        for (String[] c : cases) {
            Path res = write("bad.json", c[0]);
            CocoFormatException e = assertThrows(CocoFormatException.class, () -> ScoreJob.run(spark,
                    "--refs", refs.toString(), "--results", res.toString(), "--out", out.toString()), c[0]);
            assertTrue(e.getMessage().contains(res.toString()) && e.getMessage().contains(c[1])
                    && (c[2] == null || e.getMessage().contains("image_id " + c[2])), e.getMessage());
            assertFalse(Files.exists(out), "no output after: " + e.getMessage());
            assertNoTemporaryLeft(out);
        }
    }

    @Test
    void tokenizerLookAheadCrossesPartitions() throws IOException {
        // PTBLexer splits "K." into "k" + "." (then removed) when the next line of its input starts a
        // sentence, and keeps "k." at the end of the input: the next image's first caption matters,
        // also when it lives in another partition.
        Path refs = write("la_refs.json", """
                {"images": [{"id": 1}, {"id": 2}, {"id": 3}],
                 "annotations": [{"image_id": 1, "caption": "a sign that reads K."},
                                 {"image_id": 2, "caption": "A sign that reads P."},
                                 {"image_id": 3, "caption": "A sign that reads Q."}]}
                """);
        Path res = write("la_results.json", """
                [{"image_id": 1, "caption": "a sign that reads K."}, {"image_id": 2, "caption": "A sign reads P."},
                 {"image_id": 3, "caption": "a sign that reads q"}]
                """);
        CocoEvaluator.Evaluation local = new CocoEvaluator(CaptionTokenizer.ptb())
                .evaluate(CocoReferences.read(refs), CocoResults.read(res));
        assertEquals("a sign that reads k", local.image(0).references()[0], "look-ahead into the next caption");
        assertEquals("a sign that reads q.", local.image(2).references()[0], "last caption of the run");
        for (String parts : List.of("1", "3")) {
            JsonNode eval = ScoreJob.run(spark, "--refs", refs.toString(), "--results", res.toString(),
                    "--out", tmp.resolve("la" + parts).toString(), "--partitions", parts);
            assertEquals(JSON.readTree(local.evalJson().toString()), JSON.readTree(eval.toString()), parts + " partitions");
        }
    }

    // ---- parity with pycocoevalcap on the shared cases ----

    @Test
    void realCaseEqualsTheLocalEvaluator() throws IOException {
        // 5,000 real images, raw captions (PTB tokenizer on the executors), 7 partitions: the
        // distributed job must give exactly the one-JVM numbers (expected values are withheld)
        Path dir = sharedCase("real_mismatched_val2014_5000").resolve("raw");
        Path out = tmp.resolve("mismatched");
        JsonNode eval = ScoreJob.run(spark, "--refs", dir.resolve("refs.json.gz").toString(),
                "--results", dir.resolve("cands.json.gz").toString(), "--out", out.toString(), "--partitions", "7");
        CocoEvaluator.Evaluation local = new CocoEvaluator(CaptionTokenizer.ptb()).evaluate(
                CocoReferences.read(dir.resolve("refs.json.gz")), CocoResults.read(dir.resolve("cands.json.gz")));
        assertEquals(JSON.readTree(local.evalJson().toString()), JSON.readTree(eval.toString()));
        assertEquals(5000, eval.get("n_images").asInt());
        List<Row> rows = perImageRows(out);
        for (int i = 0; i < rows.size(); i += 97) {
            assertEquals(local.imageId(i), rows.get(i).getLong(0));
            assertEquals(local.row(i)[5], rows.get(i).getDouble(rows.get(i).fieldIndex("CIDEr")));
        }
    }

    @Test
    void demoCaseMatchesPycocoevalcap() throws IOException {
        for (String variant : List.of("raw", "tok")) {
            Path dir = sharedCase("real_fakecap_val2014").resolve(variant);
            Path out = tmp.resolve("demo-" + variant);
            List<String> args = new java.util.ArrayList<>(List.of("--refs", dir.resolve("refs.json").toString(),
                    "--results", dir.resolve("cands.json").toString(), "--out", out.toString(), "--partitions", "3"));
            if (variant.equals("tok")) {
                args.add("--pretokenized");
            }
            ScoreJob.run(spark, args.toArray(new String[0]));
            compare(readJson(dir.resolve("expected.json")), out);
        }
    }

    @Test
    void synthetic5000MatchesPycocoevalcapAcrossPartitions() throws IOException {
        Path dir = sharedCase("synthetic_5000").resolve("tok");
        Path out = tmp.resolve("synthetic");
        ScoreJob.run(spark, "--refs", dir.resolve("refs.json.gz").toString(), "--results", dir.resolve("cands.json.gz").toString(),
                "--out", out.toString(), "--pretokenized", "--partitions", "7");
        compare(readJson(dir.resolve("expected.json.gz")), out);
        // the distributed pairwise mean is the same double as the one-JVM numpy-order mean
        CocoEvaluator.Evaluation local = new CocoEvaluator(CaptionTokenizer.pretokenized()).evaluate(
                CocoReferences.read(dir.resolve("refs.json.gz")), CocoResults.read(dir.resolve("cands.json.gz")));
        assertEquals(JSON.readTree(local.evalJson().toString()).get("eval"), JSON.readTree(out.resolve("eval.json").toFile()).get("eval"));
    }

    @Test
    void errorCaseLeavesNoOutput() {
        Path dir = sharedCase("error_duplicate_result").resolve("tok");
        Path out = tmp.resolve("err");
        CocoFormatException e = assertThrows(CocoFormatException.class, () -> ScoreJob.run(spark,
                "--refs", dir.resolve("refs.json").toString(), "--results", dir.resolve("cands.json").toString(),
                "--out", out.toString(), "--pretokenized"));
        assertTrue(e.getMessage().contains("second result"), e.getMessage());
        assertFalse(Files.exists(out));
        assertNoTemporaryLeft(out);
    }

    static void compare(JsonNode expected, Path out) throws IOException {
        JsonNode eval = JSON.readTree(out.resolve("eval.json").toFile());
        for (String k : KEYS) {
            close(expected.get("corpus").get(k).asDouble(), eval.get("eval").get(k).asDouble(), "corpus " + k);
        }
        JsonNode bs = expected.get("bleu_stats"), ours = eval.get("bleu_stats");
        assertEquals(bs.get("testlen").asLong(), ours.get("testlen").asLong());
        assertEquals(bs.get("reflen").asLong(), ours.get("reflen").asLong());
        for (int k = 0; k < 4; k++) {
            assertEquals(bs.get("guess").get(k).asLong(), ours.get("guess").get(k).asLong());
            assertEquals(bs.get("correct").get(k).asLong(), ours.get("correct").get(k).asLong());
        }
        JsonNode per = expected.get("per_image");
        assertEquals(per.size(), eval.get("n_images").asInt());
        List<Row> rows = perImageRows(out);
        assertEquals(per.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(per.get(i).get("image_id").asLong(), rows.get(i).getLong(0), "evaluation order at " + i);
            for (String k : KEYS) {
                close(per.get(i).get(k).asDouble(), rows.get(i).getDouble(rows.get(i).fieldIndex(k)), "image " + rows.get(i).getLong(0) + " " + k);
            }
        }
    }

    /** per_image rows in evaluation order: part files in name order, each file's rows in order. */
    static List<Row> perImageRows(Path out) throws IOException {
        List<Row> rows = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.list(out.resolve("per_image"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                rows.addAll(spark.read().parquet(f.toString()).collectAsList());
            }
        }
        return rows;
    }

    static void close(double expected, double actual, String what) {
        if (!(Math.abs(expected - actual) <= 1e-12 * Math.max(Math.abs(expected), Math.abs(actual)))) {
            fail(what + ": expected " + expected + " but was " + actual);
        }
    }

    static Path sharedCase(String name) {
        String shared = System.getProperty("capeval.shared");
        Path p = shared == null ? null : Path.of(shared, "cases", "caption", name);
        if (p == null || !Files.isDirectory(p)) {
            String msg = "shared reference data not found (" + p + ")";
            if ("1".equals(System.getenv("CAPEVAL_REQUIRE_SHARED"))) {
                fail(msg + " and CAPEVAL_REQUIRE_SHARED=1");
            }
            Assumptions.abort(msg + " — skipped");
        }
        return p;
    }

    static JsonNode readJson(Path p) throws IOException {
        try (InputStream in = CocoJson.open(p)) {
            return JSON.readTree(in);
        }
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static List<String> readLines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void assertNoTemporaryLeft(Path out) {
        try (Stream<Path> s = Files.list(out.getParent())) {
            List<String> left = s.map(p -> p.getFileName().toString()).filter(n -> n.contains("capeval-tmp")).toList();
            assertEquals(List.of(), left, "temporary directories left behind");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
