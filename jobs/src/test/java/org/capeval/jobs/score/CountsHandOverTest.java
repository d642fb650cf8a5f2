package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.capeval.metrics.ImageTokens;
import org.capeval.metrics.cider.DocumentFrequencies;
import org.capeval.metrics.cider.ReferenceCounts;
import org.capeval.metrics.core.Scoring;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Spark engine's hand-over of counted document frequencies, on real Spark: a table handed from
 * the tokenizing closure to the counting closure of the same task, and the driver's merge that
 * keeps where each partition's entries went.
 */
class CountsHandOverTest {
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("CountsHandOverTest").set("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    /** Partition p's images: overlapping n-grams across partitions, some images without references. */
    static List<ImageTokens> images(int p) {
        List<ImageTokens> out = new ArrayList<>();
        for (int i = 0; i < 40 + 7 * p; i++) {
            int refs = (i + p) % 4;
            String[] r = new String[refs];
            for (int j = 0; j < refs; j++) {
                r[j] = "a photo of thing " + (i % 13) + " near thing " + ((i * p + j) % 11) + " on a table " + (j == 2 ? "in part " + p : "");
            }
            out.add(new ImageTokens(1000L * p + i, "a thing", r));
        }
        return out;
    }

    @Test
    void aValueReachesTheLaterClosureOfItsOwnTaskOnly() {
        JavaRDD<Integer> made = sc.parallelize(IntStream.range(0, 6).boxed().toList(), 6).mapPartitionsWithIndex((p, it) -> {
            TaskHandOff.put("part " + p);
            return it;
        }, true).persist(StorageLevel.DISK_ONLY());
        try {
            List<String> first = made.mapPartitionsWithIndex((p, it) -> {
                it.forEachRemaining(x -> {});
                return List.of(p + ": " + TaskHandOff.take(String.class)).iterator();
            }, true).collect();
            assertEquals(IntStream.range(0, 6).mapToObj(p -> p + ": part " + p).toList(), first);
            // the blocks exist now: the first closure does not run again, and there is nothing to take
            List<String> second = made.mapPartitions(it -> {
                it.forEachRemaining(x -> {});
                return List.of(String.valueOf(TaskHandOff.take(String.class))).iterator();
            }).collect();
            assertEquals(List.of("null", "null", "null", "null", "null", "null"), second);
        } finally {
            made.unpersist(true);
        }
        assertNull(TaskHandOff.take(String.class), "outside a task");
    }

    @Test
    void theDriversMergeKeepsWherePartitionEntriesWent() {
        int parts = 5;
        JavaRDD<DocumentFrequencies> tables = sc.parallelize(IntStream.range(0, parts).boxed().toList(), parts)
                .map(p -> Scoring.countDocumentFrequencies(images(p), null));
        DocumentFrequencyTables.Merged merged = DocumentFrequencyTables.merge(tables, true);
        assertNotNull(merged.moved());
        // the same tables merged one after another on this side
        DocumentFrequencies expected = new DocumentFrequencies(DocumentFrequencies.FROM_EVALUATED_REFERENCES);
        int[][] expectedMoved = new int[parts][];
        ReferenceCounts[] seen = new ReferenceCounts[parts];
        ReferenceCounts[] seenAgain = new ReferenceCounts[parts];
        for (int p = 0; p < parts; p++) {
            seen[p] = new ReferenceCounts();
            seenAgain[p] = new ReferenceCounts();
            expectedMoved[p] = expected.mergeEntries(Scoring.countDocumentFrequencies(images(p), seen[p]));
            Scoring.countDocumentFrequencies(images(p), seenAgain[p]);
        }
        assertEquals(expected.asMap(), merged.table().asMap());
        assertEquals(expected.documents(), merged.table().documents());
        // each partition's entries resolve to the same counts through either merge (tasks finish in any order)
        int[] counts = merged.table().countsByEntry();
        int[] expectedCounts = expected.countsByEntry();
        for (int p = 0; p < parts; p++) {
            assertEquals(expectedMoved[p].length, merged.moved()[p].length, "partition " + p + "'s table");
            seen[p].resolve(merged.moved()[p], counts);
            seenAgain[p].resolve(expectedMoved[p], expectedCounts);
            for (int i = 0; i < seen[p].images(); i++) {
                assertArrayEquals(seenAgain[p].counts(i), seen[p].counts(i), "partition " + p + ", image " + i);
            }
        }
        // without recording: the plain merge
        DocumentFrequencyTables.Merged plain = DocumentFrequencyTables.merge(tables, false);
        assertNull(plain.moved());
        assertEquals(expected.asMap(), plain.table().asMap());
    }
}
