package org.capeval.jobs.score;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.capeval.metrics.cider.DocumentFrequencies;
import scala.Function1;
import scala.Function2;
import scala.collection.Iterator;
import scala.reflect.ClassTag$;
import scala.runtime.BoxedUnit;

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
     * ({@code maxResultSize} bytes, 0 for no limit): as many as stay within half of it at 4 MB a table,
     * what a default partition (~10,000 COCO images) sends (at most 4.0 MB of 22 at 200k images); 128
     * at the default 1 GB, and at least one.
     */
    static int driverMergedTables(long maxResultSize) {
        return maxResultSize <= 0 ? DRIVER_MERGED_TABLES : (int) Math.max(1, Math.min(DRIVER_MERGED_TABLES, maxResultSize / 2 / (4L << 20)));
    }

    /** Whether the driver merges the tables of {@code partitions} partitions itself (no tree level). */
    static boolean mergesOnTheDriver(SparkContext sc, int partitions) {
        return partitions <= driverMergedTables(sc.getConf().getSizeAsBytes("spark.driver.maxResultSize", "1g"));
    }

    /** The merge of {@code tables} (one per partition), on the driver or through one tree level. */
    public static DocumentFrequencies merge(JavaRDD<DocumentFrequencies> tables) {
        return merge(tables, false).table();
    }

    /**
     * A merged table and, when the driver merged the partitions' tables itself, where each
     * partition's entries went: partition p's entry e is the merged table's entry {@code moved[p][e]}
     * ({@link DocumentFrequencies#mergeEntries}); {@code moved} is null after a tree level.
     */
    record Merged(DocumentFrequencies table, int[][] moved) {}

    /**
     * {@link #merge}; with {@code recordMoves}, the driver merges each partition's table as its task
     * finishes into an empty one and keeps where its entries went (up to {@link #driverMergedTables}
     * partitions, as {@link #merge}).
     */
    static Merged merge(JavaRDD<DocumentFrequencies> tables, boolean recordMoves) {
        int parts = tables.getNumPartitions();
        boolean onTheDriver = mergesOnTheDriver(tables.context(), parts);
        if (!recordMoves || !onTheDriver) {
            return new Merged(tables.treeReduce(DocumentFrequencies::merge, onTheDriver ? 1 : 2), null); // depth 1: no tree level
        }
        DocumentFrequencies all = new DocumentFrequencies(DocumentFrequencies.FROM_EVALUATED_REFERENCES);
        int[][] moved = new int[parts][];
        Function1<Iterator<DocumentFrequencies>, DocumentFrequencies> only =
                (Function1<Iterator<DocumentFrequencies>, DocumentFrequencies> & Serializable) Iterator::next; // one table per partition
        // called as each task's result arrives, one at a time (as reduce merges)
        Function2<Object, DocumentFrequencies, BoxedUnit> mergeOne = (p, table) -> {
            moved[(Integer) p] = all.mergeEntries(table);
            return BoxedUnit.UNIT;
        };
        tables.context().runJob(tables.rdd(), only, mergeOne, ClassTag$.MODULE$.apply(DocumentFrequencies.class));
        return new Merged(all, moved);
    }
}
