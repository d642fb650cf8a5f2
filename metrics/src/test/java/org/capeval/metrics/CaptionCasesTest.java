package org.capeval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.capeval.metrics.coco.CocoFormatException;
import org.capeval.metrics.coco.CocoJson;
import org.capeval.metrics.coco.CocoReferences;
import org.capeval.metrics.coco.CocoResults;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Parity with pycocoevalcap v1.2 over every case of ../shared/cases/caption (or -Dcapeval.cases=DIR,
 * same layout): each case, each variant (raw/ = our PTB tokenizer, tok/ = --pretokenized) is
 * scored with BLEU, ROUGE-L and CIDEr-D; corpus and per-image values must be within 1e-12
 * relative, BLEU totals exact. Cases without expected.json are scored and sanity-checked (and raw
 * vs tok compared); error cases must fail with a message naming file, record and image.
 */
class CaptionCasesTest {
    static final double REL = 1e-12;
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> KEYS = List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr");

    /** Reported as skipped, with the reason, when the shared cases are absent (failed under CAPEVAL_REQUIRE_SHARED=1). */
    @org.junit.jupiter.api.Test
    void casesFolderHasCases() throws IOException {
        Path root = SharedData.captionCases();
        try (Stream<Path> dirs = Files.list(root)) {
            assertTrue(dirs.anyMatch(d -> Files.isDirectory(d.resolve("raw")) || Files.isDirectory(d.resolve("tok"))),
                    "no case with a raw/ or tok/ folder in " + root);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCase() throws IOException {
        Path root;
        try {
            root = SharedData.captionCases();
        } catch (org.opentest4j.TestAbortedException absent) {
            return Stream.empty(); // casesFolderHasCases reports the skip
        }
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                JsonNode meta = Files.exists(dir.resolve("case.json")) ? JSON.readTree(dir.resolve("case.json").toFile()) : JSON.createObjectNode();
                for (String variant : List.of("raw", "tok")) {
                    if (Files.isDirectory(dir.resolve(variant))) {
                        tests.add(DynamicTest.dynamicTest(dir.getFileName() + "/" + variant, () -> runCase(dir, variant, meta)));
                    }
                }
                if (Files.isDirectory(dir.resolve("raw")) && Files.isDirectory(dir.resolve("tok")) && !isError(meta)
                        && find(dir.resolve("raw"), "expected") == null) {
                    // no expected values: the two variants must still agree (tests the tokenizer at scale)
                    tests.add(DynamicTest.dynamicTest(dir.getFileName() + " raw==tok", () -> rawEqualsTok(dir)));
                }
            }
        }
        assertTrue(!tests.isEmpty(), "no case directories in " + root);
        return tests.stream();
    }

    static boolean isError(JsonNode meta) {
        return meta.path("flags").toString().contains("\"error\"");
    }

    static CaptionTokenizer tokenizerFor(String variant) {
        return variant.equals("raw") ? CaptionTokenizer.ptb() : CaptionTokenizer.pretokenized();
    }

    /** Evaluations are reused by the raw==tok comparison (the big cases take seconds each). */
    static final java.util.Map<Path, CocoEvaluator.Evaluation> CACHE = new java.util.concurrent.ConcurrentHashMap<>();
    static final java.util.concurrent.atomic.AtomicLong COMPARED = new java.util.concurrent.atomic.AtomicLong();
    static final java.util.concurrent.atomic.AtomicLong BIT_EXACT = new java.util.concurrent.atomic.AtomicLong();

    @org.junit.jupiter.api.AfterAll
    static void report() {
        System.out.println("caption parity: " + BIT_EXACT.get() + " of " + COMPARED.get()
                + " compared floats are bit-identical to pycocoevalcap; the rest are within " + REL + " relative");
        CACHE.clear();
    }

    static CocoEvaluator.Evaluation evaluate(Path dir, String variant) {
        Path key = dir.resolve(variant);
        CocoEvaluator.Evaluation ev = CACHE.get(key);
        if (ev == null) {
            ev = evaluateUncached(dir, variant);
            CACHE.put(key, ev);
        }
        return ev;
    }

    static CocoEvaluator.Evaluation evaluateUncached(Path dir, String variant) {
        Path v = dir.resolve(variant);
        CocoReferences refs = CocoReferences.read(find(v, "refs"));
        CocoResults res = CocoResults.read(find(v, "cands"));
        return new CocoEvaluator(tokenizerFor(variant)).evaluate(refs, res);
    }

    void runCase(Path dir, String variant, JsonNode meta) throws IOException {
        Path expectedFile = find(dir.resolve(variant), "expected");
        JsonNode expected = expectedFile == null ? null : readJson(expectedFile);
        if (isError(meta) || (expected != null && expected.has("error"))) {
            CocoFormatException e = assertThrows(CocoFormatException.class, () -> evaluate(dir, variant),
                    "the original fails on this case (" + (expected == null ? "" : expected.path("error").asText()) + ")");
            assertTrue(e.record() != null && e.imageId() != null && e.getMessage().contains(e.file()),
                    "error must name file, record and image: " + e.getMessage());
            return;
        }
        if (dir.getFileName().toString().equals("carriage_return_quirk")) {
            carriageReturn(dir, variant, expected);
            return;
        }
        CocoEvaluator.Evaluation ev = evaluate(dir, variant);
        if (meta.has("n_images") && !meta.get("n_images").isNull()) {
            assertEquals(meta.get("n_images").asLong(), ev.imageCount(), "n_images");
        }
        sane(ev);
        if (expected == null) {
            return;
        }
        compare(expected, ev);
    }

    /** Compares with a pycocoevalcap expected.json; returns nothing, fails with the first difference. */
    static void compare(JsonNode expected, CocoEvaluator.Evaluation ev) {
        for (String k : KEYS) {
            close(expected.get("corpus").get(k).asDouble(), ev.corpus(k), "corpus " + k);
        }
        JsonNode bs = expected.get("bleu_stats");
        JsonNode ours = ev.evalJson().get("bleu_stats");
        assertEquals(bleuTotals(bs), bleuTotals(ours), "bleu_stats");
        close(bs.get("ratio").asDouble(), ours.get("ratio").asDouble(), "bleu_stats.ratio");
        JsonNode per = expected.get("per_image");
        assertEquals(per.size(), ev.imageCount(), "number of evaluated images");
        for (int i = 0; i < per.size(); i++) {
            JsonNode row = per.get(i);
            assertEquals(row.get("image_id").asLong(), ev.imageId(i), "image order at " + i);
            double[] mine = ev.row(i);
            for (int k = 0; k < KEYS.size(); k++) {
                close(row.get(KEYS.get(k)).asDouble(), mine[ev.keys().indexOf(KEYS.get(k))],
                        "image " + row.get("image_id") + " " + KEYS.get(k));
            }
        }
    }

    /** testlen, reflen, guess[4], correct[4] as exact integers. */
    static List<Long> bleuTotals(JsonNode bs) {
        List<Long> out = new ArrayList<>();
        out.add(bs.get("testlen").longValue());
        out.add(bs.get("reflen").longValue());
        for (String f : List.of("guess", "correct")) {
            for (JsonNode n : bs.get(f)) {
                assertTrue(n.isIntegralNumber(), "bleu_stats." + f + " must be integers");
                out.add(n.longValue());
            }
        }
        return out;
    }

    /** Sanity that holds for any input: ranges, BLEU totals consistent, finite numbers. */
    static void sane(CocoEvaluator.Evaluation ev) {
        assertTrue(ev.imageCount() > 0);
        for (int i = 0; i < ev.imageCount(); i++) {
            double[] r = ev.row(i);
            for (int k = 0; k < r.length; k++) {
                double max = ev.keys().get(k).startsWith("CIDEr") ? 10.0 : 1.0;
                assertTrue(r[k] >= 0 && r[k] <= max + 1e-9, ev.keys().get(k) + " out of range: " + r[k]);
            }
        }
        JsonNode bs = ev.evalJson().get("bleu_stats");
        assertEquals(bs.get("testlen").asLong(), bs.get("guess").get(0).asLong());
        for (int k = 0; k < 4; k++) {
            assertTrue(bs.get("correct").get(k).asLong() <= bs.get("guess").get(k).asLong());
        }
    }

    void rawEqualsTok(Path dir) {
        CocoEvaluator.Evaluation raw = evaluate(dir, "raw");
        CocoEvaluator.Evaluation tok = evaluate(dir, "tok");
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < tok.imageCount(); i++) {
            List<String> a = new ArrayList<>(List.of(tok.image(i).references()));
            a.add(0, tok.image(i).candidate());
            List<String> b = new ArrayList<>(List.of(raw.image(i).references()));
            b.add(0, raw.image(i).candidate());
            for (int j = 0; j < a.size(); j++) {
                if (!a.get(j).equals(b.get(j)) && differing.size() < 5) {
                    differing.add("image " + tok.imageId(i) + " caption " + j + ": tok=" + a.get(j) + " | ours=" + b.get(j));
                }
            }
        }
        assertEquals(List.of(), differing, "tokenized captions that differ between raw (our tokenizer) and tok (CoreNLP)");
        assertEquals(bleuTotals(tok.evalJson().get("bleu_stats")), bleuTotals(raw.evalJson().get("bleu_stats")), "BLEU totals raw vs tok");
        for (String k : KEYS) {
            assertEquals(tok.corpus(k), raw.corpus(k), "corpus " + k + " raw vs tok (same tokens, same code: identical)");
        }
    }

    /**
     * carriage_return_quirk: the original tokenizes all captions as one file, so the '\r' inside a
     * caption starts a new line and every later caption moves to the previous image (the last is
     * lost). We tokenize caption by caption: '\r' separates words inside its own caption. Asserted:
     * each image keeps its own references, and the result equals the case with '\r' written as a
     * space — and differs from the original's shifted numbers.
     */
    void carriageReturn(Path dir, String variant, JsonNode expected) throws IOException {
        Path v = dir.resolve(variant);
        CocoReferences refs = CocoReferences.read(find(v, "refs"));
        CocoResults res = CocoResults.read(find(v, "cands"));
        CocoEvaluator evaluator = new CocoEvaluator(tokenizerFor(variant));
        CocoEvaluator.Evaluation ev = evaluator.evaluate(refs, res);
        CocoReferences spaced = new CocoReferences(refs.file());
        for (long id : refs.imageIds()) {
            spaced.addImage(id);
            for (String c : refs.captions(id)) {
                spaced.addCaption(id, c.replace('\r', ' '));
            }
        }
        CocoEvaluator.Evaluation same = evaluator.evaluate(spaced, res);
        boolean sawCr = false;
        for (int i = 0; i < ev.imageCount(); i++) {
            List<String> raw = refs.captions(ev.imageId(i));
            sawCr |= raw.stream().anyMatch(c -> c.indexOf('\r') >= 0);
            assertEquals(raw.size(), ev.image(i).references().length, "image " + ev.imageId(i) + " keeps its references");
            assertEquals(List.of(same.image(i).references()), List.of(ev.image(i).references()));
            assertTrue(java.util.Arrays.equals(same.row(i), ev.row(i)));
        }
        assertTrue(sawCr, "the case should contain a carriage return");
        for (String k : KEYS) {
            assertEquals(same.corpus(k), ev.corpus(k), k);
        }
        if (expected != null) { // the original's shifted references give a different CIDEr
            assertNotEquals(expected.get("corpus").get("CIDEr").asDouble(), ev.corpus("CIDEr"), 1e-6);
        }
    }

    static void close(double expected, double actual, String what) {
        COMPARED.incrementAndGet();
        if (Double.doubleToLongBits(expected) == Double.doubleToLongBits(actual)) {
            BIT_EXACT.incrementAndGet();
        }
        double tol = REL * Math.max(Math.abs(expected), Math.abs(actual));
        if (!(Math.abs(expected - actual) <= tol)) {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual
                    + " (relative difference " + Math.abs(expected - actual) / Math.abs(expected) + ")");
        }
    }

    /** name.json or name.json.gz in dir, or null. */
    static Path find(Path dir, String name) {
        for (String ext : List.of(".json", ".json.gz")) {
            Path p = dir.resolve(name + ext);
            if (Files.exists(p)) {
                return p;
            }
        }
        return null;
    }

    static JsonNode readJson(Path p) {
        try (InputStream in = CocoJson.open(p)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
