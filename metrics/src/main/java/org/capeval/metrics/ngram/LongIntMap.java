package org.capeval.metrics.ngram;

/** Open-addressing map from non-negative long keys to int values; no boxing. Stores key + 1 so 0 marks a free slot. */
public final class LongIntMap {
    private static final long EMPTY = 0L;
    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    /** A map that holds {@code expected} keys without growing (load factor at most 2/3). */
    public LongIntMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(4, expected * 3 / 2 + 1) * 2 - 1);
        keys = new long[cap];
        values = new int[cap];
        mask = cap - 1;
    }

    public int size() {
        return size;
    }

    /** The value for key, or {@code missing}. */
    public int get(long key, int missing) {
        int i = find(key + 1);
        return keys[i] == EMPTY ? missing : values[i];
    }

    /** The value for key; when absent, stores {@code valueIfAbsent} and returns it. */
    public int getOrPut(long key, int valueIfAbsent) {
        long stored = key + 1;
        int i = find(stored);
        if (keys[i] != EMPTY) {
            return values[i];
        }
        keys[i] = stored;
        values[i] = valueIfAbsent;
        if (++size * 3 > keys.length * 2) {
            grow();
        }
        return valueIfAbsent;
    }

    /** The slot holding {@code stored} (a key + 1), or the free slot where it would go. */
    private int find(long stored) {
        int i = slot(stored);
        while (true) {
            long k = keys[i];
            if (k == stored || k == EMPTY) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = slot(oldKeys[j]);
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }
}
