package org.capeval.jobs.train;

import java.io.Serializable;

/**
 * A pseudo-random permutation of 0..n-1 that any process can evaluate for one index without
 * materialising it: a 4-round Feistel network on the smallest even-bit domain holding n, with
 * cycle-walking back into range. Keyed by (seed, epoch), so an epoch's row order depends on the
 * data and the seed only, never on how the rows are partitioned.
 */
public final class IndexPermutation implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int ROUNDS = 4;

    private final long n;
    private final int halfBits;
    private final long halfMask;
    private final long[] keys = new long[ROUNDS];

    public IndexPermutation(long n, long seed, long epoch) {
        if (n < 1) {
            throw new IllegalArgumentException("permutation of " + n + " elements");
        }
        this.n = n;
        int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(n - 1));
        this.halfBits = (bits + 1) / 2;
        this.halfMask = (1L << halfBits) - 1;
        long k = mix(seed ^ mix(epoch + 0x9E3779B97F4A7C15L));
        for (int r = 0; r < ROUNDS; r++) {
            k = mix(k + 0x9E3779B97F4A7C15L);
            keys[r] = k;
        }
    }

    /** The position of index i in the permuted order. */
    public long apply(long i) {
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException(i + " not in 0.." + (n - 1));
        }
        long x = i;
        do {
            x = encrypt(x);
        } while (x >= n); // the domain is < 4n, so this loops about twice on average
        return x;
    }

    private long encrypt(long x) {
        long left = x >>> halfBits;
        long right = x & halfMask;
        for (int r = 0; r < ROUNDS; r++) {
            long next = left ^ (mix(right ^ keys[r]) & halfMask);
            left = right;
            right = next;
        }
        return (left << halfBits) | right;
    }

    /** SplitMix64's finaliser: a cheap bijective 64-bit mixer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
