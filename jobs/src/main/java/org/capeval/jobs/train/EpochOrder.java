package org.capeval.jobs.train;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Which of a block's rows fall in which mini-batch of one epoch. Epoch e visits the rows in the
 * order of {@link IndexPermutation}(numRows, seed, e); batch s holds the rows at positions
 * [s*B, (s+1)*B). Here the block's rows are sorted by that position, so each batch is a
 * contiguous range of {@link #order}. With full batches (B &ge; numRows) nothing is permuted.
 */
public final class EpochOrder implements Serializable {
    private static final long serialVersionUID = 1L;

    public final RowBlock block;
    /** Row numbers within the block, sorted by permuted position; null means 0..size-1 (full batch). */
    public final int[] order;
    private final long[] position;
    private final long batchSize;

    private EpochOrder(RowBlock block, int[] order, long[] position, long batchSize) {
        this.block = block;
        this.order = order;
        this.position = position;
        this.batchSize = batchSize;
    }

    /** Batches per epoch: ceil(numRows / batchSize), or 1 for full batches. */
    public static long stepsPerEpoch(long numRows, long batchSize) {
        return isFullBatch(numRows, batchSize) ? 1 : (numRows + batchSize - 1) / batchSize;
    }

    public static boolean isFullBatch(long numRows, long batchSize) {
        return batchSize <= 0 || batchSize >= numRows;
    }

    public static EpochOrder of(RowBlock block, long numRows, long batchSize, long seed, int epoch) {
        if (isFullBatch(numRows, batchSize)) {
            return new EpochOrder(block, null, null, 0);
        }
        IndexPermutation perm = new IndexPermutation(numRows, seed, epoch);
        int n = block.size();
        long[] keyed = new long[n];
        long[] pos = new long[n];
        for (int r = 0; r < n; r++) {
            pos[r] = perm.apply(block.index[r]);
        }
        // sort row numbers by position: positions are distinct, so sort (position, row) pairs
        Integer[] rows = new Integer[n];
        for (int r = 0; r < n; r++) {
            rows[r] = r;
        }
        Arrays.sort(rows, (a, b) -> Long.compare(pos[a], pos[b]));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = rows[i];
            keyed[i] = pos[rows[i]];
        }
        return new EpochOrder(block, order, keyed, batchSize);
    }

    /** First entry of {@link #order} (or row number, for full batches) in batch {@code step}. */
    public int from(long step) {
        if (order == null) {
            return step == 0 ? 0 : block.size();
        }
        return lowerBound(step * batchSize);
    }

    /** One past the last entry in batch {@code step}. */
    public int to(long step) {
        if (order == null) {
            return block.size();
        }
        return lowerBound((step + 1) * batchSize);
    }

    private int lowerBound(long key) {
        int i = Arrays.binarySearch(position, key);
        return i >= 0 ? i : -i - 1;
    }
}
