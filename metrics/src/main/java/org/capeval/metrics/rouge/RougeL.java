package org.capeval.metrics.rouge;

import java.util.List;
import org.capeval.metrics.CaptionMetric;
import org.capeval.metrics.ImageScorer;
import org.capeval.metrics.ImageTokens;
import org.capeval.metrics.ScoringContext;

/**
 * ROUGE-L as pycocoevalcap's {@code Rouge} (spec section 4): tokens split on single spaces (empty
 * tokens count), LCS against each reference, precision and recall maximised independently over
 * the references, F with beta = 1.2; corpus = numpy mean of the per-image scores.
 */
public final class RougeL implements CaptionMetric {
    private static final long serialVersionUID = 1L;
    private static final double BETA2 = 1.2 * 1.2; // Python's 1.2 ** 2, the same double

    @Override
    public String name() {
        return "rouge";
    }

    @Override
    public List<String> keys() {
        return List.of("ROUGE_L");
    }

    @Override
    public int statsSize() {
        return 0;
    }

    @Override
    public String signature() {
        return "rouge:L,beta1.2,split-space";
    }

    @Override
    public ImageScorer newScorer(ScoringContext context) {
        return new Scorer();
    }

    @Override
    public double[] corpus(double[] stats, double[] perImageMeans) {
        return new double[] {perImageMeans[0]};
    }

    static final class Scorer implements ImageScorer {
        private int[] row = new int[64];

        @Override
        public void score(ImageTokens image, double[] scores, double[] stats) {
            int[] cand = image.spaceTokens(0);
            double precMax = Double.NEGATIVE_INFINITY, recMax = Double.NEGATIVE_INFINITY;
            for (int s = 1; s < image.sentenceCount(); s++) {
                int[] ref = image.spaceTokens(s);
                int lcs = lcs(ref, cand);
                precMax = Math.max(precMax, lcs / (double) cand.length);
                recMax = Math.max(recMax, lcs / (double) ref.length);
            }
            if (precMax != 0 && recMax != 0) {
                scores[0] = ((1 + BETA2) * precMax * recMax) / (recMax + BETA2 * precMax);
            } else {
                scores[0] = 0.0;
            }
        }

        /** Length of the longest common subsequence, one DP row. */
        int lcs(int[] a, int[] b) {
            if (a.length < b.length) {
                int[] t = a;
                a = b;
                b = t;
            }
            if (row.length < b.length + 1) {
                row = new int[b.length * 2 + 1];
            }
            java.util.Arrays.fill(row, 0, b.length + 1, 0);
            for (int i = 1; i <= a.length; i++) {
                int diag = 0; // value of row[j-1] from the previous i
                int ai = a[i - 1];
                for (int j = 1; j <= b.length; j++) {
                    int up = row[j];
                    row[j] = ai == b[j - 1] ? diag + 1 : Math.max(up, row[j - 1]);
                    diag = up;
                }
            }
            return row[b.length];
        }
    }
}
