package org.capeval.autograd;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Large value arrays a backward pass knows are dead (gradients only the engine held, once used),
 * kept per thread for the next elementwise results: allocating and zeroing a fresh array is most of
 * the cost of a simple op on a large tensor (torch's allocator reuses freed blocks the same way).
 * Only kernels that write every element take from here. A storage a view or detach shares is never
 * given back ({@code Storage.shared}).
 */
final class Buffers {
    private Buffers() {}

    private static final int MIN_LENGTH = 1 << 15;
    /** At most this many values kept per thread (64 MB): enough for a graph of 10^6-element tensors, bounded for big ones. */
    private static final long MAX_KEPT_VALUES = 1 << 23;

    private static final class Free {
        final ArrayDeque<double[]> arrays = new ArrayDeque<>();
        long values;
    }

    private static final ThreadLocal<Free> FREE = ThreadLocal.withInitial(Free::new);

    /** An array of length n with arbitrary contents: the caller must write every element. */
    static double[] take(int n) {
        if (n >= MIN_LENGTH) {
            Free free = FREE.get();
            for (Iterator<double[]> it = free.arrays.iterator(); it.hasNext();) {
                double[] a = it.next();
                if (a.length == n) {
                    it.remove();
                    free.values -= n;
                    return a;
                }
            }
        }
        return new double[n];
    }

    /** Hands back an array that nothing references any more (the newest kept, the oldest dropped past the bound). */
    static void give(double[] a) {
        if (a == null || a.length < MIN_LENGTH || a.length > MAX_KEPT_VALUES) return;
        Free free = FREE.get();
        free.arrays.addFirst(a);
        free.values += a.length;
        while (free.values > MAX_KEPT_VALUES) free.values -= free.arrays.pollLast().length;
    }
}
