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
        /** double[] and float[] arrays (float32 results are computed in floats), newest first. */
        final ArrayDeque<Object> arrays = new ArrayDeque<>();
        long values;
    }

    private static final ThreadLocal<Free> FREE = ThreadLocal.withInitial(Free::new);

    /** An array of length n with arbitrary contents: the caller must write every element. */
    static double[] take(int n) {
        double[] a = n >= MIN_LENGTH ? (double[]) reuse(double[].class, n) : null;
        return a != null ? a : new double[n];
    }

    /** {@link #take} for floats. */
    static float[] takeFloats(int n) {
        float[] a = n >= MIN_LENGTH ? (float[]) reuse(float[].class, n) : null;
        return a != null ? a : new float[n];
    }

    private static Object reuse(Class<?> type, int n) {
        Free free = FREE.get();
        for (Iterator<Object> it = free.arrays.iterator(); it.hasNext();) {
            Object a = it.next();
            if (a.getClass() == type && java.lang.reflect.Array.getLength(a) == n) {
                it.remove();
                free.values -= n;
                return a;
            }
        }
        return null;
    }

    /** Hands back an array that nothing references any more (the newest kept, the oldest dropped past the bound). */
    static void give(double[] a) {
        if (a != null) keep(a, a.length);
    }

    static void give(float[] a) {
        if (a != null) keep(a, a.length);
    }

    private static void keep(Object a, int n) {
        if (n < MIN_LENGTH || n > MAX_KEPT_VALUES) return;
        Free free = FREE.get();
        free.arrays.addFirst(a);
        free.values += n;
        while (free.values > MAX_KEPT_VALUES) free.values -= java.lang.reflect.Array.getLength(free.arrays.pollLast());
    }
}
