package org.capeval.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntSupplier;
import org.capeval.jobs.train.BadInputException;
import org.capeval.metrics.coco.CocoFormatException;
import org.junit.jupiter.api.Test;

/** Every failure is one line and an exit status; bad input is found inside Spark's wrapping. */
class JobFailureTest {
    private record Run(int status, String err) {}

    private static Run capture(IntSupplier f) {
        PrintStream err = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            return new Run(f.getAsInt(), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void aCocoFormatErrorNamesTheOptionWhoseFileItIsIn() {
        CocoFormatException refs = new CocoFormatException("in/refs.json", "annotations[3]", 1L, "missing field \"caption\"");
        assertEquals("--refs in/refs.json: annotations[3] (image_id 1): missing field \"caption\"",
                JobFailure.describe(refs, "--refs", "in/refs.json", "--results", "in/res.json"));
        CocoFormatException res = new CocoFormatException("in/res.json", "results[0]", null, "not an object");
        assertEquals("--results in/res.json: results[0]: not an object", JobFailure.describe(res, "--refs", "in/refs.json", "--results", "in/res.json"));
        assertEquals("other.json: results[0]: not an object", // a file no option names: as it is
                JobFailure.describe(new CocoFormatException("other.json", "results[0]", null, "not an object"), "--refs", "in/refs.json"));
        assertEquals("x: no such file", JobFailure.describe(new IllegalArgumentException("x: no such file"), "--refs", "x"));
    }

    @Test
    void sparkStoppingTheApplicationIsOneFailedLine() {
        String was = System.getProperty("spark.master");
        System.setProperty("spark.master", "spark://nowhere:7077");
        try {
            Exception stopped = new IllegalStateException("Cannot call methods on a stopped SparkContext.\nThis stopped SparkContext was "
                    + "created at:\n\norg.apache.spark.api.java.JavaSparkContext.<init>(JavaSparkContext.scala:59)\n...");
            Exception shutDown = new RuntimeException("Job 3 cancelled because SparkContext was shut down");
            for (Exception e : List.of(stopped, new RuntimeException("wrapped", stopped), shutDown)) {
                Run r = capture(() -> JobFailure.report("score", e));
                assertEquals(1, r.status());
                assertEquals("capeval score: failed: --master spark://nowhere:7077: Spark stopped the application before the job "
                        + "ended; its log above says why\n", r.err().replace("\r", "")); // no stack-trace file: Spark's log said why
            }
        } finally {
            if (was == null) System.clearProperty("spark.master");
            else System.setProperty("spark.master", was);
        }
    }

    /**
     * A real context that Spark stops under the job (as when a standalone master gives up on the
     * application): what the job fails with next is Spark's doing, even a missing file, which
     * otherwise is bad input (exit 2). Once the job has stopped its context itself, it is again.
     */
    @Test
    void whateverFollowsSparkStoppingTheJobsContextIsOneFailedLine() throws Exception {
        String was = System.getProperty("spark.master");
        System.setProperty("spark.master", "local[1]");
        org.apache.spark.api.java.JavaSparkContext sc = null;
        try {
            sc = SparkSessions.startContext("JobFailureTest");
            assertFalse(SparkSessions.stoppedUnderTheJob());
            NoSuchFileException removed = new NoSuchFileException("/tmp/spark-local/blockmgr-1/11");
            assertEquals(2, capture(() -> JobFailure.report("score", removed)).status(), "a missing file while Spark runs: bad input");
            sc.sc().stop(); // Spark's own stop, not the job's
            assertTrue(SparkSessions.stoppedUnderTheJob());
            for (Exception e : List.of(removed, new RuntimeException("Job aborted", removed), new IllegalStateException("x"))) {
                Run r = capture(() -> JobFailure.report("score", e));
                assertEquals(1, r.status(), r.err());
                assertEquals("capeval score: failed: --master local[1]: Spark stopped the application before the job ended; "
                        + "its log above says why\n", r.err().replace("\r", ""));
            }
            SparkSessions.stop(sc); // the job's own stop: nothing is Spark's doing any more
            sc = null;
            assertFalse(SparkSessions.stoppedUnderTheJob());
            Run after = capture(() -> JobFailure.report("score", removed));
            assertEquals(2, after.status());
            assertEquals("capeval score: error: /tmp/spark-local/blockmgr-1/11: no such file\n", after.err().replace("\r", ""));
        } finally {
            if (sc != null) SparkSessions.stop(sc);
            if (was == null) System.clearProperty("spark.master");
            else System.setProperty("spark.master", was);
        }
    }

    @Test
    void badInputIsOneLineWithExitTwoEvenWhenWrapped() {
        Exception wrapped = new RuntimeException("Job aborted due to stage failure: ...\n\tat x",
                new BadInputException("d.csv (line at byte 12): feature 2 (column 3) 'x' is not a number"));
        Run r = capture(() -> JobFailure.report("train", wrapped));
        assertEquals(2, r.status());
        assertEquals("capeval train: error: d.csv (line at byte 12): feature 2 (column 3) 'x' is not a number\n", r.err().replace("\r", ""));

        Run c = capture(() -> JobFailure.report("score", new CocoFormatException("r.json", "results[3]", 4L, "bad\ncaption")));
        assertEquals(2, c.status());
        assertEquals(1, c.err().lines().count(), c.err());
        Run n = capture(() -> JobFailure.report("score", new NoSuchFileException("/x/y.json")));
        assertEquals("capeval score: error: /x/y.json: no such file", n.err().strip());
    }

    @Test
    void otherFailuresAreOneLineWithTheTraceInAFile() throws Exception {
        Run r = capture(() -> JobFailure.report("score", new IllegalStateException("boom")));
        assertEquals(1, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("capeval score: failed: java.lang.IllegalStateException: boom (stack trace: "), r.err());
        String file = r.err().substring(r.err().indexOf("stack trace: ") + 13, r.err().indexOf(';'));
        assertTrue(Files.readString(Path.of(file)).contains("\tat org.capeval.jobs.JobFailureTest"), file);
        Files.delete(Path.of(file));
        assertFalse(r.err().contains("\tat "));
    }

    @Test
    void verbosePrintsTheTraceAfterTheLine() {
        JobFailure.verbose(true);
        try {
            Run r = capture(() -> JobFailure.report("train", new BadInputException("--data x: no such file or directory")));
            assertEquals(2, r.status());
            assertTrue(r.err().startsWith("capeval train: error: --data x: no such file or directory\n"), r.err());
            assertTrue(r.err().contains("\tat "), r.err());
        } finally {
            JobFailure.verbose(false);
        }
    }
}
