package org.capeval.jobs.leaderboard;

import org.apache.spark.Partitioner;

/**
 * Splits image positions 0..n-1 into contiguous ranges, so that a partition's images are
 * consecutive in evaluation order (numpy-exact pairwise means need that) and references and
 * candidates of the same images meet in the same partition.
 */
public final class PositionPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int n;
    private final int partitions;

    public PositionPartitioner(int n, int partitions) {
        this.n = n;
        this.partitions = Math.max(1, Math.min(partitions, Math.max(1, n)));
    }

    @Override
    public int numPartitions() { return partitions; }

    @Override
    public int getPartition(Object key) {
        return (int) ((long) (Integer) key * partitions / n);
    }

    /** First position of partition p (inclusive); {@code lo(p + 1)} is its end. */
    public int lo(int p) {
        return (int) (((long) p * n + partitions - 1) / partitions);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PositionPartitioner pp && pp.n == n && pp.partitions == partitions;
    }

    @Override
    public int hashCode() { return 31 * n + partitions; }
}
