package org.capeval.jobs.score;

import static org.capeval.jobs.score.ScoreJobTest.JSON;
import static org.capeval.jobs.score.ScoreJobTest.REFS;
import static org.capeval.jobs.score.ScoreJobTest.RESULTS;
import static org.capeval.jobs.score.ScoreJobTest.fieldNames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.capeval.spice.score.SpiceImageScore;
import org.capeval.spice.score.TupleCategory;
import org.capeval.spice.score.TupleScore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code score --format pycocoevalcap}: {@code pycocoevalcap.json} holds pycocoevalcap's {@code eval}
 * and {@code imgToEval} (keys, order, image_id inside each image), the same bytes from the local and
 * the Spark engine, floats as Python's repr. (python/tests checks the bytes against Python's own
 * {@code json.dumps} on the COCO demo.)
 */
class PycocoevalcapJsonTest {
    static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        ScoreJobTest.start();
        spark = ScoreJobTest.spark;
    }

    @AfterAll
    static void stop() {
        ScoreJobTest.stop();
    }

    private static String[] args(String refs, String results, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("--refs", refs, "--results", results, "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    private void assertBothEnginesWriteIt(String name, String refs, String results, int images, String... extra) throws IOException {
        List<String> withFormat = new ArrayList<>(List.of(extra));
        withFormat.addAll(List.of("--format", "pycocoevalcap"));
        String[] more = withFormat.toArray(new String[0]);
        Path local = dir.resolve(name + "-local"), sparkOut = dir.resolve(name + "-spark");
        LocalScore.run(ScoreOptions.parse(args(refs, results, local, more)), 3);
        ScoreJob.run(spark, ScoreOptions.parse(args(refs, results, sparkOut, concat(more, "--partitions", "3"))));
        byte[] bytes = Files.readAllBytes(local.resolve(PycocoevalcapJson.FILE));
        assertArrayEquals(bytes, Files.readAllBytes(sparkOut.resolve(PycocoevalcapJson.FILE)), "local and Spark engines' bytes");

        JsonNode py = JSON.readTree(bytes);
        assertEquals(List.of("eval", "imgToEval"), fieldNames(py));
        JsonNode eval = JSON.readTree(local.resolve("eval.json").toFile()).get("eval");
        assertEquals(fieldNames(eval), fieldNames(py.get("eval")), "metric keys and order");
        for (String k : fieldNames(eval)) {
            assertEquals(eval.get(k).asDouble(), py.get("eval").get(k).asDouble(), k);
        }
        List<Row> rows = ScoreJobTest.perImageRows(local);
        JsonNode imgToEval = py.get("imgToEval");
        assertEquals(images, imgToEval.size());
        assertEquals(rows.size(), imgToEval.size());
        List<String> ids = fieldNames(imgToEval);
        List<String> keys = new ArrayList<>(List.of("image_id"));
        keys.addAll(fieldNames(eval));
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            assertEquals(Long.toString(row.getLong(0)), ids.get(i), "evaluation order at " + i);
            JsonNode img = imgToEval.get(ids.get(i));
            assertEquals(keys, fieldNames(img), "keys of image " + ids.get(i));
            assertTrue(img.get("image_id").isIntegralNumber());
            assertEquals(row.getLong(0), img.get("image_id").asLong());
            for (String k : fieldNames(eval)) {
                assertEquals(row.getDouble(row.fieldIndex(k)), img.get(k).asDouble(), "image " + ids.get(i) + " " + k);
            }
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"eval\": {\""), text.substring(0, 20));
        assertFalse(text.contains("E-") || text.contains("E+") || text.contains(": ."), "Python's float repr, not Java's");
    }

    private static String[] concat(String[] a, String... b) {
        List<String> out = new ArrayList<>(List.of(a));
        out.addAll(List.of(b));
        return out.toArray(new String[0]);
    }

    @Test
    void fixtureOnBothEngines() throws IOException {
        Path refs = Files.writeString(dir.resolve("refs.json"), REFS), res = Files.writeString(dir.resolve("results.json"), RESULTS);
        assertBothEnginesWriteIt("fixture", refs.toString(), res.toString(), 3);
        // evaluation order is the images array's (30, 10, 20), not the results' or numeric order
        String text = Files.readString(dir.resolve("fixture-local").resolve(PycocoevalcapJson.FILE));
        assertTrue(text.indexOf("\"30\": {\"image_id\": 30, \"Bleu_1\": ") < text.indexOf("\"10\": {\"image_id\": 10,"), text);
        assertTrue(text.indexOf("\"10\": {") < text.indexOf("\"20\": {"), text);
        assertTrue(text.endsWith("}}}"), text);
    }

    @Test
    void bundledExampleWithCiderPlainOnBothEngines() throws IOException {
        Path examples = Path.of(System.getProperty("capeval.projectDir", "..")).resolve("examples");
        assertBothEnginesWriteIt("example", examples.resolve("refs.json").toString(), examples.resolve("results.json").toString(), 200,
                "--metrics", "bleu,rouge,cider,cider-plain");
    }

    @Test
    void onlyOnRequestAndOnlyKnownFormats() throws IOException {
        Path refs = Files.writeString(dir.resolve("refs.json"), REFS), res = Files.writeString(dir.resolve("results.json"), RESULTS);
        Path out = dir.resolve("plain");
        LocalScore.run(ScoreOptions.parse(args(refs.toString(), res.toString(), out)), 1);
        assertFalse(Files.exists(out.resolve(PycocoevalcapJson.FILE)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScoreOptions.parse(args(refs.toString(), res.toString(), dir.resolve("x"), "--format", "coco")));
        assertTrue(e.getMessage().contains("--format must be capeval or pycocoevalcap"), e.getMessage());
    }

    @Test
    void spiceBreakdownAsPycocoevalcapHoldsIt() throws IOException {
        // one image: 3 of 4 candidate tuples matched, 6 reference tuples; no colour or size in the
        // references (NaN), an unmatched relation; the dict as pycocoevalcap's spice.py builds it from
        // spice-1.0.jar's output (categories and fields in the jar's HashMap order, all floats)
        java.util.Map<TupleCategory, TupleScore> m = new java.util.EnumMap<>(TupleCategory.class);
        m.put(TupleCategory.ALL, new TupleScore(3, 1, 3, 0.75, 0.5, 0.6));
        m.put(TupleCategory.OBJECT, new TupleScore(2, 0, 1, 1.0, 2.0 / 3, 0.8));
        m.put(TupleCategory.ATTRIBUTE, new TupleScore(1, 0, 0, 1.0, 1.0, 1.0));
        m.put(TupleCategory.RELATION, new TupleScore(0, 1, 2, 0.0, 0.0, 0.0));
        m.put(TupleCategory.CARDINALITY, new TupleScore(1, 0, 0, 1.0, 1.0, 1.0));
        m.put(TupleCategory.COLOR, new TupleScore(0, 0, 0, Double.NaN, Double.NaN, Double.NaN));
        m.put(TupleCategory.SIZE, new TupleScore(0, 0, 0, Double.NaN, Double.NaN, Double.NaN));
        com.fasterxml.jackson.databind.node.ObjectNode eval = JSON.createObjectNode();
        eval.putObject("eval").put("Bleu_1", 0.5).put("SPICE", 0.6);
        java.io.StringWriter w = new java.io.StringWriter();
        PycocoevalcapJson.write(w, eval, List.of("Bleu_1"), List.of(
                new PycocoevalcapJson.Row(30, new double[] {0.5}, new SpiceImageScore(m))).iterator());
        assertEquals("{\"eval\": {\"Bleu_1\": 0.5, \"SPICE\": 0.6}, \"imgToEval\": {\"30\": {\"image_id\": 30, \"Bleu_1\": 0.5, "
                + "\"SPICE\": {\"All\": {\"pr\": 0.75, \"re\": 0.5, \"f\": 0.6, \"fn\": 3.0, \"numImages\": 1.0, \"fp\": 1.0, \"tp\": 3.0}, "
                + "\"Relation\": {\"pr\": 0.0, \"re\": 0.0, \"f\": 0.0, \"fn\": 2.0, \"numImages\": 1.0, \"fp\": 1.0, \"tp\": 0.0}, "
                + "\"Cardinality\": {\"pr\": 1.0, \"re\": 1.0, \"f\": 1.0, \"fn\": 0.0, \"numImages\": 1.0, \"fp\": 0.0, \"tp\": 1.0}, "
                + "\"Attribute\": {\"pr\": 1.0, \"re\": 1.0, \"f\": 1.0, \"fn\": 0.0, \"numImages\": 1.0, \"fp\": 0.0, \"tp\": 1.0}, "
                + "\"Size\": {\"pr\": NaN, \"re\": NaN, \"f\": NaN, \"fn\": 0.0, \"numImages\": 1.0, \"fp\": 0.0, \"tp\": 0.0}, "
                + "\"Color\": {\"pr\": NaN, \"re\": NaN, \"f\": NaN, \"fn\": 0.0, \"numImages\": 1.0, \"fp\": 0.0, \"tp\": 0.0}, "
                + "\"Object\": {\"pr\": 1.0, \"re\": 0.6666666666666666, \"f\": 0.8, \"fn\": 1.0, \"numImages\": 1.0, \"fp\": 0.0, \"tp\": 2.0}}}}}",
                w.toString());
    }

    @Test
    void floatsAsPythonsRepr() {
        // (value as a hex literal, Python 3.11's repr)
        String[][] cases = {
            {"0x1.28a70fa7cfa30p-1", "0.5793995754573356"}, {"0x1.6cab98abf924ap-15", "4.3472087184946525e-05"},
            {"0x1.4f8b588e368f1p-17", "1e-05"}, {"0x1.a36e2eb1c432dp-14", "0.0001"}, {"0x1.1c37937e08000p+53", "1e+16"},
            {"0x1.c6bf526340000p+49", "1000000000000000.0"}, {"0x1.b69b4ba630f35p+56", "1.2345678901234568e+17"},
            {"0x0.0000000000001p-1022", "5e-324"}, {"0x1.0000000000000p-1022", "2.2250738585072014e-308"},
            {"0x1.fffffffffffffp+1023", "1.7976931348623157e+308"}, {"0x1.999999999999ap-4", "0.1"},
            {"0x1.5555555555555p-2", "0.3333333333333333"}, {"0x1.5555555555555p-1", "0.6666666666666666"},
            {"0x1.9000000000000p+6", "100.0"}, {"-0x1.8000000000000p+0", "-1.5"}, {"-0x0.0p+0", "-0.0"}, {"0x0.0p+0", "0.0"},
            {"0x1.0f0cf064dd592p+73", "1e+22"}, {"0x1.52d02c7e14af6p+76", "1e+23"}, {"0x1.0000000000000p+53", "9007199254740992.0"},
            {"0x1.3333333333333p-2", "0.3"}, {"0x1.4000000000000p+2", "5.0"}, {"0x1.ad7f29abcaf48p-24", "1e-07"},
            {"0x1.edd2f1a9fbe77p+6", "123.456"}, {"0x1.3a92a30553262p-12", "0.00030000000000000003"},
            {"0x0.0000000000003p-1022", "1.5e-323"}, {"0x1.333333322b515p-1", "0.5999999998800002"},
            {"0x1.93a79af2c1aabp-28", "5.873949093408464e-09"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], PycocoevalcapJson.pythonRepr(Double.parseDouble(c[0])), c[0]);
        }
        assertEquals("NaN", PycocoevalcapJson.pythonRepr(Double.NaN));
        assertEquals("Infinity", PycocoevalcapJson.pythonRepr(Double.POSITIVE_INFINITY));
        assertEquals("-Infinity", PycocoevalcapJson.pythonRepr(Double.NEGATIVE_INFINITY));
    }

    @Test
    void reprReadsBackAndIsNoLongerThanJavas() {
        SplittableRandom r = new SplittableRandom(56);
        for (int i = 0; i < 200_000; i++) {
            double v = i % 2 == 0 ? Double.longBitsToDouble(r.nextLong()) : r.nextDouble();
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                continue;
            }
            String s = PycocoevalcapJson.pythonRepr(v);
            assertEquals(v, Double.parseDouble(s), s);
            assertTrue(s.matches("-?(\\d+\\.\\d+|\\d(\\.\\d+)?e[+-]\\d{2,3})"), s);
            String digits = s.replaceAll("e.*", "").replaceAll("[-.]", "").replaceAll("^0+", "").replaceAll("0+$", "");
            assertTrue(digits.length() <= 17, s);
        }
    }
}
