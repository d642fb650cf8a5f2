package org.capeval.jobs.train;

import java.io.Serializable;

/**
 * A block of training rows held as flat arrays: global row indices, features (row-major,
 * rows x numFeatures) and labels. A Spark partition holds one or more blocks; the single-process
 * trainer holds one block with all rows.
 */
public final class RowBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    public final int numFeatures;
    public final long[] index;
    public final double[] features;
    public final double[] labels;

    public RowBlock(int numFeatures, long[] index, double[] features, double[] labels) {
        if (features.length != (long) index.length * numFeatures || labels.length != index.length) {
            throw new IllegalArgumentException("block arrays disagree: " + index.length + " rows, "
                    + features.length + " feature values, " + labels.length + " labels, " + numFeatures + " features a row");
        }
        this.numFeatures = numFeatures;
        this.index = index;
        this.features = features;
        this.labels = labels;
    }

    public int size() {
        return index.length;
    }

    /** Collects rows into blocks of at most {@code maxRows}; the rows keep their order. */
    public static final class Builder {
        private final int numFeatures;
        private final int maxRows;
        private long[] index;
        private double[] features;
        private double[] labels;
        private int n;

        public Builder(int numFeatures, int maxRows) {
            this.numFeatures = numFeatures;
            this.maxRows = maxRows;
            reset();
        }

        private void reset() {
            int cap = Math.min(maxRows, 1024);
            index = new long[cap];
            features = new double[cap * numFeatures];
            labels = new double[cap];
            n = 0;
        }

        public boolean isFull() {
            return n == maxRows;
        }

        public boolean isEmpty() {
            return n == 0;
        }

        public void add(long rowIndex, double[] x, double y) {
            if (n == index.length) {
                int cap = (int) Math.min(maxRows, 2L * index.length);
                index = java.util.Arrays.copyOf(index, cap);
                features = java.util.Arrays.copyOf(features, cap * numFeatures);
                labels = java.util.Arrays.copyOf(labels, cap);
            }
            index[n] = rowIndex;
            System.arraycopy(x, 0, features, n * numFeatures, numFeatures);
            labels[n] = y;
            n++;
        }

        /** Returns the rows collected so far as a block and starts a new one. */
        public RowBlock build() {
            RowBlock b = new RowBlock(numFeatures, java.util.Arrays.copyOf(index, n),
                    java.util.Arrays.copyOf(features, n * numFeatures), java.util.Arrays.copyOf(labels, n));
            reset();
            return b;
        }
    }
}
