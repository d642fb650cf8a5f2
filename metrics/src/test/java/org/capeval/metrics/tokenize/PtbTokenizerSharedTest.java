package org.capeval.metrics.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Parity on the shared data: every val2014 caption against CoreNLP 3.4.1, and the "tokenized"
 * dumps of every raw caption case (pycocoevalcap's own tokenizer output).
 */
class PtbTokenizerSharedTest {

    /** 40,373 x 4 + 128 x 5 + 3 x 6 references + 40,504 held-out captions. */
    static final int VAL2014_CAPTIONS = 202_654;

    @Test
    void everyVal2014CaptionMatchesCoreNlp() {
        List<String> captions = SharedData.val2014Captions(SharedData.dir());
        assertEquals(VAL2014_CAPTIONS, captions.size());
        List<String> bad = new ArrayList<>();
        for (String c : captions) {
            Mismatches.check(c, bad);
        }
        Mismatches.assertNone(bad, captions.size());
    }

    /**
     * The pipeline writes all captions into one file, one per line, and CoreNLP sees the next lines
     * while tokenizing the end of a caption. tokenizeAll reproduces that: CoreNLP over all 202,654
     * captions joined by '\n' gives, line by line, what tokenizeAll gives. (tokenize alone differs
     * on 5 captions that end in a single letter with a period, see PtbTokenizer#tokenizeAll.)
     */
    @Test
    void val2014AsOneFileMatchesTokenizeAll() {
        List<String> captions = SharedData.val2014Captions(SharedData.dir());
        List<String> lines = CoreNlpReference.pipeline(captions);
        assertEquals(captions.size(), lines.size(), "no val2014 caption contains a line terminator");
        List<String> ours = PtbTokenizer.tokenizeAll(captions);
        List<String> bad = new ArrayList<>();
        int contextDependent = 0;
        for (int i = 0; i < captions.size(); i++) {
            if (!ours.get(i).equals(lines.get(i))) {
                bad.add("[" + Escapes.escape(captions.get(i)) + "] ours=[" + ours.get(i) + "] in file=[" + lines.get(i) + "]");
            }
            if (!PtbTokenizer.tokenize(captions.get(i)).equals(lines.get(i))) {
                contextDependent++;
            }
        }
        System.out.printf("tokenizer: val2014 as one file: %d captions, %d depend on the next line%n",
                captions.size(), contextDependent);
        Mismatches.assertNone(bad, captions.size());
    }

    /**
     * Every raw case with a "tokenized" dump (except the quirk case below): tokenizeAll over each
     * side's captions in evaluation order equals the dump, image by image.
     */
    @Test
    void tokenizedDumpsOfAllRawCases() throws IOException {
        Path cases = SharedData.dir().resolve("cases/caption");
        int casesChecked = 0;
        int captionsChecked = 0;
        int aloneDiffers = 0;
        List<String> bad = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(cases)) {
            for (Path dir : (Iterable<Path>) dirs.sorted()::iterator) {
                JsonNode expected = SharedData.readJson(dir.resolve("raw/expected.json"));
                if (expected == null || !expected.has("tokenized") || dir.endsWith("carriage_return_quirk")) {
                    continue;
                }
                CaseInput in = CaseInput.read(dir);
                for (String side : new String[] {"gts", "res"}) {
                    Map<String, List<String>> captions = side.equals("gts") ? in.refs : in.cands;
                    JsonNode dump = expected.get("tokenized").get(side);
                    assertEquals(in.evaluated.size(), dump.size(), dir + " " + side + ": number of images");
                    // one tokenizer run per side, captions in evaluation order (as ptbtokenizer.py)
                    List<String> flat = new ArrayList<>();
                    for (String img : in.evaluated) {
                        flat.addAll(captions.get(img));
                    }
                    List<String> all = PtbTokenizer.tokenizeAll(flat);
                    int k = 0;
                    for (String img : in.evaluated) {
                        List<String> raw = captions.get(img);
                        JsonNode want = dump.get(img);
                        assertNotNull(want, dir + " " + side + " image " + img);
                        assertEquals(raw.size(), want.size(), dir + " " + side + " image " + img);
                        for (int i = 0; i < raw.size(); i++, k++) {
                            String w = want.get(i).textValue();
                            captionsChecked++;
                            if (!all.get(k).equals(w)) {
                                bad.add(dir.getFileName() + " " + side + " " + img + "[" + i + "]: ["
                                        + Escapes.escape(raw.get(i)) + "] tokenizeAll=[" + Escapes.escape(all.get(k))
                                        + "] dump=[" + Escapes.escape(w) + "]");
                            }
                            if (!PtbTokenizer.tokenize(raw.get(i)).equals(w)) {
                                aloneDiffers++;
                            }
                        }
                    }
                }
                casesChecked++;
            }
        }
        assertTrue(casesChecked >= 20, "raw cases with a tokenized dump: " + casesChecked);
        System.out.printf("tokenizer: %d raw cases, %d captions compared with the tokenized dumps"
                + " (%d differ when tokenized alone)%n", casesChecked, captionsChecked, aloneDiffers);
        Mismatches.assertNone(bad, captionsChecked);
    }

    /**
     * The one documented deviation: a '\r' inside a caption. The original (reproduced here with
     * CoreNLP in pipeline mode) shifts every later reference caption up one image and drops the
     * last; ours keeps each caption on its image. The candidates are unaffected.
     */
    @Test
    void carriageReturnQuirkIsTheDocumentedDeviation() {
        Path dir = SharedData.dir().resolve("cases/caption/carriage_return_quirk");
        JsonNode tokenized = SharedData.readJson(dir.resolve("raw/expected.json")).get("tokenized");
        CaseInput in = CaseInput.read(dir);

        // the dump is what the original pipeline does: CoreNLP over the captions joined by '\n'
        List<String> flat = new ArrayList<>();
        for (String img : in.evaluated) {
            flat.addAll(in.refs.get(img));
        }
        List<String> lines = CoreNlpReference.pipeline(flat);
        List<String> dumped = new ArrayList<>();
        for (String img : in.evaluated) {
            tokenized.get("gts").get(img).forEach(n -> dumped.add(n.textValue()));
        }
        assertEquals(dumped, lines.subList(0, dumped.size()));

        Set<String> differing = new TreeSet<>();
        for (String img : in.evaluated) {
            List<String> ours = new ArrayList<>();
            for (String c : in.refs.get(img)) {
                ours.add(PtbTokenizer.tokenize(c));
            }
            List<String> want = new ArrayList<>();
            tokenized.get("gts").get(img).forEach(n -> want.add(n.textValue()));
            if (!ours.equals(want)) {
                differing.add(img);
            }
            // each of our captions is CoreNLP's tokens of that caption alone
            for (String c : in.refs.get(img)) {
                assertEquals(CoreNlpReference.tokenize(c), PtbTokenizer.tokenize(c));
            }
            assertEquals(tokenized.get("res").get(img).get(0).textValue(), PtbTokenizer.tokenize(in.cands.get(img).get(0)));
        }
        assertEquals(Set.of("1301", "1302", "1303"), differing);
        assertEquals("a brown dog lying on a sofa", PtbTokenizer.tokenize("a brown dog\rlying on a sofa"));
        assertNotEquals(dumped.get(1), PtbTokenizer.tokenize(in.refs.get("1301").get(1)));
    }

    /** The raw refs/cands of a case, grouped per image in file order. */
    static final class CaseInput {
        final Map<String, List<String>> refs = new LinkedHashMap<>();
        final Map<String, List<String>> cands = new LinkedHashMap<>();
        /** annotation-file image order restricted to images with a result */
        final List<String> evaluated = new ArrayList<>();

        static CaseInput read(Path dir) {
            CaseInput in = new CaseInput();
            JsonNode refs = SharedData.readJson(dir.resolve("raw/refs.json"));
            JsonNode cands = SharedData.readJson(dir.resolve("raw/cands.json"));
            for (JsonNode a : refs.get("annotations")) {
                in.refs.computeIfAbsent(a.get("image_id").asText(), k -> new ArrayList<>()).add(a.get("caption").textValue());
            }
            for (JsonNode r : cands) {
                in.cands.computeIfAbsent(r.get("image_id").asText(), k -> new ArrayList<>()).add(r.get("caption").textValue());
            }
            for (JsonNode img : refs.get("images")) {
                String id = img.get("id").asText();
                if (in.cands.containsKey(id)) {
                    in.evaluated.add(id);
                }
            }
            return in;
        }
    }
}
