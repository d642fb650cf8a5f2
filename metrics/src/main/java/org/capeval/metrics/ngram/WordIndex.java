package org.capeval.metrics.ngram;

/**
 * Words to dense ids 0, 1, 2, ... in order of first appearance, where a word is given as a range of
 * a string (a token of a tokenized caption): the range's characters are hashed and compared with the
 * word already stored, so no substring is cut per occurrence, and no id is boxed. A word's text is
 * cut only when {@link #word} asks for it. Open addressing; not thread-safe while interning, safe
 * to read ({@link #find}, {@link #word} of a cut word) from several threads once filled.
 */
public final class WordIndex {
    private int[] slots; // id + 1, 0 when free
    private int[] hashes = new int[8]; // by id
    private String[] sources = new String[8]; // by id: the string holding the word's first occurrence
    private int[] starts = new int[8];
    private int[] ends = new int[8];
    private String[] words = new String[8]; // by id, cut on first request (or given)
    private int size;

    public WordIndex() {
        this(8);
    }

    /** An index that holds {@code expected} words without growing its table. */
    public WordIndex(int expected) {
        slots = new int[Integer.highestOneBit(Math.max(8, expected * 2) * 2 - 1)];
    }

    public int size() {
        return size;
    }

    /** The id of the word {@code s[from, to)}, adding it when new (its id is then {@code size() - 1}). */
    public int intern(String s, int from, int to) {
        int h = hash(s, from, to);
        int i = slot(h, s, from, to);
        if (slots[i] != 0) {
            return slots[i] - 1;
        }
        int id = size++;
        if (id == hashes.length) {
            int n = id * 2;
            hashes = java.util.Arrays.copyOf(hashes, n);
            sources = java.util.Arrays.copyOf(sources, n);
            starts = java.util.Arrays.copyOf(starts, n);
            ends = java.util.Arrays.copyOf(ends, n);
            words = java.util.Arrays.copyOf(words, n);
        }
        hashes[id] = h;
        sources[id] = s;
        starts[id] = from;
        ends[id] = to;
        slots[i] = id + 1;
        if (size * 2 > slots.length) {
            grow();
        }
        return id;
    }

    /** The id of {@code word}, adding it when new. */
    public int intern(String word) {
        int id = intern(word, 0, word.length());
        if (id == size - 1 && words[id] == null) {
            words[id] = word; // already a whole string: nothing to cut later
        }
        return id;
    }

    /** The id of the word {@code s[from, to)}, or -1 when it is not here. */
    public int find(String s, int from, int to) {
        return slots[slot(hash(s, from, to), s, from, to)] - 1;
    }

    /** The slot holding the word {@code s[from, to)} (hash {@code h}), or the free slot where it would go. */
    private int slot(int h, String s, int from, int to) {
        int mask = slots.length - 1;
        int i = spread(h) & mask;
        while (true) {
            int id = slots[i] - 1;
            if (id < 0 || (hashes[id] == h && same(id, s, from, to))) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /** The id here of {@code other}'s word {@code id}, or -1: by its stored hash and characters, no string cut. */
    public int find(WordIndex other, int id) {
        if (id < 0 || id >= other.size) {
            throw new IndexOutOfBoundsException("word id " + id + " of " + other.size);
        }
        return slots[slot(other.hashes[id], other.sources[id], other.starts[id], other.ends[id])] - 1;
    }

    /** The id of {@code word}, or -1. */
    public int find(String word) {
        return find(word, 0, word.length());
    }

    /** The text of word {@code id}. */
    public String word(int id) {
        if (id < 0 || id >= size) {
            throw new IndexOutOfBoundsException("word id " + id + " of " + size);
        }
        String w = words[id];
        if (w == null) {
            w = sources[id].substring(starts[id], ends[id]);
            words[id] = w;
        }
        return w;
    }

    private boolean same(int id, String s, int from, int to) {
        int len = to - from;
        return ends[id] - starts[id] == len && s.regionMatches(from, sources[id], starts[id], len);
    }

    /** String.hashCode of the range. */
    private static int hash(String s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i);
        }
        return h;
    }

    private static int spread(int h) {
        int x = h * 0x9E3779B9;
        return x ^ (x >>> 16);
    }

    private void grow() {
        slots = new int[slots.length * 2];
        int mask = slots.length - 1;
        for (int id = 0; id < size; id++) {
            int i = spread(hashes[id]) & mask;
            while (slots[i] != 0) {
                i = (i + 1) & mask;
            }
            slots[i] = id + 1;
        }
    }
}
