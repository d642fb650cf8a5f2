package org.capeval.jobs.score;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * Where each partition of an ordered RDD begins, counted in elements: what
 * {@link org.capeval.metrics.stats.PairwiseSum#partial} needs so that per-partition shares add up
 * to numpy's pairwise sum over the whole.
 */
final class PartitionStarts {
    private PartitionStarts() {}

    /** {@code starts[p]}: elements before partition p; {@code starts[numPartitions]}: all elements. One counting job. */
    static <T> long[] of(JavaRDD<T> rdd) {
        List<Long> counts = rdd.mapPartitions(it -> {
            long c = 0;
            for (; it.hasNext(); it.next()) {
                c++;
            }
            return List.of(c).iterator();
        }).collect();
        long[] starts = new long[counts.size() + 1];
        for (int i = 0; i < counts.size(); i++) {
            starts[i + 1] = starts[i] + counts.get(i);
        }
        return starts;
    }
}
