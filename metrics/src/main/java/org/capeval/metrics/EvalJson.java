package org.capeval.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.capeval.metrics.bleu.Bleu;
import org.capeval.metrics.meteor.Meteor;

/**
 * The content of eval.json: {@code {"eval": {key: corpus score}, "bleu_stats": {"testlen",
 * "reflen", "guess", "correct", "ratio"}, "n_images", "signature"}} (COCO's key names; bleu_stats
 * is pycocoevalcap's printed totals, present when BLEU was computed).
 */
public final class EvalJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private EvalJson() {}

    public static ObjectNode of(MetricSuite suite, double[] corpus, double[] summedStats, long nImages, String signature) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode eval = root.putObject("eval");
        List<String> keys = suite.keys();
        for (int i = 0; i < keys.size(); i++) {
            eval.put(keys.get(i), corpus[i]);
        }
        List<CaptionMetric> metrics = suite.metrics();
        for (int i = 0; i < metrics.size(); i++) {
            if (metrics.get(i) instanceof Bleu) {
                double[] s = java.util.Arrays.copyOfRange(summedStats, suite.statsOffset(i), suite.statsOffset(i) + Bleu.STATS);
                ObjectNode b = root.putObject("bleu_stats");
                b.put("testlen", (long) s[Bleu.TESTLEN]);
                b.put("reflen", (long) s[Bleu.REFLEN]);
                ArrayNode guess = b.putArray("guess");
                ArrayNode correct = b.putArray("correct");
                for (int k = 0; k < 4; k++) {
                    guess.add((long) s[Bleu.GUESS + k]);
                    correct.add((long) s[Bleu.CORRECT + k]);
                }
                b.put("ratio", Bleu.ratio(s));
            }
        }
        for (CaptionMetric m : metrics) {
            if (m instanceof Meteor meteor) {
                // which METEOR stages ran: without the paraphrase table this is not COCO's official METEOR
                root.put("meteor_stages", meteor.stages());
            }
        }
        root.put("n_images", nImages);
        root.put("signature", signature);
        return root;
    }
}
