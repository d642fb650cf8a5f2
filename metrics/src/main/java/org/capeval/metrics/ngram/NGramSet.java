package org.capeval.metrics.ngram;

/**
 * A set of n-gram keys ({@link NGramTable#hi}, {@link NGramTable#lo}) that is emptied in O(1) and
 * reused: one image's distinct n-grams at a time. A slot is occupied when its stamp is the current
 * generation, so {@link #reset} does not clear the arrays.
 */
public final class NGramSet {
    private long[] his = new long[0];
    private long[] los = new long[0];
    private int[] stamps = new int[0];
    private int generation;
    private int size;

    /** Empties the set, with room for {@code expected} keys. */
    public void reset(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2) * 2 - 1);
        if (capacity > stamps.length) {
            his = new long[capacity];
            los = new long[capacity];
            stamps = new int[capacity];
            generation = 0;
        }
        if (++generation == 0) { // wrapped: stale stamps could look current
            java.util.Arrays.fill(stamps, 0);
            generation = 1;
        }
        size = 0;
    }

    /** Adds the key; false when it was already in the set. */
    public boolean add(long hi, long lo) {
        int mask = stamps.length - 1;
        long h = (hi * 0x9E3779B97F4A7C15L) ^ (lo * 0xC2B2AE3D27D4EB4FL);
        int i = (int) (h ^ (h >>> 29) ^ (h >>> 32)) & mask;
        while (stamps[i] == generation) {
            if (his[i] == hi && los[i] == lo) {
                return false;
            }
            i = (i + 1) & mask;
        }
        if ((size + 1) * 2 > stamps.length) {
            throw new IllegalStateException("NGramSet: more keys than reset(expected) allowed for");
        }
        stamps[i] = generation;
        his[i] = hi;
        los[i] = lo;
        size++;
        return true;
    }
}
