package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.capeval.jobs.gen.CaptionGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input at scale, through submit.sh in local mode, on both engines (local and Spark): each case ends in a clear error that names the
 * file and the record (non-zero exit, no output directory), or in a deliberate, checked handling —
 * never an OOM, a hang or a silently wrong score. Inputs are generated here, in a temp dir.
 * Deliberate handlings: a 10 MB caption is scored (no length limit, as pycocoevalcap); a JSON-escaped
 * NUL is dropped by the tokenizer (CoreNLP's untokenizable-character rule).
 */
class ScoreBadInputIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final int IMAGES = 2000;

    @TempDir static Path work;
    private static Path refs;
    private static Path results;
    private static byte[] resultsBytes;

    @BeforeAll
    static void generate() throws IOException {
        refs = work.resolve("refs.json");
        results = work.resolve("results.json");
        new CaptionGenerator(11).write(IMAGES, 5, refs, results);
        resultsBytes = Files.readAllBytes(results);
    }

    private static Submit.Result score(String engine, String name, Path resultsFile, String... extra) throws Exception {
        String[] args = {"score", "--refs", refs.toString(), "--results", resultsFile.toString(),
            "--out", work.resolve(name + "-out").toString(), "--per-image-format", "json", "--engine", engine};
        String[] all = Arrays.copyOf(args, args.length + extra.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        return Submit.run(work.resolve(name + ".log"), TIMEOUT, all);
    }

    /** Non-zero exit, a message naming the file and the given details, and no output directory. */
    private static void assertCleanFailure(String name, Submit.Result r, Path file, String... mentions) {
        assertNotEquals(0, r.exit(), () -> name + ": expected a failure, log:\n" + r.log());
        assertTrue(r.log().contains(file.getFileName().toString()), () -> name + ": error must name the file " + file + ", log:\n" + r.log());
        for (String m : mentions) {
            assertTrue(r.log().contains(m), () -> name + ": error must mention '" + m + "', log:\n" + r.log());
        }
        assertFalse(r.log().contains("OutOfMemoryError"), () -> name + ": OOM, log:\n" + r.log());
        assertFalse(Files.exists(work.resolve(name + "-out")), name + ": no output on failure");
    }

    /** The results file with record {@code index}'s caption replaced by raw UTF-8 bytes (not JSON-escaped). */
    private static Path withRawCaption(String name, int index, byte[] rawCaption) throws IOException {
        String text = new String(resultsBytes, StandardCharsets.UTF_8);
        String marker = "{\"image_id\":" + (index + 1) + ",\"caption\":\"";
        int start = text.indexOf(marker) + marker.length();
        int end = text.indexOf('"', start);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(text.substring(0, start).getBytes(StandardCharsets.UTF_8));
        b.write(rawCaption);
        b.write(text.substring(end).getBytes(StandardCharsets.UTF_8));
        Path p = work.resolve(name + ".json");
        Files.write(p, b.toByteArray());
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "spark"})
    void invalidUtf8InACaptionNamesTheRecord(String engine) throws Exception {
        Path bad = withRawCaption("bad-utf8", 1233, new byte[] {'a', ' ', 'd', 'o', 'g', ' ', (byte) 0xC3, (byte) 0x28, ' ', 'x'});
        assertCleanFailure("bad-utf8-" + engine, score(engine, "bad-utf8-" + engine, bad), bad, "results[1233]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "spark"})
    void rawNulByteInACaptionNamesTheRecord(String engine) throws Exception {
        // JSON forbids unescaped control characters in strings.
        Path bad = withRawCaption("raw-nul", 876, new byte[] {'a', ' ', 'c', 'a', 't', 0, ' ', 'o', 'n'});
        assertCleanFailure("raw-nul-" + engine, score(engine, "raw-nul-" + engine, bad), bad, "results[876]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "spark"})
    void truncatedGzipIsAnErrorNotAShortRead(String engine) throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz)) {
            out.write(resultsBytes);
        }
        Path bad = work.resolve("truncated.json.gz");
        byte[] all = gz.toByteArray();
        Files.write(bad, Arrays.copyOf(all, all.length / 2));
        assertCleanFailure("truncated-gz-" + engine, score(engine, "truncated-gz-" + engine, bad), bad);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "spark"})
    void hundredThousandDuplicateResultsFailOnTheFirstDuplicate(String engine) throws Exception {
        // every image's result repeated 50 times: 100,000 results, 98,000 of them duplicates
        Path bad = work.resolve("duplicates.json");
        String text = new String(resultsBytes, StandardCharsets.UTF_8).trim();
        String body = text.substring(1, text.length() - 1).trim();
        StringBuilder s = new StringBuilder("[");
        for (int copy = 0; copy < 100_000 / IMAGES; copy++) s.append(copy == 0 ? "" : ",\n").append(body);
        Files.writeString(bad, s.append("]\n"));
        Submit.Result r = score(engine, "duplicates-" + engine, bad);
        assertCleanFailure("duplicates-" + engine, r, bad, "results[" + IMAGES + "]", "image_id 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "spark"})
    void escapedNulInACaptionIsScoredLikeWhitespace(String engine) throws Exception {
        // "\u0000" is valid JSON: a deliberate handling, checked against the same caption without it.
        String text = new String(resultsBytes, StandardCharsets.UTF_8);
        String marker = "{\"image_id\":5,\"caption\":\"";
        int start = text.indexOf(marker) + marker.length();
        int end = text.indexOf('"', start);
        String caption = text.substring(start, end);
        int space = caption.indexOf(' ');
        Path withNul = work.resolve("escaped-nul.json");
        Files.writeString(withNul, text.substring(0, start) + caption.substring(0, space) + "\\u0000" + caption.substring(space) + text.substring(end));
        Submit.Result r = score(engine, "escaped-nul-" + engine, withNul);
        Submit.Result clean = score(engine, "escaped-nul-clean-" + engine, results);
        assertEquals(0, clean.exit(), clean::log);
        // Deliberate: the PTB tokenizer drops NUL like any untokenizable character (as CoreNLP does).
        assertEquals(0, r.exit(), r::log);
        Map<Long, JsonNode> got = Submit.perImage(work.resolve("escaped-nul-" + engine + "-out"));
        Map<Long, JsonNode> want = Submit.perImage(work.resolve("escaped-nul-clean-" + engine + "-out"));
        assertEquals(want, got, "a NUL next to a space changes no score");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "spark"})
    void tenMegabyteCaptionIsScoredWithoutBlowingUp(String engine) throws Exception {
        // ~10 MB of caption words for image 7; the job must finish in bounded memory and score it.
        StringBuilder huge = new StringBuilder(10_500_000);
        String[] words = {"a", "man", "riding", "a", "horse", "on", "the", "beach", "near", "water"};
        for (int i = 0; huge.length() < 10_000_000; i++) huge.append(words[i % words.length]).append(i % 97 == 0 ? "s " : " ");
        Path big = withRawCaption("huge", 6, huge.toString().getBytes(StandardCharsets.UTF_8));
        // Deliberate: a caption of any length is scored as pycocoevalcap would (no length limit), in
        // bounded memory (driver heap 1g here).
        Submit.Result r = score(engine, "huge-" + engine, big, "--driver-memory", "1g");
        assertEquals(0, r.exit(), r::log);
        Map<Long, JsonNode> rows = Submit.perImage(work.resolve("huge-" + engine + "-out"));
        assertEquals(IMAGES, rows.size());
        JsonNode row = rows.get(7L);
        for (String k : new String[] {"Bleu_1", "Bleu_4", "ROUGE_L", "CIDEr"}) {
            double v = row.get(k).asDouble();
            assertTrue(Double.isFinite(v) && v >= 0 && v <= (k.equals("CIDEr") ? 10 : 1), k + " of the huge caption: " + v);
        }
        // ~2M words against ~10-word references: BLEU-1 = clipped matches / 2M, tiny but not zero
        double b1 = row.get("Bleu_1").asDouble();
        assertTrue(b1 > 0 && b1 < 1e-4, "BLEU-1 of a 2M-word caption vs ~10-word references: " + row);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "spark"})
    void generatedResultsScoreCleanly(String engine) throws Exception {
        Submit.Result r = score(engine, "baseline-" + engine, results);
        assertEquals(0, r.exit(), r::log);
        JsonNode eval = Submit.eval(work.resolve("baseline-" + engine + "-out"));
        assertEquals(IMAGES, eval.get("n_images").asInt());
    }
}
