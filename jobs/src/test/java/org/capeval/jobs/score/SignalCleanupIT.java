package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run ended by SIGTERM (a scheduler's time limit, {@code kill}; Ctrl-C is alike) leaves nothing:
 * neither its output nor the hidden temporary files it was writing, which a signal used to leave
 * behind since it ends the JVM without unwinding its threads, and no JVM runs on once submit.sh
 * has ended (it passes the signal on). Through submit.sh, for the two jobs that write without
 * Spark (generate, and score's local engine), and for score's Spark engine, whose line says that
 * the run was stopped.
 */
class SignalCleanupIT {
    @TempDir Path work;

    @Test
    void generateEndedBySigtermLeavesNoFile() throws Exception {
        Path dir = Files.createDirectories(work.resolve("gen"));
        Process p = Submit.start(work.resolve("gen.log"), List.of("generate", "--images", "20000000",
                "--refs", dir.resolve("refs.json").toString(), "--results", dir.resolve("results.json").toString()));
        terminateOnce(p, () -> anyMatch(dir, f -> f.getFileName().toString().startsWith(".refs.json.capeval-tmp-") && size(f) > (1 << 20)));
        assertEquals(List.of(), entries(dir), Files.readString(work.resolve("gen.log")));
    }

    @Test
    void aLocalScoreRunEndedBySigtermLeavesNoFile() throws Exception {
        Path refs = work.resolve("refs.json");
        Path results = work.resolve("results.json");
        generate(refs, results);
        Path dir = Files.createDirectories(work.resolve("score"));
        Process p = Submit.start(work.resolve("score.log"), List.of("score", "--engine", "local", "--refs", refs.toString(),
                "--results", results.toString(), "--out", dir.resolve("out").toString()));
        // the temporary output holds the per-image file once the results are read; the run goes on for seconds
        terminateOnce(p, () -> anyMatch(dir, f -> f.toString().contains(".out.capeval-tmp-") && f.getFileName().toString().endsWith(".parquet")));
        assertEquals(List.of(), entries(dir), Files.readString(work.resolve("score.log")));
    }

    /**
     * On the Spark engine, Spark's own shutdown hook stops the context and the job fails: its line
     * says it was stopped, not that it failed, no stack trace follows (the threads that the stop
     * interrupts printed some in most runs), and the run leaves nothing either.
     */
    @Test
    void aSparkScoreRunEndedBySigtermSaysSoAndLeavesNoFile() throws Exception {
        Path refs = work.resolve("refs.json");
        Path results = work.resolve("results.json");
        generate(refs, results);
        Path dir = Files.createDirectories(work.resolve("spark"));
        Path log = work.resolve("spark.log");
        Process p = Submit.start(log, List.of("score", "--engine", "spark", "--refs", refs.toString(), "--results", results.toString(),
                "--out", dir.resolve("out").toString()));
        // staged: the Spark stages run for seconds (submit.sh has become the Spark driver's JVM)
        terminateOnce(p, () -> Files.readString(log).contains("document frequencies: "));
        List<String> ours = Files.readAllLines(log).stream().filter(l -> l.startsWith("capeval score: ")).toList();
        assertEquals(List.of("capeval score: stopped: the JVM is shutting down (SIGTERM, Ctrl-C) before the job finished"), ours,
                () -> Submit.tail(log));
        assertEquals(List.of(), Files.readAllLines(log).stream().filter(l -> l.startsWith("\tat ") || l.contains("Exception")).toList(),
                () -> Submit.tail(log));
        assertEquals(List.of(), entries(dir), () -> Submit.tail(log));
    }

    /** 300,000 generated images: a score run of several seconds. */
    private void generate(Path refs, Path results) throws Exception {
        Submit.runOk(work.resolve("inputs.log"), java.time.Duration.ofMinutes(2), "generate", "--images", "300000",
                "--refs", refs.toString(), "--results", results.toString());
    }

    /** A condition on the run's files or log. */
    @FunctionalInterface
    private interface Started {
        boolean now() throws IOException;
    }

    /**
     * Sends SIGTERM to submit.sh (as {@code kill PID} does) once the run has {@code started}, and
     * waits for the run to end: submit.sh passes the signal on to its JVM and waits for it.
     */
    private static void terminateOnce(Process p, Started started) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!started.now()) {
            assertTrue(p.isAlive(), "the run ended before the signal");
            assertTrue(System.nanoTime() < deadline, "the run never started");
            Thread.sleep(20);
        }
        List<ProcessHandle> jvm = p.descendants().toList();
        p.destroy();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), "the run did not end");
        assertEquals(128 + 15, p.exitValue(), "ended by SIGTERM");
        assertTrue(jvm.stream().noneMatch(ProcessHandle::isAlive), "the JVM outlived submit.sh");
    }

    private static boolean anyMatch(Path dir, Predicate<Path> p) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(p);
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) { // a file removed during the walk
            return false;
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> !f.equals(dir)).map(f -> dir.relativize(f).toString()).sorted().toList();
        }
    }
}
