package org.capeval.metrics.ngram;

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
        return find(hi, lo, slot(hi, lo, capacity - 1));
    }

    /**
     * {@link #get} of n keys at once into {@code counts} (0 for a key with hi 0): each key's first
     * slot is computed once and touched first, all of them before any probe, so that their cache
     * misses overlap (as {@link #prefetch} then {@link #get}, without hashing each key twice).
     */
    public void getAll(long[] hi, long[] lo, int n, int[] counts) {
        int mask = capacity - 1;
        long[] d = data;
        long acc = 0;
        for (int i = 0; i < n; i++) {
            int s = slot(hi[i], lo[i], mask);
            counts[i] = s;
            acc += d[3 * s];
        }
        sink = acc;
        for (int i = 0; i < n; i++) {
            counts[i] = hi[i] == 0 ? 0 : find(hi[i], lo[i], counts[i]);
        }
    }

    /** The count for the key whose probe starts at slot i, 0 when absent. */
    private int find(long hi, long lo, int i) {
        int mask = capacity - 1;
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
     * a following run of {@link #add} calls overlap instead of being paid one after another: a
     * table of millions of n-grams is far larger than the CPU caches, and its probes are what
     * CIDEr's document-frequency counting and merging wait on (look-ups use {@link #getAll}, which
     * does the same without hashing each key twice). Only a hint: nothing changes.
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
     * The table as bytes: its capacity and size, then each occupied slot in slot order as unsigned
     * varints: the number of empty slots before it, the four word ids of its key, its entry number
     * and its count. About 11 bytes per entry for a COCO-sized vocabulary, where fixed-width fields
     * took 28 and the slot array 36-72 (24 bytes per slot); {@link #fromBytes} reads it back slot
     * for slot, so layout, entry numbers and iteration order are unchanged. This is how a table
     * travels: Java serialization writes it, and the Spark jobs register it with Kryo, as each
     * partition's document-frequency table goes to the driver as a task result (fewer bytes to
     * write, copy and read: the profile at 200k images put 0.38 s of CPU in the fixed-width form).
     */
    public byte[] toBytes() {
        byte[] b = new byte[Math.toIntExact(10 + 35L * size)]; // at most 5 bytes per varint, 7 per slot
        int at = putVarInt(b, 0, capacity);
        at = putVarInt(b, at, size);
        int previous = -1;
        for (int i = 0; i < capacity; i++) {
            long hi = data[3 * i];
            if (hi != 0) {
                long lo = data[3 * i + 1], c = data[3 * i + 2];
                at = putVarInt(b, at, i - previous - 1);
                at = putVarInt(b, at, (int) (hi >>> 32));
                at = putVarInt(b, at, (int) hi);
                at = putVarInt(b, at, (int) (lo >>> 32));
                at = putVarInt(b, at, (int) lo);
                at = putVarInt(b, at, (int) (c >>> 32));
                at = putVarInt(b, at, (int) c);
                previous = i;
            }
        }
        return java.util.Arrays.copyOf(b, at);
    }

    /** Reads a table written by {@link #toBytes}; refuses a malformed one before allocating for it. */
    public static NGramTable fromBytes(byte[] b) throws InvalidObjectException {
        Reader in = new Reader(b);
        NGramTable t = new NGramTable(0);
        t.capacity = in.next();
        t.size = in.next();
        if (Integer.bitCount(t.capacity) != 1 || t.capacity > 1 << 29 || t.size < 0 || t.size * 3L > t.capacity * 2L
                || t.size > b.length / 7) {
            throw new InvalidObjectException("n-gram table of " + t.size + " entries in " + t.capacity + " slots");
        }
        long[] d = new long[3 * t.capacity];
        int i = -1;
        for (int k = 0; k < t.size; k++) {
            i += 1 + in.next();
            if (i < 0 || i >= t.capacity) {
                throw new InvalidObjectException("n-gram table slot " + i + " of " + t.capacity);
            }
            long hi = (long) in.next() << 32 | (in.next() & 0xFFFFFFFFL);
            if (hi >>> 32 == 0) {
                throw new InvalidObjectException("n-gram table slot " + i + " has no first word");
            }
            d[3 * i] = hi;
            d[3 * i + 1] = (long) in.next() << 32 | (in.next() & 0xFFFFFFFFL);
            d[3 * i + 2] = (long) in.next() << 32 | (in.next() & 0xFFFFFFFFL);
        }
        if (in.at != b.length) {
            throw new InvalidObjectException("n-gram table with " + (b.length - in.at) + " bytes after its last slot");
        }
        t.data = d;
        return t;
    }

    private static int putVarInt(byte[] b, int at, int v) {
        while ((v & ~0x7F) != 0) {
            b[at++] = (byte) (v & 0x7F | 0x80);
            v >>>= 7;
        }
        b[at++] = (byte) v;
        return at;
    }

    /** Reads {@link #putVarInt}'s varints, refusing a truncated or overlong one. */
    private static final class Reader {
        final byte[] b;
        int at;

        Reader(byte[] b) {
            this.b = b;
        }

        int next() throws InvalidObjectException {
            int v = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                if (at == b.length) {
                    throw new InvalidObjectException("n-gram table truncated at byte " + at);
                }
                byte x = b[at++];
                v |= (x & 0x7F) << shift;
                if (x >= 0) {
                    return v;
                }
            }
            throw new InvalidObjectException("n-gram table: a varint longer than 5 bytes at byte " + at);
        }
    }

    /** Java serialization writes the {@link #toBytes} form, through a proxy. */
    private Object writeReplace() {
        return new Serialized(this);
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("an n-gram table is serialized through its proxy");
    }

    /** The serial proxy: {@link #toBytes}'s bytes. */
    private static final class Serialized implements Serializable {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;

        Serialized(NGramTable t) {
            bytes = t.toBytes();
        }

        private Object readResolve() throws InvalidObjectException {
            return fromBytes(bytes);
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
