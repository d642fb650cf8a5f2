package org.capeval.jobs.score;

import org.apache.spark.api.java.JavaRDD;
import org.capeval.metrics.cider.DocumentFrequencies;

/**
 * How the Spark jobs (score, leaderboard) merge their partitions' document-frequency tables. Up to
 * {@link #driverMergedTables} partitions the driver merges the tables as tasks finish; past that a
 * tree level merges them on the executors first, as the sum of the tables the driver receives is
 * capped ({@code spark.driver.maxResultSize}, 1 GB by default). The tree level is a shuffle stage of
 * its own (3.6 s of a 1M-image score run on 2 cores), while the driver's merges overlap the tasks
 * still running (BENCHMARKS.md).
 */
public final class DocumentFrequencyTables {
    private DocumentFrequencyTables() {}

    /** The most partitions whose tables the driver merges itself, without a tree level first. */
    static final int DRIVER_MERGED_TABLES = 128;

    /**
     * How many partitions' tables the driver merges itself under {@code spark.driver.maxResultSize}
     * ({@code maxResultSize} bytes, 0 for no limit): as many as stay within half of it at 4 MB a table
     * (a default partition of ~10,000 COCO images sends 4.9 MB, one of generated captions at 200k
     * images 1.4 MB); 128 at the default 1 GB, and at least one.
     */
    static int driverMergedTables(long maxResultSize) {
        return maxResultSize <= 0 ? DRIVER_MERGED_TABLES : (int) Math.max(1, Math.min(DRIVER_MERGED_TABLES, maxResultSize / 2 / (4L << 20)));
    }

    /** The merge of {@code tables} (one per partition), on the driver or through one tree level. */
    public static DocumentFrequencies merge(JavaRDD<DocumentFrequencies> tables) {
        int merged = driverMergedTables(tables.context().getConf().getSizeAsBytes("spark.driver.maxResultSize", "1g"));
        return tables.treeReduce(DocumentFrequencies::merge, tables.getNumPartitions() <= merged ? 1 : 2); // depth 1: no tree level
    }
}
