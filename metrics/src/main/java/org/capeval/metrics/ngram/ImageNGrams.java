package org.capeval.metrics.ngram;

/**
 * The n-grams of one image's sentences, interned to dense ids without building per-n-gram objects:
 * an n-gram of order k is identified by (id of its (k-1)-gram prefix, last word), packed in a long.
 * For every sentence and order it keeps the n-gram id at each start position, so a metric can count
 * with int arrays indexed by n-gram id. Iterating a sentence's positions in order visits its n-grams
 * in order of first occurrence, which is the dict order pycocoevalcap's floating-point sums follow;
 * the ids themselves carry no order the metrics depend on.
 *
 * <p>The references' n-grams can be built once and a candidate added in front of them
 * ({@link #withCandidate}): the references' ids and arrays are shared, not rebuilt.
 */
public final class ImageNGrams {
    private final int maxOrder;
    private final int[][][] ids; // [sentence][order-1][position]
    private final ImageNGrams base; // the references' n-grams (sentences 1..) when sentence 0 was added to them
    private final int baseCount;
    private LongIntMap index; // n-grams not in base
    private int count;

    public ImageNGrams(int[][] sentences, int maxOrder) {
        this.maxOrder = maxOrder;
        this.base = null;
        this.baseCount = 0;
        this.ids = new int[sentences.length][][];
        int positions = 0; // n-gram occurrences: at most this many distinct n-grams
        for (int[] s : sentences) {
            positions += positions(s.length, maxOrder);
        }
        index = new LongIntMap(positions);
        for (int s = 0; s < sentences.length; s++) {
            ids[s] = intern(sentences[s]);
        }
    }

    private static int positions(int length, int maxOrder) {
        int n = 0;
        for (int k = 1; k <= maxOrder; k++) {
            n += Math.max(0, length - k + 1);
        }
        return n;
    }

    private ImageNGrams(int[] candidate, ImageNGrams refs) {
        if (refs.base != null) {
            throw new IllegalArgumentException("the references' n-grams must not contain a candidate already");
        }
        this.maxOrder = refs.maxOrder;
        this.base = refs;
        this.baseCount = refs.count;
        this.count = refs.count;
        this.ids = new int[refs.ids.length + 1][][];
        System.arraycopy(refs.ids, 0, ids, 1, refs.ids.length);
        index = new LongIntMap(positions(candidate.length, maxOrder));
        ids[0] = intern(candidate);
        index = null; // only a base's index is read again (by withCandidate), and this is never a base
    }

    /**
     * The n-grams of {@code candidate} as sentence 0 followed by the sentences of {@code refs}
     * (1..), whose ids are kept; {@code refs} is not changed and can take other candidates. The
     * candidate's word ids must extend the references' word ids.
     */
    public static ImageNGrams withCandidate(int[] candidate, ImageNGrams refs) {
        return new ImageNGrams(candidate, refs);
    }

    private int[][] intern(int[] w) {
        int[][] out = new int[maxOrder][];
        for (int k = 1; k <= maxOrder; k++) {
            int[] here = new int[Math.max(0, w.length - k + 1)];
            int[] prefix = k == 1 ? null : out[k - 2];
            for (int i = 0; i < here.length; i++) {
                long key = k == 1 ? w[i] : ((long) (prefix[i] + 1) << 32) | w[i + k - 1];
                int g = base == null ? -1 : base.index.get(key, -1);
                if (g < 0) {
                    g = index.getOrPut(key, count);
                    if (g == count) {
                        count++;
                    }
                }
                here[i] = g;
            }
            out[k - 1] = here;
        }
        return out;
    }

    /**
     * Number of the references' n-grams when a candidate was added to them ({@link #withCandidate}):
     * ids below it are the references' own (the same for every candidate), ids from it are the
     * candidate's n-grams the references lack. {@link #count()} otherwise.
     */
    public int referenceCount() {
        return base == null ? count : baseCount;
    }

    /** Number of distinct n-grams of every order over all sentences. */
    public int count() {
        return count;
    }

    public int maxOrder() {
        return maxOrder;
    }

    /**
     * Where the n-grams {@code from..to-1} first occur: n-gram {@code from + j} at
     * {@code ids(sentence[j], order[j])[position[j]]}; with the sentence's words, that locates its
     * words (CIDEr looks n-grams up by their words). Ids were given in the order of
     * {@link #intern}'s walk (sentence, order, position), so walking the same way, the first
     * occurrence of each is where the next unseen id turns up; nothing is kept here.
     */
    public void firstOccurrences(int from, int to, int[] sentence, int[] order, int[] position) {
        firstOccurrences(from, to, 0, sentence, order, position, 0);
    }

    private void firstOccurrences(int from, int to, int sentenceShift, int[] sentence, int[] order, int[] position, int out) {
        if (from < baseCount) { // the references' n-grams: their sentences are 1.. here
            int end = Math.min(to, baseCount);
            base.firstOccurrences(from, end, sentenceShift + 1, sentence, order, position, out);
            out += end - from;
            from = end;
        }
        if (from >= to) {
            return;
        }
        int next = from;
        int last = base == null ? ids.length : 1; // a candidate's own n-grams are all in sentence 0
        for (int s = 0; s < last; s++) {
            for (int k = 1; k <= maxOrder; k++) {
                int[] here = ids[s][k - 1];
                for (int i = 0; i < here.length; i++) {
                    if (here[i] == next) {
                        sentence[out] = s + sentenceShift;
                        order[out] = k;
                        position[out++] = i;
                        if (++next == to) {
                            return;
                        }
                    }
                }
            }
        }
        throw new IllegalArgumentException("n-grams " + from + ".." + to + " of " + count);
    }

    /** The n-gram ids of sentence s and order k at each start position. */
    public int[] ids(int s, int k) {
        return ids[s][k - 1];
    }
}
