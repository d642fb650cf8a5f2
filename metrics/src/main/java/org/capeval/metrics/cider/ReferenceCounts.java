package org.capeval.metrics.cider;

import java.util.Arrays;

/**
 * The document frequencies of each counted image's reference n-grams, recorded while counting them
 * ({@link DocumentFrequencies#addReferences(String[], ReferenceCounts)}) so that CIDEr need not look
 * every reference n-gram up again in the merged table: one image at a time, the entry numbers of
 * its distinct n-grams in the table that counted them, in the order of the references'
 * {@link org.capeval.metrics.ngram.ImageNGrams} ids. Once all tables are merged, {@link #counts}
 * turns an image's entries into its counts. Flat arrays, not one per image: tens of thousands of
 * images keep them until scoring.
 */
public final class ReferenceCounts {
    private int[] entries = new int[1 << 16];
    private int size;
    private int[] ends = new int[1 << 10]; // image i's entries are entries[ends[i - 1] .. ends[i])
    private int images;

    void add(int entry) {
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, size * 2);
        }
        entries[size++] = entry;
    }

    void endImage() {
        if (images == ends.length) {
            ends = Arrays.copyOf(ends, images * 2);
        }
        ends[images++] = size;
    }

    /** Number of images recorded. */
    public int images() {
        return images;
    }

    /**
     * The document frequencies of image i's reference n-grams (i in recording order), in the order
     * of their ids: {@code countsByEntry[moved[e]]} for each recorded entry e ({@code moved} null
     * when the recording table is the merged one; else {@link DocumentFrequencies#mergeEntries}'s result).
     */
    public int[] counts(int i, int[] moved, int[] countsByEntry) {
        int from = i == 0 ? 0 : ends[i - 1];
        int[] out = new int[ends[i] - from];
        for (int j = 0; j < out.length; j++) {
            int e = entries[from + j];
            out[j] = countsByEntry[moved == null ? e : moved[e]];
        }
        return out;
    }
}
