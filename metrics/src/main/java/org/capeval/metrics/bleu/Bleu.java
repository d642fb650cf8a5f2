package org.capeval.metrics.bleu;

import java.util.List;
import org.capeval.metrics.CaptionMetric;
import org.capeval.metrics.ImageScorer;
import org.capeval.metrics.ImageTokens;
import org.capeval.metrics.ScoringContext;
import org.capeval.metrics.ngram.ImageNGrams;

/**
 * BLEU-1..4 as pycocoevalcap's {@code Bleu(4)} with option "closest" (spec section 3): clipped
 * n-gram counts, closest reference length (ties to the shorter), tiny/small smoothing constants,
 * per-image and corpus (from summed counts) brevity penalty.
 */
public final class Bleu implements CaptionMetric {
    private static final long serialVersionUID = 1L;
    static final int N = ImageTokens.MAX_ORDER;
    private static final double TINY = 1e-15;
    private static final double SMALL = 1e-9;

    /** Layout of the statistics vector: testlen, reflen, guess[4], correct[4]. */
    public static final int TESTLEN = 0, REFLEN = 1, GUESS = 2, CORRECT = 2 + N, STATS = 2 + 2 * N;

    @Override
    public String name() {
        return "bleu";
    }

    @Override
    public List<String> keys() {
        return List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4");
    }

    @Override
    public int statsSize() {
        return STATS;
    }

    @Override
    public String signature() {
        return "bleu:n4,closest";
    }

    @Override
    public ImageScorer newScorer(ScoringContext context) {
        return new Scorer();
    }

    @Override
    public double[] corpus(double[] stats, double[] perImageMeans) {
        return scores(stats);
    }

    /** BLEU-1..4 from (summed or one image's) statistics, the formula of {@code BleuScorer.compute_score}. */
    public static double[] scores(double[] stats) {
        double[] out = new double[N];
        double b = 1.0;
        for (int k = 0; k < N; k++) {
            b *= (stats[CORRECT + k] + TINY) / (stats[GUESS + k] + SMALL);
            out[k] = Math.pow(b, 1.0 / (k + 1));
        }
        double ratio = ratio(stats);
        if (ratio < 1) {
            double bp = Math.exp(1 - 1 / ratio);
            for (int k = 0; k < N; k++) {
                out[k] *= bp;
            }
        }
        return out;
    }

    /** (testlen + tiny) / (reflen + small), as printed by pycocoevalcap ("ratio:"). */
    public static double ratio(double[] stats) {
        return (stats[TESTLEN] + TINY) / (stats[REFLEN] + SMALL);
    }

    /** The references' side of an image: word counts and each n-gram's clipping count (max over references). */
    private static final class RefSide {
        final int[] lengths;
        final int[] maxRefCount; // by the references' n-gram id

        RefSide(ImageTokens image, ImageNGrams ng) {
            int refs = image.sentenceCount() - 1;
            lengths = new int[refs];
            maxRefCount = new int[ng.referenceCount()];
            int[] refCount = new int[maxRefCount.length];
            for (int s = 1; s <= refs; s++) {
                lengths[s - 1] = image.words(s).length;
                for (int k = 1; k <= N; k++) {
                    for (int g : ng.ids(s, k)) {
                        refCount[g]++;
                    }
                }
                for (int k = 1; k <= N; k++) {
                    for (int g : ng.ids(s, k)) {
                        if (refCount[g] > maxRefCount[g]) {
                            maxRefCount[g] = refCount[g];
                        }
                        refCount[g] = 0;
                    }
                }
            }
        }
    }

    /** Identifies BLEU's state in {@link org.capeval.metrics.ImageReferences#shared}. */
    private static final Object REF_SIDE = new Object();

    /** Counts one image; the references' side is built once per image and shared by its candidates. */
    static final class Scorer implements ImageScorer {
        private int[] candCount = new int[256];

        @Override
        public void score(ImageTokens image, double[] scores, double[] stats) {
            ImageNGrams ng = image.ngrams();
            int n = ng.count();
            if (candCount.length < n) {
                candCount = new int[n * 2];
            }
            RefSide ref = image.prepared().shared(REF_SIDE, () -> new RefSide(image, ng));
            int[] maxRefCount = ref.maxRefCount;
            int testlen = image.words(0).length;
            int reflen = -1;
            for (int len : ref.lengths) {
                // Python: min((abs(l - testlen), l)) — closest, ties to the shorter
                if (reflen < 0 || Math.abs(len - testlen) < Math.abs(reflen - testlen)
                        || (Math.abs(len - testlen) == Math.abs(reflen - testlen) && len < reflen)) {
                    reflen = len;
                }
            }
            stats[TESTLEN] = testlen;
            stats[REFLEN] = reflen;
            for (int k = 1; k <= N; k++) {
                int[] ids = ng.ids(0, k);
                for (int g : ids) {
                    candCount[g]++;
                }
                long correct = 0;
                for (int g : ids) {
                    if (candCount[g] > 0) { // first visit of this distinct n-gram
                        correct += Math.min(candCount[g], g < maxRefCount.length ? maxRefCount[g] : 0);
                        candCount[g] = 0;
                    }
                }
                stats[GUESS + k - 1] = Math.max(0, testlen - k + 1);
                stats[CORRECT + k - 1] = correct;
            }
            double[] b = scores(stats);
            System.arraycopy(b, 0, scores, 0, N);
        }
    }
}
