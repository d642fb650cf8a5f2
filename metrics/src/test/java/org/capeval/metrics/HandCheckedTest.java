package org.capeval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.util.List;
import org.capeval.metrics.coco.CocoReferences;
import org.capeval.metrics.coco.CocoResults;
import org.junit.jupiter.api.Test;

/**
 * Every metric on small inputs whose values were worked out by hand (no ../shared needed).
 * BLEU and ROUGE-L on fixtures/hand_*.json; CIDEr-D on two-image corpora small enough to do on paper.
 */
class HandCheckedTest {
    static final double TINY = 1e-15, SMALL = 1e-9;

    static CocoEvaluator.Evaluation fixture() throws Exception {
        try (InputStream r = HandCheckedTest.class.getResourceAsStream("/fixtures/hand_refs.json");
                InputStream c = HandCheckedTest.class.getResourceAsStream("/fixtures/hand_cands.json")) {
            return new CocoEvaluator(CaptionTokenizer.pretokenized())
                    .evaluate(CocoReferences.read(r, "hand_refs.json"), CocoResults.read(c, "hand_cands.json"));
        }
    }

    @Test
    void bleuCountsByHand() throws Exception {
        CocoEvaluator.Evaluation ev = fixture();
        // order = "images" order restricted to images with a result: 2, then 1 (3 has no result)
        assertEquals(2, ev.imageCount());
        assertEquals(2, ev.imageId(0));
        assertEquals(1, ev.imageId(1));
        // image 1: "a dog on a sofa" vs {"a dog on a couch", "a brown dog"}:
        //   1-grams a(2, clip 2) dog on sofa(0) -> 4/5; 2-grams a-dog dog-on on-a -> 3/4;
        //   3-grams a-dog-on dog-on-a -> 2/3; 4-gram a-dog-on-a -> 1/2; reflen closest to 5 = 5
        // image 2: "a b c d" vs {"a b", "a b c d e f g h"}: all n-grams in the long ref -> 4/4 3/3 2/2 1/1;
        //   reflen: |2-4| = 2 < |8-4| = 4 -> 2
        JsonNode bs = ev.evalJson().get("bleu_stats");
        assertEquals(9, bs.get("testlen").asInt());
        assertEquals(7, bs.get("reflen").asInt());
        assertEquals("[9,7,5,3]", bs.get("guess").toString());
        assertEquals("[8,6,4,2]", bs.get("correct").toString());
        // corpus: ratio 9/7 >= 1, no brevity penalty: BLEU_n = geometric mean of (c + tiny)/(g + small)
        double p = 1;
        double[] c = {8, 6, 4, 2}, g = {9, 7, 5, 3};
        for (int n = 0; n < 4; n++) {
            p *= (c[n] + TINY) / (g[n] + SMALL);
            assertEquals(Math.pow(p, 1.0 / (n + 1)), ev.corpus("Bleu_" + (n + 1)), 1e-15);
        }
        assertEquals(Math.pow(8.0 / 9 * 6 / 7 * 4 / 5 * 2 / 3, 0.25), ev.corpus("Bleu_4"), 1e-9);
        // image 1 per-image: testlen = reflen -> ratio (5+tiny)/(5+small) < 1: tiny penalty exp(1 - 1/ratio)
        double ratio = (5 + TINY) / (5 + SMALL);
        double bp = Math.exp(1 - 1 / ratio);
        assertEquals(Math.pow(4.0 / 5 * 3 / 4 * 2 / 3 * 1 / 2, 0.25), ev.row(1)[3], 1e-9);
        assertEquals((4 + TINY) / (5 + SMALL) * bp, ev.row(1)[0], 1e-15);
        // image 2 per-image: longer than its closest reference, no penalty, all matches
        assertEquals(1.0, ev.row(0)[0], 1e-9);
        assertTrue(ev.row(0)[0] < 1.0, "the smoothing constants keep an exact match just under 1");
    }

    @Test
    void rougeLByHand() throws Exception {
        CocoEvaluator.Evaluation ev = fixture();
        int rouge = ev.keys().indexOf("ROUGE_L");
        // image 1: LCS("a dog on a sofa", "a dog on a couch") = 4 -> P = R = 0.8 -> F = 0.8
        assertEquals(0.8, ev.row(1)[rouge], 1e-15);
        // image 2: ref "a b": P = 2/4, R = 1; ref "a b c d e f g h": P = 1, R = 4/8.
        // The original maximises P and R independently: P = 1, R = 1 -> 1.0 (a per-reference best F would give 2/3)
        assertEquals(1.0, ev.row(0)[rouge]);
        assertEquals((1.0 + 0.8) / 2, ev.corpus("ROUGE_L"), 1e-15);
    }

    static CocoEvaluator.Evaluation tok(List<String> metrics, String[][] images) {
        CocoReferences refs = new CocoReferences("refs");
        CocoResults res = new CocoResults("results");
        for (int i = 0; i < images.length; i++) {
            refs.addImage(i + 1);
            for (int j = 1; j < images[i].length; j++) {
                refs.addCaption(i + 1, images[i][j]);
            }
            res.add(i + 1, images[i][0]);
        }
        return new CocoEvaluator(Metrics.parse(String.join(",", metrics)), CaptionTokenizer.pretokenized(), null)
                .evaluate(refs, res);
    }

    @Test
    void ciderDByHand() {
        // N = 2 images, every reference n-gram in one image: idf = log 2 for all of them.
        // Identical candidate and reference: orders 1 and 2 have cosine 1, orders 3-4 are empty (0),
        // no length difference -> mean (1 + 1 + 0 + 0) / 4 = 0.5, x10 = 5.
        CocoEvaluator.Evaluation same = tok(List.of("cider"), new String[][] {{"x y", "x y"}, {"z w", "z w"}});
        assertEquals(5.0, same.row(0)[0], 1e-12);
        assertEquals(5.0, same.corpus("CIDEr"), 1e-12);
        // Candidate "x y y" vs "x y": unigram weights x = l, y = 2l (l = log 2) vs x = l, y = l;
        // clipped dot = l*l + min(2l, l)*l = 2l^2, norms sqrt(5) l and sqrt(2) l -> 2/sqrt(10);
        // bigrams "x y", "y y" (unseen: df 0 -> weight l) vs "x y" -> 1/sqrt(2); trigram vs nothing -> 0;
        // bigram counts 2 vs 1 -> penalty exp(-1/72).
        CocoEvaluator.Evaluation pen = tok(List.of("cider", "cider-plain"), new String[][] {{"x y y", "x y"}, {"z w", "z w"}});
        double expected = (2 / Math.sqrt(10) + 1 / Math.sqrt(2)) * Math.exp(-1.0 / 72) / 4 * 10;
        assertEquals(expected, pen.row(0)[0], 1e-12);
        assertEquals((expected + 5.0) / 2, pen.corpus("CIDEr"), 1e-12);
        // plain CIDEr: no clipping (dot = l*l + 2l*l = 3l^2) and no length penalty
        assertEquals((3 / Math.sqrt(10) + 1 / Math.sqrt(2)) / 4 * 10, pen.row(0)[1], 1e-12);
        // one image: log N = 0, every weight 0 -> CIDEr-D 0 (tylin/coco-caption#9)
        assertEquals(0.0, tok(List.of("cider"), new String[][] {{"x y", "x y"}}).corpus("CIDEr"));
        // an empty candidate scores 0 on every metric
        CocoEvaluator.Evaluation empty = tok(List.of("bleu", "rouge", "cider"), new String[][] {{"", "a b"}, {"c", "c"}});
        for (double v : empty.row(0)) {
            assertEquals(0.0, v);
        }
    }
}
