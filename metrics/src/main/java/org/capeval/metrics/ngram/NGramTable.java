package org.capeval.metrics.ngram;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/**
 * Counts per n-gram of up to 4 word ids (ids >= 1), keyed by two packed longs
 * (hi = w1:w2, lo = w3:w4, 0 for positions past the order): no per-n-gram objects, 24 bytes per
 * slot (load factor at most 2/3), interleaved so a probe touches one cache line. Open addressing; the empty slot has hi == 0.
 * Each entry also keeps its <em>entry number</em> (0, 1, 2, ... in the order keys were first
 * added), which growing does not change: a caller can remember where its keys went and read their
 * final counts later from {@link #countsByEntry} instead of looking each key up again.
 */
public final class NGramTable implements Serializable {
    private static final long serialVersionUID = 1L;
    // slot i = data[3i] (hi), data[3i+1] (lo), data[3i+2] (entry number << 32 | count): one cache line per probe
    // not transient: serializers that go field by field (Kryo's default) still carry the table
    private long[] data;
    private int capacity;
    private int size;

    public NGramTable() {
        this(1024);
    }

    public NGramTable(int expected) {
        capacity = Integer.highestOneBit(Math.max(8, expected * 3 / 2) * 2 - 1);
        data = new long[3 * capacity];
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
        int mask = capacity - 1;
        int i = slot(hi, lo, mask);
        while (true) {
            long h = data[3 * i];
            if (h == 0) {
                return 0;
            }
            if (h == hi && data[3 * i + 1] == lo) {
                return (int) data[3 * i + 2];
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Touches the first probe slot of each key (hi[i], lo[i]), i < n, so that the cache misses of
     * a following run of {@link #get}/{@link #add} calls overlap instead of being paid one after
     * another: a table of millions of n-grams is far larger than the CPU caches, and its probes
     * are what CIDEr's document-frequency pass and idf lookups wait on. Only a hint: nothing
     * changes.
     */
    public void prefetch(long[] hi, long[] lo, int n) {
        int mask = capacity - 1;
        long[] d = data;
        long acc = 0;
        for (int i = 0; i < n; i++) {
            acc += d[3 * slot(hi[i], lo[i], mask)];
        }
        sink = acc;
    }

    @SuppressWarnings("unused") // keeps prefetch's loads from being optimized away
    private transient long sink;

    /** Adds delta (> 0; counts stay below 2^31) to the key's count; returns the key's entry number. */
    public int add(long hi, long lo, int delta) {
        int mask = capacity - 1;
        int i = slot(hi, lo, mask);
        while (true) {
            long h = data[3 * i];
            if (h == 0) {
                int entry = size;
                data[3 * i] = hi;
                data[3 * i + 1] = lo;
                data[3 * i + 2] = (long) entry << 32 | delta;
                if (++size * 3 > capacity * 2) {
                    grow();
                }
                return entry;
            }
            if (h == hi && data[3 * i + 1] == lo) {
                data[3 * i + 2] += delta;
                return (int) (data[3 * i + 2] >>> 32);
            }
            i = (i + 1) & mask;
        }
    }

    /** Each entry's count by entry number ({@link #add}'s result). */
    public int[] countsByEntry() {
        int[] out = new int[size];
        for (int i = 0; i < capacity; i++) {
            if (data[3 * i] != 0) {
                long c = data[3 * i + 2];
                out[(int) (c >>> 32)] = (int) c;
            }
        }
        return out;
    }

    /** Visits every entry. */
    public void forEach(EntryVisitor v) {
        for (int i = 0; i < capacity; i++) {
            if (data[3 * i] != 0) {
                v.visit(data[3 * i], data[3 * i + 1], (int) data[3 * i + 2]);
            }
        }
    }

    /** Visits every entry, with its entry number. */
    public void forEachNumbered(NumberedVisitor v) {
        for (int i = 0; i < capacity; i++) {
            if (data[3 * i] != 0) {
                long c = data[3 * i + 2];
                v.visit(data[3 * i], data[3 * i + 1], (int) c, (int) (c >>> 32));
            }
        }
    }

    /** Receives one entry of the table. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(long hi, long lo, int count);
    }

    /** Receives one entry of the table and its entry number. */
    @FunctionalInterface
    public interface NumberedVisitor {
        void visit(long hi, long lo, int count, int entry);
    }

    private static int slot(long hi, long lo, int mask) {
        long h = (hi * 0x9E3779B97F4A7C15L) ^ (lo * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 29;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] old = data;
        int oldCapacity = capacity;
        capacity *= 2;
        data = new long[3 * capacity];
        int mask = capacity - 1;
        for (int j = 0; j < oldCapacity; j++) {
            if (old[3 * j] != 0) {
                int i = slot(old[3 * j], old[3 * j + 1], mask);
                while (data[3 * i] != 0) {
                    i = (i + 1) & mask;
                }
                System.arraycopy(old, 3 * j, data, 3 * i, 3);
            }
        }
    }

    /**
     * Writes the table as its capacity, its size and its occupied slots (slot number, key, entry
     * number and count): a serialized table is 28 bytes per entry instead of 24 bytes per slot
     * (36-72 per entry at the load factor's range), and reads back slot for slot, so its layout,
     * entry numbers and iteration order are unchanged. Java serialization writes this; the Spark
     * jobs register it with Kryo, as a partition's document-frequency table travels to the driver
     * (Kryo's field-by-field default, without the registration, writes the whole array).
     */
    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(capacity);
        out.writeInt(size);
        for (int i = 0; i < capacity; i++) {
            if (data[3 * i] != 0) {
                out.writeInt(i);
                out.writeLong(data[3 * i]);
                out.writeLong(data[3 * i + 1]);
                out.writeLong(data[3 * i + 2]);
            }
        }
    }

    /** Reads a table written by {@link #writeTo}. */
    public static NGramTable readFrom(DataInput in) throws IOException {
        NGramTable t = new NGramTable(0);
        t.capacity = in.readInt();
        t.size = in.readInt();
        t.readSlots(in);
        return t;
    }

    private void readSlots(DataInput in) throws IOException {
        if (Integer.bitCount(capacity) != 1 || capacity > 1 << 29 || size < 0 || size * 3L > capacity * 2L) {
            throw new InvalidObjectException("n-gram table of " + size + " entries in " + capacity + " slots");
        }
        data = new long[3 * capacity];
        for (int k = 0; k < size; k++) {
            int i = in.readInt();
            if (i < 0 || i >= capacity) {
                throw new InvalidObjectException("n-gram table slot " + i + " of " + capacity);
            }
            data[3 * i] = in.readLong();
            data[3 * i + 1] = in.readLong();
            data[3 * i + 2] = in.readLong();
        }
    }

    /** Java serialization writes the {@link #writeTo} form, through a proxy. */
    private Object writeReplace() throws IOException {
        return new Serialized(this);
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("an n-gram table is serialized through its proxy");
    }

    /** The serial proxy: {@link #writeTo}'s bytes. */
    private static final class Serialized implements Serializable {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;

        Serialized(NGramTable t) throws IOException {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(8 + 28 * t.size);
            t.writeTo(new java.io.DataOutputStream(b));
            bytes = b.toByteArray();
        }

        private Object readResolve() throws IOException {
            return readFrom(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes)));
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
