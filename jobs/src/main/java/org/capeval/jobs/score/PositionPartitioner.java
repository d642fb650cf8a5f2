package org.capeval.jobs.score;

import org.apache.spark.Partitioner;

/**
 * Splits evaluation positions (0 .. images-1, known from staging) into equal contiguous ranges, so
 * partitions are in evaluation order without the sampling pass of sortByKey's range partitioner
 * (numpy-exact pairwise means need consecutive images per partition). Used by the score and
 * leaderboard jobs; keys are positions as Integer or Long.
 */
public final class PositionPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;
    private final long positions;

    public PositionPartitioner(int partitions, long positions) {
        this.partitions = partitions;
        this.positions = Math.max(1, positions);
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        long p = ((Number) key).longValue();
        return (int) Math.min(partitions - 1, Math.max(0, p) * partitions / positions); // monotonic in p
    }

    /** First position of partition {@code p} (inclusive); {@code lo(p + 1)} is its end. */
    public long lo(int p) {
        return (p * positions + partitions - 1) / partitions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PositionPartitioner other && other.partitions == partitions && other.positions == positions;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(positions) * 31 + partitions;
    }
}
