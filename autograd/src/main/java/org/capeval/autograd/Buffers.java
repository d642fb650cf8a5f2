package org.capeval.autograd;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Large value arrays a backward pass knows are dead (gradients only the engine held, once used),
 * kept per thread for the next elementwise results: allocating and zeroing a fresh array is most of
 * the cost of a simple op on a large tensor (torch's allocator reuses freed blocks the same way).
 * Only kernels that write every element take from here. Relies on op results never sharing their
 * array with another tensor (shape ops copy).
 */
final class Buffers {
    private Buffers() {}

    private static final int MIN_LENGTH = 1 << 15;
    private static final int MAX_KEPT = 8;
    private static final ThreadLocal<ArrayDeque<double[]>> FREE = ThreadLocal.withInitial(ArrayDeque::new);

    /** An array of length n with arbitrary contents: the caller must write every element. */
    static double[] take(int n) {
        if (n >= MIN_LENGTH) {
            for (Iterator<double[]> it = FREE.get().iterator(); it.hasNext();) {
                double[] a = it.next();
                if (a.length == n) {
                    it.remove();
                    return a;
                }
            }
        }
        return new double[n];
    }

    /** Hands back an array that nothing references any more (the newest kept, the oldest dropped). */
    static void give(double[] a) {
        if (a == null || a.length < MIN_LENGTH) return;
        ArrayDeque<double[]> free = FREE.get();
        if (free.size() >= MAX_KEPT) free.pollLast();
        free.addFirst(a);
    }
}
