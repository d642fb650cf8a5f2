package org.capeval.metrics.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The project's own fixture (no CoreNLP, no ../shared): ptb-fixture.tsv, plus API contracts. */
class PtbTokenizerFixtureTest {

    static List<String[]> fixture() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = PtbTokenizerFixtureTest.class.getResourceAsStream("ptb-fixture.tsv")) {
            assertNotNull(in, "ptb-fixture.tsv on the test classpath");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                assertTrue(tab >= 0, "no tab in fixture line: " + line);
                rows.add(new String[] {Escapes.unescape(line.substring(0, tab)), Escapes.unescape(line.substring(tab + 1))});
            }
        }
        return rows;
    }

    @Test
    void fixtureCaptions() throws IOException {
        List<String[]> rows = fixture();
        assertTrue(rows.size() >= 60, "fixture rows: " + rows.size());
        for (String[] row : rows) {
            assertEquals(row[1], PtbTokenizer.tokenize(row[0]), "input: " + Escapes.escape(row[0]));
        }
    }

    @Test
    void tokenizeAllEqualsTokenizeExceptForTheNextLineLookAhead() {
        List<String> captions = List.of("A sign that reads K.", "A man on a bike.", "Ave S.", "a man", "The end K.");
        assertEquals(List.of("a sign that reads k", "a man on a bike", "ave s.", "a man", "the end k."),
                PtbTokenizer.tokenizeAll(captions));
        assertEquals("a sign that reads k.", PtbTokenizer.tokenize(captions.get(0)));
        assertEquals(List.of(), PtbTokenizer.tokenizeAll(List.of()));
    }

    @Test
    void aTagAcrossTwoCaptionsIsNotJoined() {
        List<String> captions = List.of("a <a b='x", "y'> z");
        assertEquals(List.of(PtbTokenizer.tokenize(captions.get(0)), PtbTokenizer.tokenize(captions.get(1))),
                PtbTokenizer.tokenizeAll(captions));
    }

    @Test
    void lineTerminatorsInsideACaptionAreSeparators() {
        assertEquals("a brown dog lying on a sofa", PtbTokenizer.tokenize("a brown dog\rlying on a sofa"));
        assertEquals("a b c d e f", PtbTokenizer.tokenize("a\nb\u2028c\u2029d\u000be\u000cf"));
        assertEquals(List.of("a b", "c"), PtbTokenizer.tokenizeAll(List.of("a\rb", "c")));
    }

    @Test
    void nullIsRejected() {
        assertThrows(NullPointerException.class, () -> PtbTokenizer.tokenize(null));
    }

    @Test
    void threadSafe() throws Exception {
        List<String[]> rows = fixture();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int round = 0; round < 50; round++) {
                        for (String[] row : rows) {
                            if (row[1].equals(PtbTokenizer.tokenize(row[0]))) {
                                ok++;
                            }
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : results) {
                assertEquals(50 * rows.size(), f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
