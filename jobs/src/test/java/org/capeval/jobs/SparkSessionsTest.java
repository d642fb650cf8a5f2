package org.capeval.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockUpdated;
import org.apache.spark.storage.TaskResultBlockId;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {
    private static final String KEY = SparkSessions.KRYO_REGISTRATOR;
    private static final String OURS = KryoRegistrator.class.getName();

    @Test
    void hadoopsScratchSpaceFollowsTheJvmsTemporaryDirectoryUnlessSet(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String before = System.getProperty("java.io.tmpdir");
        try {
            System.setProperty("java.io.tmpdir", dir.toString());
            SparkConf conf = new SparkConf(false);
            SparkSessions.followTmpdir(conf);
            assertEquals(dir.resolve("hadoop-" + System.getProperty("user.name")).toString(), conf.get(SparkSessions.HADOOP_TMP_DIR));
            SparkConf theirs = new SparkConf(false).set(SparkSessions.HADOOP_TMP_DIR, "/scratch");
            SparkSessions.followTmpdir(theirs);
            assertEquals("/scratch", theirs.get(SparkSessions.HADOOP_TMP_DIR));
            System.setProperty("java.io.tmpdir", "/tmp/");
            SparkConf plain = new SparkConf(false);
            SparkSessions.followTmpdir(plain);
            assertFalse(plain.contains(SparkSessions.HADOOP_TMP_DIR), "Hadoop's own default under /tmp");
        } finally {
            System.setProperty("java.io.tmpdir", before);
        }
    }

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
    void executorsCompileAsTheJobSaysUnlessTheClusterOrUserSaysOtherwise() {
        String key = "spark.executor.defaultJavaOptions";
        assertEquals("-XX:TieredStopAtLevel=1", SparkSessions.executorsCompileWith(new SparkConf(false), SparkSessions.C1_ONLY).get(key));
        // the cluster's defaults are kept, after ours, so a compiler setting of theirs wins
        assertEquals("-XX:TieredStopAtLevel=1 -XX:+UseG1GC -XX:TieredStopAtLevel=4", SparkSessions.executorsCompileWith(
                new SparkConf(false).set(key, " -XX:+UseG1GC -XX:TieredStopAtLevel=4 "), SparkSessions.C1_ONLY).get(key));
        assertEquals(SparkSessions.C2_HOT_ONLY + " -Xss4m",
                SparkSessions.executorsCompileWith(new SparkConf(false).set(key, "-Xss4m"), SparkSessions.C2_HOT_ONLY).get(key));
        // the user's own options are another key, which Spark puts after the defaults: untouched
        SparkConf user = SparkSessions.executorsCompileWith(new SparkConf(false).set("spark.executor.extraJavaOptions", "-Xss4m"),
                SparkSessions.C1_ONLY);
        assertEquals("-Xss4m", user.get("spark.executor.extraJavaOptions"));
    }

    /** What every job's session or context is started with: its name, its executors' compiler, Kryo's classes and registrator. */
    @Test
    void aJobsConfigurationHasItsNameCompilerAndKryoSettings() {
        SparkConf c = SparkSessions.configured("capeval train", SparkSessions.C2_HOT_ONLY, String[].class);
        assertEquals("capeval train", c.get("spark.app.name"));
        assertEquals(SparkSessions.C2_HOT_ONLY, c.get("spark.executor.defaultJavaOptions"));
        assertTrue(("," + c.get("spark.kryo.classesToRegister") + ",").contains("," + String[].class.getName() + ","));
        assertTrue(("," + c.get(KEY) + ",").contains("," + OURS + ","));
        // no compiler given: the executors' defaults are left as spark-submit set them
        assertEquals("-Xss4m", SparkSessions.configured("capeval score", null).get("spark.executor.defaultJavaOptions", "-Xss4m"));
    }

    /** The jobs' partition results of a few MB come back directly, unless the submitter chose. */
    @Test
    void aJobsResultsOfAFewMegabytesComeBackInTheTasksStatus() throws Exception {
        assertEquals(SparkSessions.DIRECT_RESULTS_UP_TO, SparkSessions.configured("capeval score", null).get(SparkSessions.MAX_DIRECT_RESULT_SIZE));
        try {
            System.setProperty(SparkSessions.MAX_DIRECT_RESULT_SIZE, "2m");
            assertEquals("2m", SparkSessions.configured("capeval score", null).get(SparkSessions.MAX_DIRECT_RESULT_SIZE));
        } finally {
            System.clearProperty(SparkSessions.MAX_DIRECT_RESULT_SIZE);
        }
        // on real Spark: a 3 MB result per partition (a document-frequency table's size) is stored
        // as a task-result block and fetched back under Spark's 1 MB default, and not under ours
        assertEquals(2, taskResultBlocks("1m"));
        assertEquals(0, taskResultBlocks(SparkSessions.DIRECT_RESULTS_UP_TO));
    }

    /** Task-result blocks stored while two partitions return 3 MB each on local[2]. */
    private static int taskResultBlocks(String maxDirectResultSize) throws TimeoutException {
        SparkConf conf = new SparkConf(false).setMaster("local[2]").setAppName("direct results").set("spark.ui.enabled", "false")
                .set(SparkSessions.MAX_DIRECT_RESULT_SIZE, maxDirectResultSize);
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            AtomicInteger stored = new AtomicInteger();
            sc.sc().addSparkListener(new SparkListener() {
                @Override
                public void onBlockUpdated(SparkListenerBlockUpdated update) {
                    if (update.blockUpdatedInfo().blockId() instanceof TaskResultBlockId && update.blockUpdatedInfo().storageLevel().isValid()) {
                        stored.incrementAndGet();
                    }
                }
            });
            List<byte[]> results = sc.parallelize(List.of(1, 2), 2).map(i -> new byte[3 << 20]).collect();
            assertEquals(2, results.size());
            assertEquals(3 << 20, results.get(1).length);
            sc.sc().listenerBus().waitUntilEmpty();
            return stored.get();
        }
    }

    /**
     * In local mode a task's OutOfMemoryError fails the task, which the job reports in one line,
     * instead of ending this JVM with Spark's status 52; on a cluster, and when the user chose,
     * Spark's setting stays.
     */
    @Test
    void aLocalTasksFatalErrorFailsTheTaskNotTheJvm() {
        String before = System.getProperty("spark.master");
        try {
            System.setProperty("spark.master", "local[2]");
            assertEquals("0", SparkSessions.configured("capeval leaderboard", null).get(SparkSessions.KILL_ON_FATAL_ERROR_DEPTH));
            System.setProperty(SparkSessions.KILL_ON_FATAL_ERROR_DEPTH, "3");
            assertEquals("3", SparkSessions.configured("capeval leaderboard", null).get(SparkSessions.KILL_ON_FATAL_ERROR_DEPTH));
            System.clearProperty(SparkSessions.KILL_ON_FATAL_ERROR_DEPTH);
            System.setProperty("spark.master", "spark://127.0.0.1:7077");
            assertFalse(SparkSessions.configured("capeval leaderboard", null).contains(SparkSessions.KILL_ON_FATAL_ERROR_DEPTH));
        } finally {
            System.clearProperty(SparkSessions.KILL_ON_FATAL_ERROR_DEPTH);
            if (before == null) {
                System.clearProperty("spark.master");
            } else {
                System.setProperty("spark.master", before);
            }
        }
    }

    /** The driver gets the same compiler options from submit.sh and from the Python package: one list, checked here. */
    @Test
    void theLaunchersGiveTheDriverTheSameCompilerOptions() throws IOException {
        Path project = Path.of(System.getProperty("capeval.projectDir", "..")).toAbsolutePath().normalize();
        String submit = Files.readString(project.resolve("submit.sh"));
        String python = Files.readString(project.resolve("python/capeval/_runner.py"));
        assertTrue(submit.contains("DRIVER_JIT=(" + SparkSessions.C1_ONLY + ")"), "submit.sh: " + SparkSessions.C1_ONLY);
        assertTrue(submit.contains("DRIVER_JIT=(" + SparkSessions.C2_HOT_ONLY + ")"), "submit.sh: " + SparkSessions.C2_HOT_ONLY);
        assertTrue(python.contains("_C1_ONLY = " + pythonList(SparkSessions.C1_ONLY)), "_runner.py: " + SparkSessions.C1_ONLY);
        assertTrue(python.contains("_C2_HOT_ONLY = " + pythonList(SparkSessions.C2_HOT_ONLY)), "_runner.py: " + SparkSessions.C2_HOT_ONLY);
    }

    private static String pythonList(String options) {
        return "[" + String.join(", ", java.util.Arrays.stream(options.split(" ")).map(o -> '"' + o + '"').toList()) + "]";
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
