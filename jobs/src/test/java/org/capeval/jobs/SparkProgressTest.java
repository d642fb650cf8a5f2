package org.capeval.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SparkProgress on real local Spark (2 threads, heartbeats every 3 s) with slow tasks and a
 * 200 ms interval: the lines its logger writes, their counts and stages.
 */
class SparkProgressTest {
    private static final long INTERVAL = TimeUnit.MILLISECONDS.toNanos(200);
    private static final String LOGGER = SparkProgress.class.getName();
    private static final BlockingQueue<String> LINES = new LinkedBlockingQueue<>();
    private static SparkSession spark;
    private static SparkContext sc;
    private static AbstractAppender capture;

    @BeforeAll
    static void start() {
        spark = TestSessions.local("SparkProgressTest")
                // running tasks' partial counts every 3 s (10 s by default); much less and the first
                // heartbeat can reach the driver before it knows the executor (errors in the log)
                .config("spark.executor.heartbeatInterval", "3s")
                .getOrCreate();
        sc = spark.sparkContext();
        sc.setLogLevel("WARN"); // as conf/log4j2.properties: only org.capeval at INFO
        // Capture what the SparkProgress logger writes, at INFO
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        capture = new AbstractAppender("capture-progress", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                LINES.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
            }
        };
        capture.start();
        LoggerConfig logger = new LoggerConfig(LOGGER, Level.INFO, false);
        logger.addAppender(capture, Level.INFO, null);
        config.addLogger(LOGGER, logger);
        ctx.updateLoggers();
    }

    @AfterAll
    static void stop() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().removeLogger(LOGGER);
        ctx.updateLoggers();
        capture.stop();
        if (spark != null) {
            spark.stop();
        }
    }

    @BeforeEach
    void clear() {
        LINES.clear();
    }

    /** 4 tasks of 10 items, 2 at a time: 20 x {@code itemMillis}. */
    private static long slowJob(LongAccumulator counted, long itemMillis) {
        return JavaSparkContext.fromSparkContext(sc).parallelize(IntStream.range(0, 40).boxed().toList(), 4)
                .map(x -> {
                    Thread.sleep(itemMillis);
                    if (counted != null) {
                        counted.add(1);
                    }
                    return x;
                })
                .count();
    }

    @Test
    void linesWithCountTasksAndRate() throws Exception {
        LongAccumulator counted = sc.longAccumulator("test items");
        counted.add(7); // counted before the phase: not the phase's
        SparkProgress.Phase p = SparkProgress.phase(sc, "test", "items", 40, counted, INTERVAL);
        try (p) {
            // 4 s tasks, 8 s in all: 2 heartbeats or more while tasks run. The task length is not a
            // multiple of the heartbeat interval, so the heartbeats cannot all fall at task starts.
            assertEquals(40, slowJob(counted, 400));
        }
        assertEquals(40, p.count()); // close() waited for the last events
        List<String> lines = drain();
        Pattern periodic = Pattern.compile("INFO test: (\\d+) / 40 items \\((\\d+)%\\) after [0-9,]+(?:\\.\\d)? s, [0-9.]+ items/s"
                + "(; stage (\\d+): ([0-4])/4 tasks \\(([0-4]) running\\)|; no stage running)(; 1 stage done)?");
        String closing = lines.remove(lines.size() - 1);
        assertTrue(closing.matches("INFO test: done, 40 items in [0-9,]+(?:\\.\\d)? s, [0-9.]+ items/s; 4 tasks"), closing);
        assertTrue(lines.size() >= 3, "too few progress lines for a ~8 s job at 200 ms:\n" + String.join("\n", lines));
        boolean stageShown = false;
        boolean midTask = false;
        for (String line : lines) {
            Matcher m = periodic.matcher(line);
            assertTrue(m.matches(), line);
            int n = Integer.parseInt(m.group(1));
            assertTrue(n <= 40, line);
            assertEquals(n * 100 / 40, Integer.parseInt(m.group(2)), line);
            stageShown |= m.group(4) != null;
            // a count between whole tasks (10 items each) came from a running task's heartbeat
            midTask |= n % 10 != 0;
        }
        assertTrue(stageShown, "no line named the running stage:\n" + String.join("\n", lines));
        assertTrue(midTask, "no line counted items of running tasks:\n" + String.join("\n", lines));

        // closed: stages of later jobs are no one's, nothing more is logged
        slowJob(null, 10);
        assertNull(LINES.poll(300, TimeUnit.MILLISECONDS));
        assertNull(sc.getLocalProperty(SparkProgress.PHASE_PROPERTY));
    }

    @Test
    void withoutAccumulatorTasksAreCounted() throws Exception {
        try (SparkProgress.Phase outer = SparkProgress.phase(sc, "outer", "rows", -1, null, TimeUnit.SECONDS.toNanos(30))) {
            SparkProgress.Phase p = SparkProgress.phase(sc, "tasks only", "rows", -1, null, INTERVAL);
            try (p) {
                slowJob(null, 50);
            }
            assertEquals(4, p.count());
            assertEquals(0, outer.count(), "the inner phase took the stages");
            assertTrue(sc.getLocalProperty(SparkProgress.PHASE_PROPERTY).startsWith("capeval-phase-"), "outer phase restored");
        }
        List<String> lines = drain();
        String closing = lines.remove(lines.size() - 1);
        assertTrue(closing.matches("INFO tasks only: done, 4 tasks in [0-9,]+(?:\\.\\d)? s, [0-9.]+ tasks/s"), closing);
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            assertTrue(line.matches("INFO tasks only: [0-4] tasks after [0-9,]+(?:\\.\\d)? s, [0-9.]+ tasks/s"
                    + "(; stage \\d+: [0-4]/4 tasks \\([0-4] running\\)|; no stage running)(; 1 stage done)?"), line);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("/4 tasks")), String.join("\n", lines));
    }

    @Test
    void shortPhaseLogsNothing() throws Exception {
        try (SparkProgress.Phase p = SparkProgress.phase(sc, "short", "rows", 10, null, TimeUnit.SECONDS.toNanos(30))) {
            JavaSparkContext.fromSparkContext(sc).parallelize(List.of(1, 2, 3), 3).count();
        }
        assertNull(LINES.poll(200, TimeUnit.MILLISECONDS));
    }

    private static List<String> drain() {
        List<String> out = new ArrayList<>();
        LINES.drainTo(out);
        assertFalse(out.isEmpty(), "nothing logged");
        return out.stream().collect(Collectors.toCollection(ArrayList::new));
    }
}
