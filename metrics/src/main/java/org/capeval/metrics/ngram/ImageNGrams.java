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
    // of the n-grams baseCount..count-1, found on first request (locate()): only CIDEr's look-ups of
    // n-grams by their words ask, and with counted reference frequencies only for a candidate's own
    private int[] order;
    private int[] firstSentence;
    private int[] firstPosition;

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
     * Finds the order and first occurrence of the n-grams baseCount..count-1. Ids were given in the
     * order of {@link #intern}'s walk (sentence, order, position), so walking the same way, the
     * first occurrence of each is where the next unseen id turns up.
     */
    private void locate() {
        int n = count - baseCount;
        int[] ord = new int[n], sentence = new int[n], position = new int[n];
        int next = baseCount;
        int last = base == null ? ids.length : 1; // a candidate's n-grams are all in sentence 0
        for (int s = 0; s < last && next < count; s++) {
            for (int k = 1; k <= maxOrder; k++) {
                int[] here = ids[s][k - 1];
                for (int i = 0; i < here.length; i++) {
                    if (here[i] == next) {
                        ord[next - baseCount] = k;
                        sentence[next - baseCount] = s;
                        position[next - baseCount] = i;
                        next++;
                    }
                }
            }
        }
        order = ord;
        firstSentence = sentence;
        firstPosition = position;
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

    /** Order (1..maxOrder) of n-gram g. */
    public int order(int g) {
        if (g < baseCount) {
            return base.order(g);
        }
        if (order == null) {
            locate();
        }
        return order[g - baseCount];
    }

    /** A sentence in which n-gram g occurs; with {@link #firstPosition} it locates g's words. */
    public int firstSentence(int g) {
        if (g < baseCount) {
            return base.firstSentence(g) + 1;
        }
        if (firstSentence == null) {
            locate();
        }
        return firstSentence[g - baseCount];
    }

    /** Start position (in {@code words(firstSentence(g))}) of that occurrence of g. */
    public int firstPosition(int g) {
        if (g < baseCount) {
            return base.firstPosition(g);
        }
        if (firstPosition == null) {
            locate();
        }
        return firstPosition[g - baseCount];
    }

    /** The n-gram ids of sentence s and order k at each start position. */
    public int[] ids(int s, int k) {
        return ids[s][k - 1];
    }
}
