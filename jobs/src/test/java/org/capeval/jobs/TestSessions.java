package org.capeval.jobs;

import org.apache.spark.sql.SparkSession;

/**
 * The tests' in-process Spark sessions, built here so that they serialize as the jobs do. Not
 * here: SparkSessionsTest, which tests the jobs' own set-up, and the MLlib benchmarks, which run
 * MLlib as it comes.
 */
public final class TestSessions {
    private TestSessions() {}

    /**
     * A local[2] session that serializes as the jobs do (Kryo with capeval's registrator), without
     * the UI; a test adds its own settings, or another local master (e.g. {@code local[2,3]} to let
     * tasks retry), to the builder.
     */
    public static SparkSession.Builder local(String name) {
        return SparkSession.builder().master("local[2]").appName(name)
                .config("spark.ui.enabled", "false")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config(SparkSessions.KRYO_REGISTRATOR, KryoRegistrator.class.getName());
    }
}
