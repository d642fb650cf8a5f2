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
    void theSubmittersNameWinsOverTheJobs() {
        assertEquals("nightly eval", SparkSessions.appName(new SparkConf(false).set("spark.app.name", "nightly eval"), "capeval score"));
        assertEquals("capeval score", SparkSessions.appName(new SparkConf(false), "capeval score"));
        assertEquals("capeval score", SparkSessions.appName(new SparkConf(false).set("spark.app.name", " "), "capeval score"));
        // what SparkSubmit sets when it is given no --name
        assertEquals("capeval score", SparkSessions.appName(new SparkConf(false).set("spark.app.name", Main.class.getName()), "capeval score"));
    }
}
