package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How many partitions' document-frequency tables the driver merges itself, under spark.driver.maxResultSize. */
class DriverMergedTablesTest {
    @Test
    void halfOfTheLimitAtFourMegabytesATable() {
        assertEquals(128, DocumentFrequencyTables.driverMergedTables(1L << 30)); // Spark's default, 1 GB
        assertEquals(32, DocumentFrequencyTables.driverMergedTables(256L << 20));
        assertEquals(2, DocumentFrequencyTables.driverMergedTables(16L << 20));
    }

    @Test
    void atLeastOneAndAtMostTheCap() {
        assertEquals(1, DocumentFrequencyTables.driverMergedTables(1L << 20)); // below one table: a tree level from 2 partitions
        assertEquals(DocumentFrequencyTables.DRIVER_MERGED_TABLES, DocumentFrequencyTables.driverMergedTables(16L << 30));
        assertEquals(DocumentFrequencyTables.DRIVER_MERGED_TABLES, DocumentFrequencyTables.driverMergedTables(0)); // 0: no limit
    }
}
