package org.capeval.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.capeval.jobs.leaderboard.HistoryRow;
import org.capeval.jobs.leaderboard.LeaderboardJob;
import org.capeval.jobs.leaderboard.LeaderboardOptions;
import org.capeval.jobs.score.MeteorOptions;
import org.capeval.jobs.score.ScoreJob;
import org.capeval.jobs.score.ScoreJobMeteorTest;
import org.capeval.metrics.CaptionMetric;
import org.capeval.metrics.CaptionTokenizer;
import org.capeval.metrics.CocoEvaluator;
import org.capeval.metrics.Metrics;
import org.capeval.metrics.coco.CocoReferences;
import org.capeval.metrics.coco.CocoResults;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every non-empty subset of {@code bleu, meteor, rouge, cider, cider-plain} (31 of them) gives the
 * same numbers, bit for bit, through every path that scores: {@link CocoEvaluator} (metrics), the
 * score job's two engines ({@code --engine spark} and {@code --engine local}) and a leaderboard
 * night; and each number equals the same key of the full five-metric suite's
 * {@link CocoEvaluator} evaluation, since the metrics are independent of each other. The two
 * engines must also write the same eval.json and the same per-image rows.
 *
 * <p>Fixture: the first 40 images of the bundled {@code examples/} (5 references each) and two
 * submissions (the example results, and the same captions shifted by one image); METEOR reads the
 * hand-written data of {@link ScoreJobMeteorTest#meteorData}. One local[2] Spark session for the
 * class; one score run per engine and one leaderboard night per subset.
 *
 * <p>SPICE is left out: it is not one of {@link Metrics#ALL} (so neither {@link CocoEvaluator}, the
 * local engine nor the leaderboard can run it), and on the Spark engine it loads the CoreNLP 3.6.0
 * models (hundreds of MB) and parses every caption, which alone would cost more than this class's
 * time budget on 2 cores; ScoreJobSpiceTest covers {@code spice} and {@code bleu,spice} there.
 */
class MetricSubsetsTest {
    static final List<String> NAMES = List.of("bleu", "meteor", "rouge", "cider", "cider-plain");
    static final int IMAGES = 40;
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NIGHT = "2026-11-01";

    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path refs, results, shifted, submissions, meteorData;
    /** The full five-metric suite's evaluation of each submission: the reference numbers. */
    static CocoEvaluator.Evaluation full, fullShifted;

    /** Score-job outputs per subset and engine, for the engines' comparison. */
    static final Map<String, Path> sparkOut = new HashMap<>();
    static final Map<String, Path> localOut = new HashMap<>();

    @BeforeAll
    static void start() throws IOException {
        writeFixture();
        meteorData = ScoreJobMeteorTest.meteorData(dir);
        CocoEvaluator all = evaluator(String.join(",", NAMES));
        CocoReferences r = CocoReferences.read(refs);
        full = all.evaluate(r, CocoResults.read(results));
        fullShifted = all.evaluate(r, CocoResults.read(shifted));
        // the fixture must make equality meaningful: every key a real number, distinct keys, and the
        // two submissions apart on every key (a swapped submission would be noticed)
        assertEquals(IMAGES, full.imageCount());
        assertEquals(full.keys().size(), new HashSet<>(full.keys()).size(), "distinct keys " + full.keys());
        for (String key : full.keys()) {
            double a = full.corpus(key), b = fullShifted.corpus(key);
            assertTrue(Double.isFinite(a) && a > 0 && Double.isFinite(b) && b > 0, key + ": " + a + ", " + b);
            assertNotEquals(a, b, key + ": the two submissions must score differently");
        }
        spark = TestSessions.local("MetricSubsetsTest")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** The first IMAGES images of examples/ (references and results), plus the results shifted by one image. */
    private static void writeFixture() throws IOException {
        Path examples = Path.of(System.getProperty("capeval.projectDir", "..")).resolve("examples");
        JsonNode allRefs = JSON.readTree(examples.resolve("refs.json").toFile());
        JsonNode allResults = JSON.readTree(examples.resolve("results.json").toFile());
        ObjectNode root = JSON.createObjectNode();
        ArrayNode images = root.putArray("images");
        Set<Long> ids = new LinkedHashSet<>();
        for (JsonNode image : allRefs.get("images")) {
            if (ids.size() == IMAGES) {
                break;
            }
            ids.add(image.get("id").asLong());
            images.add(image);
        }
        ArrayNode anns = root.putArray("annotations");
        for (JsonNode a : allRefs.get("annotations")) {
            if (ids.contains(a.get("image_id").asLong())) {
                anns.add(a);
            }
        }
        Map<Long, String> caption = new HashMap<>();
        for (JsonNode res : allResults) {
            if (ids.contains(res.get("image_id").asLong())) {
                caption.put(res.get("image_id").asLong(), res.get("caption").asText());
            }
        }
        assertEquals(ids, caption.keySet(), "examples/results.json has one caption for each of the first images");
        List<Long> order = new ArrayList<>(ids);
        ArrayNode own = JSON.createArrayNode(), moved = JSON.createArrayNode();
        for (int i = 0; i < order.size(); i++) {
            own.addObject().put("image_id", order.get(i)).put("caption", caption.get(order.get(i)));
            moved.addObject().put("image_id", order.get(i)).put("caption", caption.get(order.get((i + 1) % order.size())));
        }
        refs = dir.resolve("refs.json");
        JSON.writeValue(refs.toFile(), root);
        submissions = Files.createDirectories(dir.resolve("submissions"));
        results = submissions.resolve("own.json");
        shifted = submissions.resolve("shifted.json");
        JSON.writeValue(results.toFile(), own);
        JSON.writeValue(shifted.toFile(), moved);
        JSON.writeValue(submissions.resolve("own.meta.json").toFile(),
                JSON.createObjectNode().put("name", "own").put("team", "A").put("date", NIGHT));
        JSON.writeValue(submissions.resolve("shifted.meta.json").toFile(),
                JSON.createObjectNode().put("name", "shifted").put("team", "B").put("date", NIGHT));
    }

    private static CocoEvaluator evaluator(String metrics) {
        List<CaptionMetric> configured = MeteorOptions.configure(Metrics.parse(metrics),
                metrics.contains("meteor") ? meteorData.toString() : null, null);
        return new CocoEvaluator(configured, CaptionTokenizer.ptb(), null);
    }

    /** All 31 non-empty subsets, in registry order within each. */
    static List<List<String>> subsets() {
        List<List<String>> out = new ArrayList<>();
        for (int mask = 1; mask < 1 << NAMES.size(); mask++) {
            List<String> s = new ArrayList<>();
            for (int i = 0; i < NAMES.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    s.add(NAMES.get(i));
                }
            }
            out.add(s);
        }
        return out;
    }

    @TestFactory
    Stream<DynamicNode> everySubsetGivesTheFullSuitesNumbersOnEveryPath() {
        List<List<String>> subsets = subsets();
        assertEquals(31, subsets.size());
        return subsets.stream().map(s -> {
            String m = String.join(",", s);
            return DynamicContainer.dynamicContainer(m, Stream.of(
                    DynamicTest.dynamicTest("CocoEvaluator", () -> evaluatorPath(s)),
                    DynamicTest.dynamicTest("score --engine spark", () -> sparkEngine(s)),
                    DynamicTest.dynamicTest("score --engine local", () -> localEngine(s)),
                    DynamicTest.dynamicTest("score engines: same eval.json and per_image rows", () -> enginesAgree(s)),
                    DynamicTest.dynamicTest("leaderboard night", () -> leaderboardNight(s))));
        });
    }

    /** The keys the subset must produce: its metrics' keys, in the full suite's order. */
    private static List<String> expectedKeys(List<String> subset) {
        List<String> keys = new ArrayList<>();
        for (CaptionMetric m : Metrics.parse(String.join(",", subset))) {
            keys.addAll(m.keys());
        }
        List<String> inFullOrder = new ArrayList<>(full.keys());
        inFullOrder.retainAll(keys);
        assertEquals(inFullOrder, keys, "the subset's keys, in the full suite's order");
        return keys;
    }

    private static void assertSameBits(double expected, Double actual, String what) {
        assertNotNull(actual, what + ": missing");
        if (Double.doubleToLongBits(expected) != Double.doubleToLongBits(actual)) {
            fail(what + ": expected " + expected + " (full suite) but was " + actual + " (diff " + (actual - expected) + ")");
        }
    }

    // ---- paths ----

    private void evaluatorPath(List<String> subset) throws IOException {
        String m = String.join(",", subset);
        List<String> keys = expectedKeys(subset);
        CocoEvaluator.Evaluation ev = evaluator(m).evaluate(CocoReferences.read(refs), CocoResults.read(results));
        assertEquals(keys, ev.keys(), m + ": keys");
        assertEquals(full.imageCount(), ev.imageCount());
        for (String key : keys) {
            assertSameBits(full.corpus(key), ev.corpus(key), m + " " + key + " corpus");
        }
        for (int i = 0; i < ev.imageCount(); i++) {
            assertEquals(full.imageId(i), ev.imageId(i), "evaluation order");
            double[] row = ev.row(i), fullRow = full.row(i);
            for (int k = 0; k < keys.size(); k++) {
                assertSameBits(fullRow[full.keys().indexOf(keys.get(k))], row[k], m + " " + keys.get(k) + " image " + ev.imageId(i));
            }
        }
        if (subset.contains("bleu")) {
            assertEquals(full.evalJson().get("bleu_stats"), ev.evalJson().get("bleu_stats"), m + ": bleu_stats");
        }
    }

    private static List<String> scoreArgs(List<String> subset, Path out) {
        String m = String.join(",", subset);
        List<String> a = new ArrayList<>(List.of("--refs", refs.toString(), "--results", results.toString(), "--out", out.toString(),
                "--metrics", m, "--per-image-format", "json"));
        if (subset.contains("meteor")) {
            a.addAll(List.of("--meteor-data", meteorData.toString()));
        }
        return a;
    }

    private void sparkEngine(List<String> subset) throws IOException {
        String m = String.join(",", subset);
        Path out = dir.resolve("spark").resolve(m);
        List<String> args = scoreArgs(subset, out);
        args.addAll(List.of("--engine", "spark", "--partitions", "2"));
        ScoreJob.run(spark, args.toArray(new String[0]));
        sparkOut.put(m, out);
        checkScoreOutput(subset, out);
    }

    private void localEngine(List<String> subset) throws Exception {
        String m = String.join(",", subset);
        Path out = dir.resolve("local").resolve(m);
        List<String> args = scoreArgs(subset, out);
        args.addAll(List.of("--engine", "local", "--threads", "2"));
        String stderr = execute(args.toArray(new String[0]));
        assertTrue(stderr.contains("by the local engine"), m + ": the local engine ran; stderr:\n" + stderr);
        localOut.put(m, out);
        checkScoreOutput(subset, out);
    }

    /**
     * {@code ScoreJob.execute(ScoreOptions)}, the score command's engine dispatch, as {@code submit.sh
     * score --engine local} runs it. {@code ScoreOptions.parse} is package-private to the score
     * package, so it (and execute, whose parameter type may be too) is reached by reflection; a
     * non-zero exit status fails with what the job printed on stderr.
     */
    private static String execute(String[] args) throws Exception {
        Class<?> optionsClass = Class.forName("org.capeval.jobs.score.ScoreOptions");
        Method parse = optionsClass.getDeclaredMethod("parse", String[].class);
        parse.setAccessible(true);
        Method execute = ScoreJob.class.getMethod("execute", optionsClass);
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream(), errBytes = new ByteArrayOutputStream();
        int code;
        try {
            Object options = parse.invoke(null, (Object) args);
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            code = (Integer) execute.invoke(null, options);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String stderr = errBytes.toString(StandardCharsets.UTF_8);
        err.print(stderr);
        assertEquals(0, code, "score " + String.join(" ", args) + " exited " + code + "; stderr:\n" + stderr);
        return stderr;
    }

    /** eval.json: the subset's evaluator's content, corpus scores equal to the full suite's; per-image rows equal to its rows. */
    private static void checkScoreOutput(List<String> subset, Path out) throws IOException {
        String m = String.join(",", subset);
        List<String> keys = expectedKeys(subset);
        JsonNode eval = JSON.readTree(out.resolve("eval.json").toFile());
        List<String> written = new ArrayList<>();
        eval.get("eval").fieldNames().forEachRemaining(written::add);
        assertEquals(keys, written, m + ": eval.json keys");
        for (String key : keys) {
            JsonNode v = eval.get("eval").get(key);
            assertTrue(v.isNumber(), m + " " + key + ": " + v);
            assertSameBits(full.corpus(key), v.doubleValue(), m + " " + key + " in " + out);
        }
        assertEquals(IMAGES, eval.get("n_images").asInt(), m + ": n_images");
        CocoEvaluator.Evaluation ev = evaluator(m).evaluate(CocoReferences.read(refs), CocoResults.read(results));
        assertEquals(JSON.readTree(ev.evalJson().toString()), eval, m + ": eval.json equals the evaluator's content");

        Map<Long, JsonNode> rows = perImage(out);
        assertEquals(IMAGES, rows.size(), m + ": per_image rows");
        for (int i = 0; i < full.imageCount(); i++) {
            JsonNode row = rows.get(full.imageId(i));
            assertNotNull(row, m + ": no per_image row for image " + full.imageId(i));
            List<String> fields = new ArrayList<>();
            row.fieldNames().forEachRemaining(fields::add);
            List<String> expectedFields = new ArrayList<>(List.of("image_id"));
            expectedFields.addAll(keys);
            assertEquals(expectedFields, fields, m + ": per_image columns");
            double[] fullRow = full.row(i);
            for (String key : keys) {
                assertSameBits(fullRow[full.keys().indexOf(key)], row.get(key).doubleValue(),
                        m + " " + key + " image " + full.imageId(i) + " in " + out);
            }
        }
    }

    /** per_image/ written as JSON lines: image_id -> row. */
    private static Map<Long, JsonNode> perImage(Path out) throws IOException {
        Map<Long, JsonNode> rows = new TreeMap<>();
        List<Path> parts;
        try (Stream<Path> s = Files.list(out.resolve("per_image"))) {
            parts = s.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
        }
        for (Path part : parts) {
            for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    JsonNode row = JSON.readTree(line);
                    assertEquals(null, rows.put(row.get("image_id").asLong(), row), "image " + row.get("image_id") + " twice in " + out);
                }
            }
        }
        return rows;
    }

    private void enginesAgree(List<String> subset) throws IOException {
        String m = String.join(",", subset);
        Path s = sparkOut.get(m), l = localOut.get(m);
        assertNotNull(s, m + ": the Spark engine wrote no output (see its test)");
        assertNotNull(l, m + ": the local engine wrote no output (see its test)");
        assertEquals(JSON.readTree(s.resolve("eval.json").toFile()), JSON.readTree(l.resolve("eval.json").toFile()), m + ": eval.json");
        assertEquals(perImage(s), perImage(l), m + ": per_image rows");
    }

    private void leaderboardNight(List<String> subset) throws IOException {
        String m = String.join(",", subset);
        List<String> keys = expectedKeys(subset);
        List<String> args = new ArrayList<>(List.of("--refs", refs.toString(), "--submissions", submissions.toString(),
                "--out", dir.resolve("board").resolve(m).toString(), "--date", NIGHT, "--metrics", m,
                "--significance", String.join(",", keys), "--bootstrap-samples", "20", "--partitions", "2"));
        if (subset.contains("meteor")) {
            args.addAll(List.of("--meteor-data", meteorData.toString()));
        }
        LeaderboardJob.Outcome night;
        try {
            night = LeaderboardJob.run(spark, LeaderboardOptions.parse(args.toArray(new String[0])));
        } catch (RuntimeException e) {
            throw new AssertionError("leaderboard night with --metrics " + m + " failed: " + e, e);
        }
        String signature = evaluator(m).evaluate(CocoReferences.read(refs), CocoResults.read(results)).signature();
        Map<String, CocoEvaluator.Evaluation> expected = Map.of("own", full, "shifted", fullShifted);
        assertEquals(expected.keySet(), Set.copyOf(night.tonight().stream().map(HistoryRow::name).toList()), m + ": tonight's rows");
        for (HistoryRow row : night.tonight()) {
            assertTrue(row.ok(), m + " " + row.name() + ": " + row.status() + " " + row.error());
            assertEquals(Long.valueOf(IMAGES), row.nImages(), m + " " + row.name() + ": images");
            assertEquals(signature, row.signature(), m + " " + row.name() + ": signature");
            Set<String> metricColumns = new HashSet<>();
            for (String c : row.numbers().keySet()) {
                if (!c.endsWith("_ci_low") && !c.endsWith("_ci_high") && !c.endsWith("_p_vs_leader")) {
                    metricColumns.add(c);
                }
            }
            assertEquals(Set.copyOf(keys), metricColumns, m + " " + row.name() + ": metric columns");
            for (String key : keys) {
                assertSameBits(expected.get(row.name()).corpus(key), row.number(key), m + " " + row.name() + " " + key + " (leaderboard)");
            }
        }
    }
}
