package org.capeval.metrics.ngram;

import java.io.Serializable;

/**
 * Counts per n-gram of up to 4 word ids (ids >= 1), keyed by two packed longs
 * (hi = w1:w2, lo = w3:w4, 0 for positions past the order): no per-n-gram objects, about 20 bytes
 * per entry plus free slots. Open addressing; the empty slot has hi == 0.
 */
public final class NGramTable implements Serializable {
    private static final long serialVersionUID = 1L;
    private long[] his;
    private long[] los;
    private int[] counts;
    private int size;

    public NGramTable() {
        this(1024);
    }

    public NGramTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(8, expected * 3 / 2) * 2 - 1);
        his = new long[cap];
        los = new long[cap];
        counts = new int[cap];
    }

    /** Packs word ids w[from..from+order) (each >= 1) into the high key. */
    public static long hi(int[] w, int from, int order) {
        return ((long) w[from] << 32) | (order > 1 ? w[from + 1] : 0);
    }

    /** Packs word ids w[from..from+order) into the low key. */
    public static long lo(int[] w, int from, int order) {
        return (order > 2 ? (long) w[from + 2] << 32 : 0L) | (order > 3 ? w[from + 3] : 0);
    }

    public int size() {
        return size;
    }

    /** The count for the key, 0 when absent. */
    public int get(long hi, long lo) {
        int mask = his.length - 1;
        int i = slot(hi, lo, mask);
        while (true) {
            long h = his[i];
            if (h == 0) {
                return 0;
            }
            if (h == hi && los[i] == lo) {
                return counts[i];
            }
            i = (i + 1) & mask;
        }
    }

    /** Adds delta to the key's count. */
    public void add(long hi, long lo, int delta) {
        int mask = his.length - 1;
        int i = slot(hi, lo, mask);
        while (true) {
            long h = his[i];
            if (h == 0) {
                his[i] = hi;
                los[i] = lo;
                counts[i] = delta;
                if (++size * 3 > his.length * 2) {
                    grow();
                }
                return;
            }
            if (h == hi && los[i] == lo) {
                counts[i] += delta;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /** Visits every entry. */
    public void forEach(EntryVisitor v) {
        for (int i = 0; i < his.length; i++) {
            if (his[i] != 0) {
                v.visit(his[i], los[i], counts[i]);
            }
        }
    }

    /** Receives one entry of the table. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(long hi, long lo, int count);
    }

    private static int slot(long hi, long lo, int mask) {
        long h = (hi * 0x9E3779B97F4A7C15L) ^ (lo * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 29;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] oh = his, ol = los;
        int[] oc = counts;
        his = new long[oh.length * 2];
        los = new long[oh.length * 2];
        counts = new int[oh.length * 2];
        int mask = his.length - 1;
        for (int j = 0; j < oh.length; j++) {
            if (oh[j] != 0) {
                int i = slot(oh[j], ol[j], mask);
                while (his[i] != 0) {
                    i = (i + 1) & mask;
                }
                his[i] = oh[j];
                los[i] = ol[j];
                counts[i] = oc[j];
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NGramTable t) || t.size != size) {
            return false;
        }
        boolean[] same = {true};
        forEach((h, l, c) -> same[0] &= t.get(h, l) == c);
        return same[0];
    }

    @Override
    public int hashCode() {
        long[] acc = {size};
        forEach((h, l, c) -> acc[0] += (h * 31 + l) * 31 + c);
        return Long.hashCode(acc[0]);
    }

    @Override
    public String toString() {
        return "NGramTable[" + size + " entries]";
    }
}
