package org.capeval.metrics.stats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * numpy's pairwise summation ({@code np.add.reduce} / {@code np.mean} on a contiguous float64
 * array), reproduced operation for operation so corpus means match pycocoevalcap bit for bit:
 * fewer than 8 values are added left to right from 0.0; up to 128 values use 8 strided
 * accumulators combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) plus a sequential tail; longer
 * ranges split at n/2 rounded down to a multiple of 8 and add the two halves.
 *
 * <p>Because the summation tree depends only on the length, a distributed sequence can be summed
 * exactly: each partition computes a {@link Partial} (the sums of the tree nodes wholly inside its
 * index range, plus the raw values of the at most two leaves it shares with a neighbour), and
 * {@link #sum(long, List)} walks the same tree over the partials. The driver then holds
 * O(partitions x (log n + 256)) numbers instead of n.
 */
public final class PairwiseSum {
    static final int BLOCK = 128; // numpy's PW_BLOCKSIZE

    private PairwiseSum() {}

    /** numpy's {@code np.mean(values)}. NaN for an empty array, as numpy (with a warning). */
    public static double mean(double[] values) {
        return sum(values, 0, values.length) / values.length;
    }

    /** numpy's pairwise sum of {@code a[from .. from+n)}. */
    public static double sum(double[] a, int from, int n) {
        if (n < 8) {
            double res = 0.0;
            for (int i = 0; i < n; i++) {
                res += a[from + i];
            }
            return res;
        }
        if (n <= BLOCK) {
            double r0 = a[from], r1 = a[from + 1], r2 = a[from + 2], r3 = a[from + 3];
            double r4 = a[from + 4], r5 = a[from + 5], r6 = a[from + 6], r7 = a[from + 7];
            int i;
            int end = n - (n % 8);
            for (i = 8; i < end; i += 8) {
                int j = from + i;
                r0 += a[j];
                r1 += a[j + 1];
                r2 += a[j + 2];
                r3 += a[j + 3];
                r4 += a[j + 4];
                r5 += a[j + 5];
                r6 += a[j + 6];
                r7 += a[j + 7];
            }
            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) {
                res += a[from + i];
            }
            return res;
        }
        int n2 = half(n);
        return sum(a, from, n2) + sum(a, from + n2, n - n2);
    }

    private static int half(int n) {
        int n2 = n / 2;
        return n2 - n2 % 8;
    }

    private static long half(long n) {
        long n2 = n / 2;
        return n2 - n2 % 8;
    }

    /**
     * The part of a pairwise sum over a sequence of {@code total} values that one partition can
     * compute: it holds {@code values} for the global positions {@code [start, start + values.length)}.
     */
    public static Partial partial(long total, long start, double[] values) {
        Partial p = new Partial();
        if (values.length > 0) {
            collect(p, total, start, values, 0, total);
        }
        return p;
    }

    private static void collect(Partial p, long total, long start, double[] values, long lo, long len) {
        long end = start + values.length;
        if (lo + len <= start || lo >= end) {
            return;
        }
        if (lo >= start && lo + len <= end) {
            p.nodes.add(new Node(lo, len, sum(values, (int) (lo - start), (int) len)));
            return;
        }
        if (len <= BLOCK) { // a leaf shared with a neighbour: ship the raw values
            long from = Math.max(lo, start), to = Math.min(lo + len, end);
            for (long i = from; i < to; i++) {
                p.rawPositions.add(i);
                p.rawValues.add(values[(int) (i - start)]);
            }
            return;
        }
        long n2 = half(len);
        collect(p, total, start, values, lo, n2);
        collect(p, total, start, values, lo + n2, len - n2);
    }

    /**
     * The partial of a whole sequence of {@code total} values whose pairwise sum is known, e.g. kept
     * from an earlier run: {@link #sum(long, List)} of it alone returns {@code sum} unchanged.
     */
    public static Partial whole(long total, double sum) {
        Partial p = new Partial();
        p.nodes.add(new Node(0, total, sum));
        return p;
    }

    /** The pairwise sum of a sequence of {@code total} values from the partials that cover it. */
    public static double sum(long total, List<Partial> parts) {
        Map<Long, Map<Long, Double>> nodes = new HashMap<>();
        Map<Long, Double> raw = new HashMap<>();
        for (Partial p : parts) {
            for (Node n : p.nodes) {
                nodes.computeIfAbsent(n.lo, k -> new HashMap<>()).put(n.len, n.sum);
            }
            for (int i = 0; i < p.rawPositions.size(); i++) {
                raw.put(p.rawPositions.get(i), p.rawValues.get(i));
            }
        }
        return combine(nodes, raw, 0, total);
    }

    /** numpy's {@code np.mean} of a distributed sequence. */
    public static double mean(long total, List<Partial> parts) {
        return sum(total, parts) / total;
    }

    private static double combine(Map<Long, Map<Long, Double>> nodes, Map<Long, Double> raw, long lo, long len) {
        Map<Long, Double> atLo = nodes.get(lo);
        if (atLo != null && atLo.containsKey(len)) {
            return atLo.get(len);
        }
        if (len <= BLOCK) {
            double[] leaf = new double[(int) len];
            for (int i = 0; i < len; i++) {
                Double v = raw.get(lo + i);
                if (v == null) {
                    throw new IllegalStateException("pairwise sum: no partial covers position " + (lo + i));
                }
                leaf[i] = v;
            }
            return sum(leaf, 0, (int) len);
        }
        long n2 = half(len);
        return combine(nodes, raw, lo, n2) + combine(nodes, raw, lo + n2, len - n2);
    }

    /** One partition's share of a pairwise sum; small (about 2 log2(n) sums and at most 254 values). */
    public static final class Partial implements Serializable {
        private static final long serialVersionUID = 1L;
        final List<Node> nodes = new ArrayList<>();
        final List<Long> rawPositions = new ArrayList<>();
        final List<Double> rawValues = new ArrayList<>();
    }

    /** A summed node of the tree (a plain class: Spark ships it with Kryo, which predates records). */
    static final class Node implements Serializable {
        private static final long serialVersionUID = 1L;
        final long lo;
        final long len;
        final double sum;

        Node(long lo, long len, double sum) {
            this.lo = lo;
            this.len = len;
            this.sum = sum;
        }
    }
}
