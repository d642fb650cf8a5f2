package org.capeval.metrics.cider;

import java.util.Arrays;

/**
 * The document frequencies of each counted image's reference n-grams, recorded while counting them
 * ({@link DocumentFrequencies#addReferences(String[], ReferenceCounts)}) so that CIDEr need not look
 * every reference n-gram up again in the merged table: one image at a time, the entry numbers of
 * its distinct n-grams in the table that counted them, in the order of the references'
 * {@link org.capeval.metrics.ngram.ImageNGrams} ids. Once all tables are merged, {@link #resolve}
 * turns the entries into counts and {@link #counts} gives an image's. Flat arrays, not one per image: tens of thousands of
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
     * Turns every recorded entry e into its document frequency, {@code countsByEntry[moved[e]]}
     * ({@code moved} null when the recording table is the merged one; else
     * {@link DocumentFrequencies#mergeEntries}'s result), in place and in one pass, where the
     * random reads overlap; then {@link #counts} gives each image's. Once only.
     */
    public void resolve(int[] moved, int[] countsByEntry) {
        if (resolved) {
            throw new IllegalStateException("the entries are counts already");
        }
        int[] e = entries;
        if (moved == null) {
            for (int j = 0; j < size; j++) {
                e[j] = countsByEntry[e[j]];
            }
        } else {
            for (int j = 0; j < size; j++) {
                e[j] = countsByEntry[moved[e[j]]];
            }
        }
        resolved = true;
    }

    private boolean resolved;

    /**
     * The document frequencies of image i's reference n-grams (i in recording order), in the order
     * of their ids; after {@link #resolve}.
     */
    public int[] counts(int i) {
        if (!resolved) {
            throw new IllegalStateException("resolve() the entries first");
        }
        return Arrays.copyOfRange(entries, i == 0 ? 0 : ends[i - 1], ends[i]);
    }
}
