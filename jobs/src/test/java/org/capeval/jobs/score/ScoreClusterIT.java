package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.capeval.jobs.cluster.StockSpark;
import org.capeval.jobs.gen.CaptionGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scoring job on a real Spark standalone cluster (conf/cluster.sh: master and two workers, each
 * executor its own JVM), through submit.sh as users run it: scores are bit-identical to local mode, an
 * executor killed with SIGKILL mid-job changes nothing, and a driver killed mid-write leaves no
 * partial output directory and a rerun succeeds.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScoreClusterIT {
    /** Large enough that a cluster run lasts several seconds (time to kill things mid-way). */
    private static final long IMAGES = Long.getLong("capeval.it.clusterImages", 40_000);
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    @TempDir static Path work;
    private static StockSpark cluster;
    private static Path refs;
    private static Path results;
    private static Path localOut;
    private static long clusterRunMillis;

    @BeforeAll
    static void setUp() throws Exception {
        refs = work.resolve("refs.json");
        results = work.resolve("results.json");
        new CaptionGenerator(7).write(IMAGES, 5, refs, results);
        cluster = StockSpark.start(work.resolve("cluster"), 2);
        localOut = work.resolve("local/out");
        Submit.runOk(work.resolve("local.log"), TIMEOUT, scoreArgs(localOut, false).toArray(String[]::new));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (cluster != null) cluster.close();
    }

    private static List<String> scoreArgs(Path out, boolean onCluster) {
        List<String> args = new ArrayList<>(List.of("score", "--refs", refs.toString(), "--results", results.toString(),
            "--out", out.toString(), "--per-image-format", "json"));
        if (onCluster) args.addAll(List.of("--master", cluster.masterUrl(), "--executor-memory", "1g"));
        return args;
    }

    @Test
    @Order(1)
    void clusterScoresAreBitIdenticalToLocalMode() throws Exception {
        Path out = work.resolve("cluster-run/out");
        long t0 = System.nanoTime();
        Submit.Result r = Submit.runOk(work.resolve("cluster-run.log"), TIMEOUT, scoreArgs(out, true).toArray(String[]::new));
        clusterRunMillis = (System.nanoTime() - t0) / 1_000_000;
        assertSameScores(localOut, out);
        assertFalse(r.log().contains("local["), "the cluster run must not fall back to local mode");
        // a short run (ScoreJob.isShortOnSpark): its executors compile with C1 only, as its driver does
        List<Path> logs;
        try (Stream<Path> s = Files.walk(cluster.dir)) { // worker-N/app-ID/EXECUTOR/stderr
            logs = s.filter(p -> p.getFileName().toString().equals("stderr")
                    && p.getParent().getParent().getFileName().toString().startsWith("app-")).toList();
        }
        assertFalse(logs.isEmpty(), "no executor logs under " + cluster.dir);
        for (Path log : logs) {
            String command = Files.readAllLines(log).stream().filter(l -> l.startsWith("Spark Executor Command:")).findFirst().orElse("");
            assertTrue(command.contains("\"-XX:TieredStopAtLevel=1\""), log + ": " + command);
        }
    }

    @Test
    @Order(2)
    void executorKilledMidJobChangesNothing() throws Exception {
        Path out = work.resolve("executor-kill/out");
        Path log = work.resolve("executor-kill.log");
        Process driver = Submit.start(log, scoreArgs(out, true));
        long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(3000, clusterRunMillis / 2));
        List<ProcessHandle> executors = List.of();
        while (driver.isAlive() && (System.nanoTime() < killAt || executors.size() < 2)) {
            Thread.sleep(100);
            executors = cluster.executors();
        }
        assertTrue(driver.isAlive(), () -> "the job finished before an executor could be killed; raise capeval.it.clusterImages. Log:\n" + Submit.tail(log));
        assertEquals(2, executors.size(), "two executors, one per worker");
        ProcessHandle victim = executors.get(0);
        assertTrue(victim.destroyForcibly(), "SIGKILL the executor"); // destroyForcibly = kill -9 on Linux
        victim.onExit().get(30, TimeUnit.SECONDS);
        assertTrue(driver.isAlive(), "the job was still running when its executor died");
        assertTrue(driver.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "job finishes after losing an executor");
        assertEquals(0, driver.exitValue(), () -> "job failed after losing an executor:\n" + Submit.tail(log));
        assertSameScores(localOut, out);
    }

    @Test
    @Order(3)
    void driverKilledMidWriteLeavesNoPartialOutputAndRerunSucceeds() throws Exception {
        Path parent = Files.createDirectories(work.resolve("driver-kill"));
        Path out = parent.resolve("out");
        Path log = work.resolve("driver-kill.log");
        Process driver = Submit.start(log, scoreArgs(out, true));
        // The outputs are being written once a per_image file shows up under the output's parent
        // (the job writes into a temporary directory there and renames it to DIR when complete).
        boolean writing = false;
        while (driver.isAlive() && !writing) {
            writing = perImageFileUnder(parent);
            if (!writing) Thread.sleep(10);
        }
        assertTrue(writing && driver.isAlive(), () -> "did not catch the driver mid-write; log:\n" + Submit.tail(log));
        driver.destroyForcibly().waitFor(); // kill -9 the driver JVM (submit.sh execs java)
        assertFalse(Files.exists(out), () -> "a killed driver left a partial " + out + ": " + listing(parent));

        Submit.runOk(work.resolve("driver-kill-rerun.log"), TIMEOUT, scoreArgs(out, true).toArray(String[]::new));
        assertSameScores(localOut, out);
    }

    private static boolean perImageFileUnder(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.anyMatch(p -> p.toString().contains("per_image") && Files.isRegularFile(p));
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
            return false; // a file vanished while we looked: the job is moving things, look again
        }
    }

    private static String listing(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.map(Path::toString).toList().toString();
        } catch (IOException e) {
            return "(cannot list " + dir + ": " + e + ")";
        }
    }

    /** Corpus scores, BLEU counts and every per-image row equal to the bit. */
    static void assertSameScores(Path expectedDir, Path actualDir) throws IOException {
        JsonNode expected = Submit.eval(expectedDir);
        JsonNode actual = Submit.eval(actualDir);
        for (String key : List.of("eval", "bleu_stats", "n_images")) {
            assertTrue(expected.has(key), () -> "eval.json has no " + key + ": " + expected);
            assertEquals(expected.get(key), actual.get(key), key + " differs from local mode");
        }
        for (JsonNode v : expected.get("eval")) assertTrue(v.isDouble() || v.isNumber(), "numeric score " + v);
        Map<Long, JsonNode> want = Submit.perImage(expectedDir);
        Map<Long, JsonNode> got = Submit.perImage(actualDir);
        assertEquals(IMAGES, want.size(), "one per-image row per image");
        assertEquals(want.keySet(), got.keySet(), "same images");
        for (Map.Entry<Long, JsonNode> e : want.entrySet()) {
            if (!e.getValue().equals(got.get(e.getKey()))) {
                fail("image " + e.getKey() + ": local " + e.getValue() + " vs " + got.get(e.getKey()));
            }
        }
    }
}
