package org.capeval.metrics.cider;

import java.util.List;
import org.capeval.metrics.CaptionMetric;
import org.capeval.metrics.ImageScorer;
import org.capeval.metrics.ImageTokens;
import org.capeval.metrics.ScoringContext;
import org.capeval.metrics.ngram.ImageNGrams;
import org.capeval.metrics.ngram.NGramTable;
import org.capeval.metrics.stats.PairwiseSum;

/**
 * CIDEr-D as pycocoevalcap's {@code Cider} (spec section 5: raw tf, idf from document frequencies,
 * clipping, Gaussian length penalty on bigram counts with sigma 6, x10), and plain CIDEr as the
 * authors' {@code Cider} in vrama91/cider (no clipping, no penalty). Floating-point operations
 * follow the original's order (n-grams in order of first occurrence, 4-vector summed over
 * references, numpy mean of 4, divided by the number of references, times 10).
 */
public final class Cider implements CaptionMetric {
    private static final long serialVersionUID = 1L;
    private static final int N = ImageTokens.MAX_ORDER;

    private final boolean ciderD;
    private final double sigma;

    private Cider(boolean ciderD, double sigma) {
        this.ciderD = ciderD;
        this.sigma = sigma;
    }

    /** COCO's "CIDEr" (which is CIDEr-D). */
    public static Cider cocoCiderD() {
        return new Cider(true, 6.0);
    }

    /** The original CIDEr (no clipping, no length penalty), reported as "CIDEr_plain". */
    public static Cider plainCider() {
        return new Cider(false, 6.0);
    }

    @Override
    public String name() {
        return ciderD ? "cider" : "cider-plain";
    }

    @Override
    public List<String> keys() {
        return List.of(ciderD ? "CIDEr" : "CIDEr_plain");
    }

    @Override
    public int statsSize() {
        return 0;
    }

    @Override
    public boolean needsDocumentFrequencies() {
        return true;
    }

    @Override
    public String signature() {
        return ciderD ? "cider:D,n4,sigma6" : "cider:plain,n4";
    }

    @Override
    public double[] corpus(double[] stats, double[] perImageMeans) {
        return new double[] {perImageMeans[0]};
    }

    @Override
    public ImageScorer newScorer(ScoringContext context) {
        if (context == null || context.documentFrequencies() == null) {
            throw new IllegalStateException("CIDEr needs document frequencies in the scoring context");
        }
        return new Scorer(context.documentFrequencies());
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    final class Scorer implements ImageScorer {
        private final DocumentFrequencies df;
        private final double refLen;
        private final double twoSigma2 = 2 * sigma * sigma;
        private double[] idf = new double[256];
        private double[] candW = new double[256];
        private int[] tf = new int[256];
        private long[] his = new long[256];
        private long[] los = new long[256];
        private int[] freq = new int[256];
        private int[] atSentence = new int[256];
        private int[] atOrder = new int[256];
        private int[] atPosition = new int[256];
        private int[] candDistinct = new int[256];
        private int[] candStart = new int[N + 1];
        private final double[] candNorm = new double[N];
        private final double[] total = new double[N];
        private final double[] logTable = filled(4096, -1.0);

        Scorer(DocumentFrequencies df) {
            this.df = df;
            this.refLen = df.refLen();
        }

        /**
         * The references' side of an image for this table of document frequencies: the idf of each
         * reference n-gram, each reference's tf-idf weights (by reference n-gram id, 0 where the
         * reference lacks the n-gram), norms per order and length.
         */
        private final class RefSide {
            final int count;
            final double[] idf;
            final double[][] weights;
            final double[][] norms;
            final int[] lengths;

            RefSide(ImageTokens image, ImageNGrams ng) {
                count = ng.referenceCount();
                int refs = image.sentenceCount() - 1;
                ensure(ng.count());
                int[] counted = image.prepared().ngramCounts(df);
                if (counted == null) {
                    computeIdf(image, ng, 0, count);
                } else {
                    if (counted.length != count) {
                        throw new IllegalStateException("image " + image.imageId() + ": " + counted.length
                                + " counted reference n-grams, " + count + " in its n-grams");
                    }
                    for (int g = 0; g < count; g++) {
                        Scorer.this.idf[g] = refLen - logDf(counted[g]);
                    }
                }
                idf = java.util.Arrays.copyOf(Scorer.this.idf, count);
                weights = new double[refs][count];
                norms = new double[refs][N];
                lengths = new int[refs];
                for (int s = 1; s <= refs; s++) {
                    for (int k = 1; k <= N; k++) {
                        vector(ng.ids(s, k), weights[s - 1], norms[s - 1], k - 1, null, 0);
                    }
                    lengths[s - 1] = Math.max(0, image.words(s).length - 1);
                }
            }
        }

        private void ensure(int n) {
            if (idf.length < n) {
                idf = new double[n * 2];
                candW = new double[n * 2];
                tf = new int[n * 2];
                candDistinct = new int[n * 2];
            }
        }

        @Override
        public void score(ImageTokens image, double[] scores, double[] stats) {
            ImageNGrams ng = image.ngrams();
            int n = ng.count();
            ensure(n);
            RefSide ref = image.prepared().shared(df, () -> new RefSide(image, ng)); // one per image and table
            System.arraycopy(ref.idf, 0, idf, 0, ref.count);
            computeIdf(image, ng, ref.count, n); // the candidate's n-grams the references lack
            // candidate vector; candDistinct lists its n-grams by order, in order of first occurrence
            int m = 0;
            for (int k = 1; k <= N; k++) {
                candStart[k - 1] = m;
                m = vector(ng.ids(0, k), candW, candNorm, k - 1, candDistinct, m);
            }
            candStart[N] = m;
            int candLength = Math.max(0, image.words(0).length - 1);
            java.util.Arrays.fill(total, 0.0);
            int refs = image.sentenceCount() - 1;
            for (int s = 1; s <= refs; s++) {
                double[] refW = ref.weights[s - 1];
                double[] refNorm = ref.norms[s - 1];
                double delta = candLength - ref.lengths[s - 1];
                double penalty = Math.pow(Math.E, -(delta * delta) / twoSigma2);
                for (int k = 0; k < N; k++) {
                    double val = 0.0;
                    for (int j = candStart[k]; j < candStart[k + 1]; j++) {
                        int g = candDistinct[j];
                        double wr = g < ref.count ? refW[g] : 0.0;
                        val += ciderD ? Math.min(candW[g], wr) * wr : candW[g] * wr;
                    }
                    if (candNorm[k] != 0 && refNorm[k] != 0) {
                        val /= candNorm[k] * refNorm[k];
                    }
                    if (ciderD) {
                        val *= penalty;
                    }
                    total[k] += val;
                }
            }
            for (int j = 0; j < m; j++) {
                candW[candDistinct[j]] = 0.0;
            }
            double avg = PairwiseSum.sum(total, 0, N) / N;
            avg /= refs;
            avg *= 10.0;
            scores[0] = avg;
        }

        /**
         * Fills weights w[g] = tf * idf for the n-grams in ids and adds their squares to norm[k]
         * in order of first occurrence (as the original's dict iteration); returns the new length
         * of the distinct list when one is given.
         */
        private int vector(int[] ids, double[] w, double[] norm, int k, int[] distinct, int m) {
            for (int g : ids) {
                tf[g]++;
            }
            double sq = 0.0;
            for (int g : ids) {
                int t = tf[g];
                if (t > 0) {
                    double v = t * idf[g];
                    w[g] = v;
                    sq += v * v;
                    tf[g] = 0;
                    if (distinct != null) {
                        distinct[m++] = g;
                    }
                }
            }
            norm[k] = Math.sqrt(sq);
            return m;
        }

        /** np.log(max(1.0, df)); the logs of small counts are kept by count, of large ones by a direct-mapped cache. */
        private double logDf(int count) {
            if (count < logTable.length) {
                double v = logTable[count];
                if (v < 0) {
                    v = Math.log(Math.max(1.0, count));
                    logTable[count] = v;
                }
                return v;
            }
            int i = count & (bigCounts.length - 1);
            if (bigCounts[i] != count) { // 0 never matches: these counts are >= logTable.length
                bigCounts[i] = count;
                bigLogs[i] = Math.log(count);
            }
            return bigLogs[i];
        }

        private final int[] bigCounts = new int[1024];
        private final double[] bigLogs = new double[1024];

        /** The idf of the n-grams [from, to) into {@code idf}. */
        private void computeIdf(ImageTokens image, ImageNGrams ng, int from, int to) {
            int count = to - from;
            if (count <= 0) {
                return;
            }
            if (his.length < count) {
                his = new long[count * 2];
                los = new long[count * 2];
                freq = new int[count * 2];
                atSentence = new int[count * 2];
                atOrder = new int[count * 2];
                atPosition = new int[count * 2];
            }
            ng.firstOccurrences(from, to, atSentence, atOrder, atPosition);
            // each sentence's words as the table's ids (0: a word no counted n-gram has), on first use
            int[][] ids = new int[image.sentenceCount()][];
            int[] global = new int[image.wordCount()];
            java.util.Arrays.fill(global, -1);
            int[] key = new int[N];
            for (int j = 0; j < count; j++) {
                int s = atSentence[j];
                int[] w = ids[s];
                if (w == null) {
                    int[] local = image.words(s);
                    w = new int[local.length];
                    for (int i = 0; i < w.length; i++) {
                        int id = global[local[i]];
                        if (id < 0) {
                            id = df.wordId(image, local[i]);
                            global[local[i]] = id;
                        }
                        w[i] = id;
                    }
                    ids[s] = w;
                }
                int k = atOrder[j], p = atPosition[j];
                boolean known = true;
                for (int i = 0; i < k; i++) {
                    key[i] = w[p + i];
                    known &= key[i] > 0;
                }
                his[j] = known ? NGramTable.hi(key, 0, k) : 0L; // 0: not counted (unknown word)
                los[j] = known ? NGramTable.lo(key, 0, k) : 0L;
            }
            df.frequencies(his, los, count, freq);
            for (int g = 0; g < count; g++) {
                idf[from + g] = refLen - logDf(freq[g]);
            }
        }
    }
}
