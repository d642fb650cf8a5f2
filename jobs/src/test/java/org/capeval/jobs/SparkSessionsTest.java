package org.capeval.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {
    private static final String KEY = SparkSessions.KRYO_REGISTRATOR;
    private static final String OURS = KryoRegistrator.class.getName();

    @Test
    void ourRegistratorIsSetWhenTheUserHasNone() {
        assertEquals(OURS, SparkSessions.appended(new SparkConf(false), KEY, OURS));
        assertEquals(OURS, SparkSessions.appended(new SparkConf(false).set(KEY, " "), KEY, OURS));
    }

    @Test
    void aUsersOwnEntriesAreKeptAndOursAppendedOnce() {
        assertEquals("com.example.A,com.example.B," + OURS,
                SparkSessions.appended(new SparkConf(false).set(KEY, "com.example.A, com.example.B"), KEY, OURS));
        assertEquals("com.example.A," + OURS,
                SparkSessions.appended(new SparkConf(false).set(KEY, "com.example.A," + OURS), KEY, OURS));
        // a list of ours (the shipped classes) merges entry by entry
        assertEquals("a.X,b.Y,c.Z", SparkSessions.appended(new SparkConf(false).set("k", "a.X,b.Y"), "k", "b.Y,c.Z"));
    }

    @Test
    void aShortRunsExecutorsCompileWithC1OnlyUnlessTheClusterOrUserSaysOtherwise() {
        String key = "spark.executor.defaultJavaOptions";
        assertEquals("-XX:TieredStopAtLevel=1", SparkSessions.shortRunExecutors(new SparkConf(false)).get(key));
        // the cluster's defaults are kept, after ours, so a compiler setting of theirs wins
        assertEquals("-XX:TieredStopAtLevel=1 -XX:+UseG1GC -XX:TieredStopAtLevel=4",
                SparkSessions.shortRunExecutors(new SparkConf(false).set(key, " -XX:+UseG1GC -XX:TieredStopAtLevel=4 ")).get(key));
        // the user's own options are another key, which Spark puts after the defaults: untouched
        SparkConf user = SparkSessions.shortRunExecutors(new SparkConf(false).set("spark.executor.extraJavaOptions", "-Xss4m"));
        assertEquals("-Xss4m", user.get("spark.executor.extraJavaOptions"));
    }

    @Test
    void theSubmittersNameWinsOverTheJobs() {
        assertEquals("nightly eval", SparkSessions.appName(new SparkConf(false).set("spark.app.name", "nightly eval"), "capeval score"));
        assertEquals("capeval score", SparkSessions.appName(new SparkConf(false), "capeval score"));
        assertEquals("capeval score", SparkSessions.appName(new SparkConf(false).set("spark.app.name", " "), "capeval score"));
        // what SparkSubmit sets when it is given no --name
        assertEquals("capeval score", SparkSessions.appName(new SparkConf(false).set("spark.app.name", Main.class.getName()), "capeval score"));
    }
}
