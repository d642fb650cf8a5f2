package org.capeval.metrics.ngram;

/**
 * The n-grams of one image's sentences, interned to dense ids without building per-n-gram objects:
 * an n-gram of order k is identified by (id of its (k-1)-gram prefix, last word), packed in a long.
 * For every sentence and order it keeps the n-gram id at each start position, so a metric can count
 * with int arrays indexed by n-gram id. Iterating positions in order visits n-grams in order of
 * first occurrence, which is the dict order pycocoevalcap's floating-point sums follow.
 */
public final class ImageNGrams {
    private final int maxOrder;
    private final int[][][] ids; // [sentence][order-1][position]
    private int count;
    private int[] order = new int[64];
    private int[] firstSentence = new int[64];
    private int[] firstPosition = new int[64];

    public ImageNGrams(int[][] sentences, int maxOrder) {
        this.maxOrder = maxOrder;
        this.ids = new int[sentences.length][maxOrder][];
        int total = 0;
        for (int[] s : sentences) {
            total += s.length;
        }
        LongIntMap index = new LongIntMap(total * maxOrder);
        for (int s = 0; s < sentences.length; s++) {
            int[] w = sentences[s];
            for (int k = 1; k <= maxOrder; k++) {
                int[] here = new int[Math.max(0, w.length - k + 1)];
                int[] prefix = k == 1 ? null : ids[s][k - 2];
                for (int i = 0; i < here.length; i++) {
                    long key = k == 1 ? w[i] : ((long) (prefix[i] + 1) << 32) | w[i + k - 1];
                    int g = index.getOrPut(key, count);
                    if (g == count) {
                        add(k, s, i);
                    }
                    here[i] = g;
                }
                ids[s][k - 1] = here;
            }
        }
    }

    private void add(int k, int s, int i) {
        if (count == order.length) {
            order = java.util.Arrays.copyOf(order, count * 2);
            firstSentence = java.util.Arrays.copyOf(firstSentence, count * 2);
            firstPosition = java.util.Arrays.copyOf(firstPosition, count * 2);
        }
        order[count] = k;
        firstSentence[count] = s;
        firstPosition[count] = i;
        count++;
    }

    /** Number of distinct n-grams of every order over all sentences. */
    public int count() {
        return count;
    }

    public int maxOrder() {
        return maxOrder;
    }

    /** Order (1..maxOrder) of n-gram g. */
    public int order(int g) {
        return order[g];
    }

    /** Sentence in which n-gram g first occurs; with {@link #firstPosition} it locates g's words. */
    public int firstSentence(int g) {
        return firstSentence[g];
    }

    /** Start position (in {@code words(firstSentence(g))}) of g's first occurrence. */
    public int firstPosition(int g) {
        return firstPosition[g];
    }

    /** The n-gram ids of sentence s and order k at each start position. */
    public int[] ids(int s, int k) {
        return ids[s][k - 1];
    }
}
