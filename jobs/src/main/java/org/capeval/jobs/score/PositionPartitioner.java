package org.capeval.jobs.score;

import org.apache.spark.Partitioner;

/**
 * Splits evaluation positions (0 .. images-1, known from staging) into equal contiguous ranges, so
 * partitions are in evaluation order without the sampling pass of sortByKey's range partitioner.
 */
final class PositionPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;
    private final long positions;

    PositionPartitioner(int partitions, long positions) {
        this.partitions = partitions;
        this.positions = Math.max(1, positions);
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        long p = (Long) key;
        return (int) Math.min(partitions - 1, Math.max(0, p) * partitions / positions); // monotonic in p
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
