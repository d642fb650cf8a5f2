package org.capeval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.capeval.metrics.cider.DocumentFrequencies;
import org.junit.jupiter.api.Test;

/** References encoded once and shared by several candidates give the numbers of scoring each image alone. */
class ImageReferencesTest {
    static final String[][] REFS = {
        {"a man riding a wave on top of a surfboard", "a surfer rides a large wave in the ocean", "person surfing on a  blue wave "},
        {"two dogs playing with a frisbee", "a pair of dogs chase a red frisbee on the grass", ""},
    };
    /** Per image: candidates with shared words, only new words, repeated n-grams, empty, double spaces. */
    static final String[][] CANDIDATES = {
        {"a surfer riding a wave on a surfboard", "zebra giraffe elephant", "a wave a wave a wave a wave", "", "a  man  on a wave "},
        {"two dogs chase a frisbee", "a cat", "dogs dogs frisbee frisbee red red", "the the the", " two dogs"},
    };

    @Test
    void sharedReferencesScoreLikeFreshImages() {
        List<ImageTokens> all = new ArrayList<>();
        for (int i = 0; i < REFS.length; i++) all.add(new ImageTokens(i, "x", REFS[i]));
        DocumentFrequencies df = org.capeval.metrics.core.Scoring.countDocumentFrequencies(all);
        MetricSuite suite = new MetricSuite(Metrics.parse("bleu,rouge,cider,cider-plain"));
        MetricSuite.Scorer shared = suite.newScorer(new ScoringContext(df));
        MetricSuite.Scorer fresh = suite.newScorer(new ScoringContext(df));
        for (int i = 0; i < REFS.length; i++) {
            ImageReferences prepared = new ImageReferences(i, REFS[i]);
            for (int round = 0; round < 2; round++) { // a second round: earlier candidates left the references unchanged
                for (String cand : CANDIDATES[i]) {
                    double[] a = new double[suite.keys().size()], sa = new double[suite.statsSize()];
                    double[] b = new double[suite.keys().size()], sb = new double[suite.statsSize()];
                    shared.score(cand, prepared, a, sa);
                    fresh.score(new ImageTokens(i, cand, REFS[i].clone()), b, sb);
                    assertArrayEquals(b, a, "image " + i + " candidate '" + cand + "'");
                    assertArrayEquals(sb, sa, "image " + i + " candidate '" + cand + "'");
                }
            }
        }
    }

    @Test
    void candidateWordsExtendTheReferencesIds() {
        ImageReferences prepared = new ImageReferences(7, new String[] {"a b c", "c d"});
        ImageTokens t = new ImageTokens("d e a e", prepared);
        assertEquals(5, t.wordCount());
        int[] cand = t.words(0);
        assertEquals(List.of("d", "e", "a", "e"), List.of(t.word(cand[0]), t.word(cand[1]), t.word(cand[2]), t.word(cand[3])));
        assertEquals(t.words(2)[1], cand[0], "shared word, shared id");
        ImageTokens other = new ImageTokens("f", prepared);
        assertEquals(5, other.wordCount(), "the first candidate's new words are not in the references");
        assertEquals("f", other.word(other.words(0)[0]));
        assertEquals(8, prepared.ngrams().count()); // a b c d, ab bc cd, abc
        assertEquals(8 + 7, t.ngrams().count()); // + e, de ea ae, dea eae, deae
        assertEquals(8 + 1, other.ngrams().count());
        assertEquals(8, prepared.ngrams().count(), "the references' n-grams are not changed by candidates");
        assertEquals(t.ngrams().ids(2, 1)[1], t.ngrams().ids(0, 1)[0], "shared unigram d, shared id");
    }
}
