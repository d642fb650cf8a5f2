package org.capeval.metrics.cider;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.capeval.metrics.ImageTokens;
import org.junit.jupiter.api.Test;

class DocumentFrequenciesTest {
    static DocumentFrequencies of(String source, String[]... images) {
        DocumentFrequencies df = new DocumentFrequencies(source);
        for (String[] refs : images) {
            df.addReferences(refs);
        }
        return df;
    }

    @Test
    void countsEachImageOncePerNGram() {
        DocumentFrequencies df = of("test", new String[] {"a dog a dog", "a dog"}, new String[] {"a cat"});
        Map<String, Integer> m = df.asMap();
        assertEquals(2, m.get("a"));
        assertEquals(1, m.get("a dog"));
        assertEquals(1, m.get("dog a dog"));
        assertEquals(1, m.get("a dog a dog"));
        assertEquals(2, df.documents());
        // a, dog, a dog, dog a, a dog a, dog a dog, a dog a dog; then cat, a cat
        assertEquals(9, df.size());
    }

    @Test
    void mergeEqualsOneTableAndSurvivesSaveLoad() throws IOException {
        String[][] images = {{"a b c d e", "b c"}, {"c d", "x y z"}, {"a b", "e"}, {"z y x w v u"}};
        DocumentFrequencies whole = new DocumentFrequencies("w");
        DocumentFrequencies left = new DocumentFrequencies("l"), right = new DocumentFrequencies("r");
        for (int i = 0; i < images.length; i++) {
            whole.addReferences(images[i]);
            (i % 2 == 0 ? left : right).addReferences(images[i]);
        }
        DocumentFrequencies merged = right.merge(left);
        assertEquals(whole.asMap(), merged.asMap());
        assertEquals(whole.documents(), merged.documents());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        whole.save(bytes);
        DocumentFrequencies loaded = DocumentFrequencies.load(new ByteArrayInputStream(bytes.toByteArray()), "x.idf");
        assertEquals(whole.asMap(), loaded.asMap());
        assertEquals(4, loaded.documents());
        assertEquals(Math.log(4), loaded.refLen());
        int[] ids = {loaded.wordId("x"), loaded.wordId("y"), loaded.wordId("z")};
        assertEquals(1, loaded.frequency(ids, 0, 3));
        assertEquals(2, loaded.frequency(ids, 0, 1));
        assertEquals(0, loaded.frequency(new int[] {loaded.wordId("nope")}, 0, 1));
        assertThrows(IOException.class, () -> DocumentFrequencies.load(new ByteArrayInputStream(new byte[] {1, 2, 3}), "bad.idf"));
    }

    @Test
    void theSameCountsSaveToTheSameBytesWhateverTheOrderTheyWereCountedIn() throws IOException {
        String[][] images = {{"a b c d e", "b c"}, {"c d", "x y z"}, {"a b", "e"}, {"z y x w v u"}, {"e d c b a"}};
        DocumentFrequencies forward = new DocumentFrequencies(DocumentFrequencies.FROM_EVALUATED_REFERENCES);
        for (String[] image : images) {
            forward.addReferences(image);
        }
        // backwards, in two parts merged the other way round: other word ids, other slots
        DocumentFrequencies first = new DocumentFrequencies(DocumentFrequencies.FROM_EVALUATED_REFERENCES);
        DocumentFrequencies second = new DocumentFrequencies(DocumentFrequencies.FROM_EVALUATED_REFERENCES);
        for (int i = images.length - 1; i >= 0; i--) {
            (i < 2 ? first : second).addReferences(images[i]);
        }
        DocumentFrequencies merged = first.merge(second);
        assertNotEquals(forward.wordId("a"), merged.wordId("a"));
        ByteArrayOutputStream a = new ByteArrayOutputStream(), b = new ByteArrayOutputStream();
        forward.save(a);
        merged.save(b);
        assertArrayEquals(a.toByteArray(), b.toByteArray());
        // the file lists words sorted: loaded, ids follow the alphabet
        DocumentFrequencies loaded = DocumentFrequencies.load(new ByteArrayInputStream(a.toByteArray()), "x.idf");
        assertEquals(forward.asMap(), loaded.asMap());
        assertEquals(1, loaded.wordId("a"));
        assertEquals(2, loaded.wordId("b"));
        assertEquals(loaded.vocabularySize(), loaded.wordId("z"));
    }

    @Test
    void aTableRepeatingAWordIsCorrupt() throws IOException {
        // word ids are positions in the table's word list: a repeated word would have two
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.io.DataOutputStream d = new java.io.DataOutputStream(new java.util.zip.GZIPOutputStream(bytes))) {
            d.writeUTF("capeval-document-frequencies");
            d.writeInt(1);
            d.writeLong(1);
            for (String s : new String[] {"refs", null, "dog", "cat", "dog"}) {
                if (s == null) {
                    d.writeInt(3); // words
                    continue;
                }
                byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                d.writeInt(b.length);
                d.write(b);
            }
            d.writeInt(0); // n-grams
        }
        DocumentFrequencies.FormatException e = assertThrows(DocumentFrequencies.FormatException.class,
                () -> DocumentFrequencies.load(new ByteArrayInputStream(bytes.toByteArray()), "twice.idf"));
        assertEquals("twice.idf: corrupt table: word 2 repeats word 0", e.getMessage());
    }

    @Test
    void countsLikeAPlainSetOfNGramsPerImage() {
        // seeded random images with repeated words and n-grams, spaces of every kind Python's split()
        // knows; the expected counts come from a plain set of n-gram strings per image
        java.util.Random rnd = new java.util.Random(5);
        String[] words = {"a", "dog", "cat", "on", "the", "mat", "sat"};
        String[] spaces = {" ", "  ", "\t", "\u00a0", " \u2028 "};
        DocumentFrequencies df = new DocumentFrequencies("d");
        Map<String, Integer> expected = new java.util.HashMap<>();
        for (int img = 0; img < 300; img++) {
            String[] refs = new String[1 + rnd.nextInt(6)];
            java.util.Set<String> distinct = new java.util.HashSet<>();
            for (int r = 0; r < refs.length; r++) {
                StringBuilder b = new StringBuilder(rnd.nextBoolean() ? " " : "");
                for (int w = rnd.nextInt(img == 7 ? 1 : 40); w > 0; w--) { // image 7: empty references
                    b.append(words[rnd.nextInt(words.length)]).append(spaces[rnd.nextInt(spaces.length)]);
                }
                refs[r] = b.toString();
                java.util.List<String> ws = org.capeval.metrics.ngram.Words.splitWhitespace(refs[r]);
                for (int k = 1; k <= 4; k++) {
                    for (int i = 0; i + k <= ws.size(); i++) {
                        distinct.add(String.join(" ", ws.subList(i, i + k)));
                    }
                }
            }
            distinct.forEach(g -> expected.merge(g, 1, Integer::sum));
            df.addReferences(refs);
        }
        assertEquals(expected, df.asMap());
        assertEquals(300, df.documents());
        assertEquals(expected.size(), df.size());
    }

    @Test
    void scoringTableDropsSingleDocumentNGramsWithoutChangingCider() {
        String[][] refs = {{"a dog on a mat", "a dog sleeps"}, {"a dog on the grass"}, {"two cats", "a cat on a mat"}};
        String[] cands = {"a dog on a mat", "a black dog on grass", "cats on a mat"};
        DocumentFrequencies full = of("refs", refs);
        DocumentFrequencies scoring = full.forScoring();
        assertEquals(full.documents(), scoring.documents());
        assertEquals(full.source(), scoring.source());
        Map<String, Integer> kept = scoring.asMap();
        full.asMap().forEach((ngram, count) -> assertEquals(count > 1 ? count : null, kept.get(ngram), ngram));
        assertEquals(3, kept.get("a"));
        assertEquals(2, kept.get("a dog on"));
        assertThrows(IllegalStateException.class, () -> scoring.save(new ByteArrayOutputStream()));
        assertThrows(IllegalStateException.class, () -> full.merge(scoring));
        // CIDEr-D and plain CIDEr per image: identical with either table
        for (Cider metric : new Cider[] {Cider.cocoCiderD(), Cider.plainCider()}) {
            var a = metric.newScorer(new org.capeval.metrics.ScoringContext(full));
            var b = metric.newScorer(new org.capeval.metrics.ScoringContext(scoring));
            for (int i = 0; i < refs.length; i++) {
                double[] x = new double[1], y = new double[1];
                a.score(new ImageTokens(i, cands[i], refs[i]), x, new double[0]);
                b.score(new ImageTokens(i, cands[i], refs[i]), y, new double[0]);
                assertEquals(x[0], y[0], metric.name() + " image " + i);
                org.junit.jupiter.api.Assertions.assertTrue(x[0] > 0, "a score that could differ: " + x[0]);
            }
        }
    }
}
