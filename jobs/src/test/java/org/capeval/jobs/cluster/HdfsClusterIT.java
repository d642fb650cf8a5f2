package org.capeval.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.capeval.jobs.FaultPoint;
import org.capeval.jobs.gen.CaptionGenerator;
import org.capeval.jobs.leaderboard.LeaderboardStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * capeval where users run it: a real HDFS (MiniDFSCluster: NameNode and DataNode in this JVM) and a
 * standalone Spark cluster whose classpath is Spark's own jars only; the application jar is
 * submitted by a stock SparkSubmit in cluster deploy mode (the driver runs on a worker). One HDFS
 * and one Spark cluster for the whole class.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HdfsClusterIT {
    private static final long IMAGES = 1_000;
    private static final long TIMEOUT_S = 600; // generous: the machine may be loaded; a night takes ~1-3 min

    /** Under target/, kept after the run: logs of the Spark daemons and drivers. */
    private static Path work;
    private static MiniDFSCluster hdfs;
    private static FileSystem fs;
    private static String nameNode;
    private static StockSpark spark;
    private static Path refs;
    private static Path results;
    private static byte[] localEval;
    private static Path subsLocal;
    /** The top-level copies a clean first night (2026-11-01) publishes on HDFS: what every single such night must give. */
    private static Map<String, byte[]> firstNight;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void setUp() throws Exception {
        work = StockSpark.PROJECT.resolve("jobs/target/it-hdfs-cluster");
        org.apache.commons.io.FileUtils.deleteDirectory(work.toFile());
        refs = work.resolve("data/refs.json.gz");
        results = work.resolve("data/results.json.gz");
        Files.createDirectories(refs.getParent());
        new CaptionGenerator(11).write(IMAGES, 5, refs, results);

        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, work.resolve("hdfs").toString());
        conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        fs = hdfs.getFileSystem();
        nameNode = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
        fs.mkdirs(new org.apache.hadoop.fs.Path("/data"));
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(refs.toString()), new org.apache.hadoop.fs.Path("/data/refs.json.gz"));
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(results.toString()), new org.apache.hadoop.fs.Path("/data/results.json.gz"));

        // two leaderboard submissions for the same images: the generated candidates of two seeds
        subsLocal = Files.createDirectories(work.resolve("data/subs"));
        Files.copy(results, subsLocal.resolve("a.json.gz"));
        new CaptionGenerator(12).write(IMAGES, 1, work.resolve("data/unused-refs.json.gz"), subsLocal.resolve("b.json.gz"));
        Files.writeString(subsLocal.resolve("a.meta.json"), "{\"name\":\"alpha\",\"team\":\"A\",\"date\":\"2026-10-30\"}");
        Files.writeString(subsLocal.resolve("b.meta.json"), "{\"name\":\"beta\",\"team\":\"B\",\"date\":\"2026-10-31\"}");
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(subsLocal.toString()), new org.apache.hadoop.fs.Path("/subs"));

        spark = StockSpark.start(work.resolve("spark"), 2);

        // The reference: the same inputs scored by submit.sh on local files (local engine).
        Path localOut = work.resolve("local-out");
        assertEquals(0, submitSh(work.resolve("local.log"), "score", "--refs", refs.toString(), "--results", results.toString(),
                "--out", localOut.toString()), () -> "local run failed: " + tail(work.resolve("local.log")));
        localEval = Files.readAllBytes(localOut.resolve("eval.json"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (spark != null) spark.close();
        if (hdfs != null) hdfs.shutdown();
    }

    @Test
    @Order(2)
    void scoreReadsAndWritesHdfs() throws Exception {
        String out = nameNode + "/boards/score-out";
        int exit = spark.runCluster(work.resolve("cluster-hdfs.log"), List.of(),
                List.of("score", "--refs", nameNode + "/data/refs.json.gz", "--results", nameNode + "/data/results.json.gz",
                        "--out", out, "--per-image-format", "json"), TIMEOUT_S);
        assertEquals(0, exit, () -> "score on HDFS failed: " + tail(work.resolve("cluster-hdfs.log")) + "\n" + spark.driverLogs());
        assertArrayEquals(localEval, readHdfs(out + "/eval.json"), "eval.json on HDFS differs from the local run");
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(out + "/per_image")), "per_image on HDFS");
        assertFalse(fs.listStatus(new org.apache.hadoop.fs.Path("/boards")).length > 1, "nothing but the output next to it");
    }

    @Test
    @Order(3)
    void hdfsErrorsAtTheBoundaryAreOneLineNamingTheUri() throws Exception {
        // an existing output without --overwrite
        Path log = work.resolve("exists.log");
        int exit = submitSh(log, "score", "--engine", "spark", "--refs", nameNode + "/data/refs.json.gz",
                "--results", nameNode + "/data/results.json.gz", "--out", nameNode + "/boards/score-out");
        assertTrue(exit != 0, "an existing output must be refused");
        assertTrue(Files.readString(log).contains(nameNode + "/boards/score-out"), () -> "the error names the output: " + tail(log));
        // an unreachable NameNode
        Path log2 = work.resolve("unreachable.log");
        String dead = "hdfs://127.0.0.1:1/data/refs.json.gz";
        int exit2 = submitSh(log2, "score", "--engine", "spark", "--refs", dead, "--results", nameNode + "/data/results.json.gz",
                "--out", nameNode + "/boards/never", "--conf", "spark.hadoop.ipc.client.connect.max.retries=0",
                "--conf", "spark.hadoop.ipc.client.connect.max.retries.on.timeouts=0");
        assertTrue(exit2 != 0, "an unreachable NameNode must fail");
        // score's report names the option and the URI (Storage: "cannot reach its file system (Call From ... to ...:1 failed ...)")
        assertEquals(1, exit2, () -> tail(log2));
        assertOneLine(log2, "capeval score: failed: ", "--refs " + dead, "cannot reach");
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path("/boards/never")), "nothing written");
        // a leaderboard --out under a regular file: bad input before the lock, naming --out as typed; nothing created
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path("/files/some-file");
        fs.create(file).close();
        String underFile = nameNode + "/files/some-file/board";
        Path log3 = work.resolve("under-a-file.log");
        assertEquals(2, submitSh(log3, "leaderboard", "--refs", nameNode + "/data/refs.json.gz", "--submissions", nameNode + "/subs",
                "--out", underFile, "--date", "2026-11-01"), () -> tail(log3));
        assertOneLine(log3, "capeval leaderboard: error: ", "--out " + underFile + ": cannot be written (" + nameNode + "/files/some-file: not a directory)");
        assertTrue(fs.getFileStatus(file).isFile(), "the file as it was");
        assertEquals(1, fs.listStatus(file.getParent()).length, "nothing created beside it");
    }

    @Test
    @Order(4)
    void leaderboardOnHdfsGivesTheLocalNumbers() throws Exception {
        // night 1: two submissions, everything on HDFS, the driver on the cluster
        String board = nameNode + "/boards/lb";
        int exit = spark.runCluster(work.resolve("lb-hdfs.log"), List.of(), leaderboardArgs(nameNode + "/data/refs.json.gz",
                nameNode + "/subs", board, "2026-11-01"), TIMEOUT_S);
        assertEquals(0, exit, () -> "leaderboard on HDFS failed: " + tail(work.resolve("lb-hdfs.log")) + "\n" + spark.driverLogs());
        // the same night on local files, in local mode (submit.sh)
        Path localBoard = work.resolve("lb-local");
        assertEquals(0, submitSh(work.resolve("lb-local.log"), leaderboardArgs(refs.toString(), subsLocal.toString(),
                localBoard.toString(), "2026-11-01").toArray(String[]::new)), () -> tail(work.resolve("lb-local.log")));
        JsonNode hdfsLatest = JSON.readTree(readHdfs(board + "/latest.json"));
        JsonNode localLatest = JSON.readTree(localBoard.resolve("latest.json").toFile());
        assertEquals(localLatest.get("leaders"), hdfsLatest.get("leaders"));
        assertEquals(2, hdfsLatest.get("submissions").size());
        for (int i = 0; i < 2; i++) {
            ObjectNode h = (ObjectNode) hdfsLatest.get("submissions").get(i).deepCopy();
            ObjectNode l = (ObjectNode) localLatest.get("submissions").get(i).deepCopy();
            h.remove("source");
            l.remove("source");
            assertEquals(l, h, "submission " + i + ": HDFS and local numbers");
        }
        assertBoardComplete(board, 1);
        firstNight = copies(board);
    }

    /**
     * kill -9 of a night's driver in each phase of a night on the board of test 4. Scoring and
     * writing the version are long enough to catch by watching HDFS; the pointer (between its hidden
     * name and the rename) and the top-level copies (between the first and the second) are stopped
     * at a {@link org.capeval.jobs.FaultPoint} the driver waits at. Then the next night takes over the
     * dead driver's lock, publishes, repairs the copies and removes what the kills left.
     */
    @Test
    @Order(5)
    void aDriverKilledInAnyPhaseLeavesAReadableBoard() throws Exception {
        String board = nameNode + "/boards/lb";
        org.apache.hadoop.fs.Path root = fs.makeQualified(new org.apache.hadoop.fs.Path(board));
        org.apache.hadoop.fs.Path previous = LeaderboardStore.current(fs, root);
        Map<String, byte[]> before = copies(board);
        String[] phases = {"scoring", "writing", "pointer", "copying"};
        for (String phase : phases) {
            Path log = work.resolve("lb-kill-" + phase + ".log");
            boolean atFaultPoint = phase.equals("pointer") || phase.equals("copying");
            Process driver = submitShStart(log, leaderboardArgs(nameNode + "/data/refs.json.gz", nameNode + "/subs", board, "2026-11-02"),
                    atFaultPoint ? Map.of("CAPEVAL_DRIVER_OPTS", "-D" + FaultPoint.PROPERTY + "=" + phase) : Map.of());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            boolean caught = false;
            while (driver.isAlive() && !caught && System.nanoTime() < deadline) {
                if (atFaultPoint) caught = Files.readString(log).contains("capeval: fault point " + phase + " reached");
                // scoring: the run holds the lock (taken before it reads anything) and has no version yet
                else caught = phase.equals("scoring") ? fs.exists(new org.apache.hadoop.fs.Path(board + "/_lock")) && !newVersionBeingWritten(board)
                        : newVersionBeingWritten(board);
                if (!caught) Thread.sleep(20);
            }
            assertTrue(caught && driver.isAlive(), () -> "did not catch the driver " + phase + "; " + tail(log));
            driver.destroyForcibly().waitFor(); // kill -9: submit.sh execs the driver JVM
            if (!phase.equals("copying")) {
                assertCopies(before, board, "killed " + phase);
                assertBoardComplete(board, 1);
                assertEquals(previous, LeaderboardStore.current(fs, root), "killed " + phase + ": the previous version is the board");
                if (phase.equals("pointer")) {
                    assertEquals(1, hidden(new org.apache.hadoop.fs.Path(root, "_board")).size(), "killed between the hidden pointer and its rename");
                }
            } else {
                // the pointer is written: readers see the new version, complete; the top-level copies
                // are each whole, the first one the new version's, the others still the previous'
                assertEquals(2, fs.listStatus(new org.apache.hadoop.fs.Path(root, "_board"), p -> p.getName().matches("\\d{20}\\.json")).length,
                        "killed copying: the new pointer is there");
                org.apache.hadoop.fs.Path now = LeaderboardStore.current(fs, root);
                assertTrue(!now.equals(previous) && now.getName().endsWith("-2026-11-02"), () -> "killed copying: the new version is the board: " + now);
                for (String e : LeaderboardStore.ENTRIES) assertTrue(fs.exists(new org.apache.hadoop.fs.Path(now, e)), e);
                for (String e : LeaderboardStore.COPIES) {
                    byte[] fresh = readHdfs(now + "/" + e);
                    assertFalse(java.util.Arrays.equals(before.get(e), fresh), e + " differs between the nights (or this proves nothing)");
                    assertArrayEquals(e.equals(LeaderboardStore.COPIES.get(0)) ? fresh : before.get(e), readHdfs(board + "/" + e),
                            "killed copying: " + e + " is whole, the new version's if copied before the kill, else the previous");
                }
            }
        }
        // the next night takes over the dead driver's lock, publishes, repairs the copies, and removes what the kills left
        Path log = work.resolve("lb-night2.log");
        assertEquals(0, submitSh(log, leaderboardArgs(nameNode + "/data/refs.json.gz", nameNode + "/subs", board,
                "2026-11-02").toArray(String[]::new)), () -> tail(log));
        assertTrue(Files.readString(log).contains("leaderboard: took over the lock of a run that is gone"), () -> tail(log));
        assertBoardComplete(board, 3);
        java.util.Set<String> published = new java.util.TreeSet<>();
        for (org.apache.hadoop.fs.FileStatus p : fs.listStatus(new org.apache.hadoop.fs.Path(root, "_board"))) {
            published.add(JSON.readTree(readHdfs(p.getPath().toString())).get("version").asText().replace("versions/", ""));
        }
        java.util.Set<String> versions = new java.util.TreeSet<>();
        for (org.apache.hadoop.fs.FileStatus v : fs.listStatus(new org.apache.hadoop.fs.Path(root, "versions"))) versions.add(v.getPath().getName());
        assertEquals(published, versions, "only published versions are left (the killed runs' unpublished ones pruned)");
        assertEquals(List.of(), hidden(root), "no hidden leftovers at the top");
        assertEquals(List.of(), hidden(new org.apache.hadoop.fs.Path(root, "_board")), "the killed run's hidden pointer removed");
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path(board + "/_lock")), "lock released");
    }

    /** Hidden names (a killed write's temporaries) directly in {@code dir}. */
    private static List<String> hidden(org.apache.hadoop.fs.Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (org.apache.hadoop.fs.FileStatus s : fs.listStatus(dir)) {
            if (s.getPath().getName().startsWith(".")) names.add(s.getPath().getName());
        }
        return names;
    }

    @Test
    @Order(6)
    void aFailedLeaderboardRunLeavesTheTargetAsFound() throws Exception {
        String board = nameNode + "/boards/lb-new";
        int exit = submitSh(work.resolve("lb-missing.log"), leaderboardArgs(nameNode + "/data/refs.json.gz", nameNode + "/no-such-subs",
                board, "2026-11-01").toArray(String[]::new));
        assertTrue(exit != 0, "missing submissions must fail");
        String log = Files.readString(work.resolve("lb-missing.log"));
        assertTrue(log.contains(nameNode + "/no-such-subs"), () -> "the error names the URI: " + tail(work.resolve("lb-missing.log")));
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path(board)), "no directory left behind");
    }

    @Test
    @Order(7)
    void trainReadsDataAndResumesFromCheckpointsOnHdfs() throws Exception {
        Path csv = work.resolve("data/train.csv");
        StringBuilder sb = new StringBuilder();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        for (int i = 0; i < 2000; i++) {
            double[] x = new double[5];
            double z = 0.3;
            for (int j = 0; j < 5; j++) {
                x[j] = rnd.nextGaussian();
                z += (j - 2) * 0.7 * x[j];
            }
            sb.append(rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
            for (double v : x) sb.append(',').append(v);
            sb.append('\n');
        }
        Files.writeString(csv, sb);
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(csv.toString()), new org.apache.hadoop.fs.Path("/data/train.csv"));
        List<String> common = List.of("--format", "csv", "--model", "logistic:5", "--optimizer", "adam", "--lr", "0.05",
                "--epochs", "2", "--batch-size", "250", "--checkpoint-every", "4", "--partitions", "4");

        Path local = work.resolve("train-local");
        List<String> localArgs = new ArrayList<>(List.of("train", "--data", csv.toString(), "--out", local.toString()));
        localArgs.addAll(common);
        assertEquals(0, submitSh(work.resolve("train-local.log"), localArgs.toArray(String[]::new)), () -> tail(work.resolve("train-local.log")));

        // on HDFS: stopped after 6 steps (as if killed; checkpoint of step 4 on HDFS), resumed on the cluster
        String out = nameNode + "/models/m1";
        List<String> stopped = new ArrayList<>(List.of("train", "--data", nameNode + "/data/train.csv", "--out", out, "--stop-after-steps", "6"));
        stopped.addAll(common);
        submitSh(work.resolve("train-stopped.log"), stopped.toArray(String[]::new));
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(out + "/checkpoints/step-0000000004.json")),
                () -> "a checkpoint on HDFS: " + tail(work.resolve("train-stopped.log")));
        List<String> resumed = new ArrayList<>(List.of("train", "--data", nameNode + "/data/train.csv", "--out", out, "--resume"));
        resumed.addAll(common);
        assertEquals(0, spark.runCluster(work.resolve("train-resumed.log"), List.of(), resumed, TIMEOUT_S),
                () -> "resumed train failed: " + spark.driverLogs());
        JsonNode want = JSON.readTree(local.resolve("model.json").toFile()).get("params");
        JsonNode got = JSON.readTree(readHdfs(out + "/model.json")).get("params");
        assertEquals(want, got, "parameters after a resume on HDFS equal an uninterrupted local run's");
    }

    @Test
    @Order(8)
    void anExecutorKilledDuringALeaderboardNightChangesNothing() throws Exception {
        // client mode on the standalone cluster: the driver is this machine's submit.sh, the executors the workers' JVMs
        String board = nameNode + "/boards/lb-executor-kill";
        Path log = work.resolve("lb-executor-kill.log");
        Process driver = submitShStart(log, leaderboardArgs(nameNode + "/data/refs.json.gz", nameNode + "/subs", board, "2026-11-01"),
                spark.masterUrl(), "--executor-memory", "900m");
        // the night is under way (it holds the lock) and an executor has finished a task of it (so the
        // driver knows it and it holds cached references or shuffle output); nothing of it is written yet.
        // (An executor killed before it registered would only be replaced, unnoticed by the night.)
        org.apache.hadoop.fs.Path lock = new org.apache.hadoop.fs.Path(board + "/_lock");
        List<ProcessHandle> executors = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (driver.isAlive() && (executors.isEmpty() || !fs.exists(lock)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            executors = spark.executorsThatRanATask();
        }
        assertTrue(driver.isAlive() && !executors.isEmpty(), () -> "did not catch the night with an executor at work; " + tail(log));
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path(board + "/versions")), "killed before the night wrote its version");
        ProcessHandle victim = executors.get(0);
        assertTrue(victim.destroyForcibly(), "SIGKILL the executor");
        victim.onExit().get(30, TimeUnit.SECONDS);
        assertTrue(driver.waitFor(TIMEOUT_S, TimeUnit.SECONDS), "the night finishes after losing an executor");
        assertEquals(0, driver.exitValue(), () -> "the night failed after losing an executor; " + tail(log));
        assertTrue(Files.readString(log).contains("Lost executor"), () -> "the driver saw the executor go; " + tail(log));
        assertBoardComplete(board, 1);
        assertCopies(firstNight, board, "a night that lost an executor");
    }

    @Test
    @Order(9)
    void twoNightsStartedTogetherOneRefusesAndTheBoardIsOneNights() throws Exception {
        // two drivers started at once on a board that does not exist yet, both on the cluster
        String board = nameNode + "/boards/lb-together";
        List<String> args = leaderboardArgs(nameNode + "/data/refs.json.gz", nameNode + "/subs", board, "2026-11-01");
        Path logA = work.resolve("lb-together-a.log");
        Path logB = work.resolve("lb-together-b.log");
        Process a = submitShStart(logA, args, spark.masterUrl(), "--executor-memory", "900m");
        Process b = submitShStart(logB, args, spark.masterUrl(), "--executor-memory", "900m");
        try {
            // whichever takes the lock is suspended (SIGSTOP) while it holds it, so the other one must meet the lock
            org.apache.hadoop.fs.Path lock = new org.apache.hadoop.fs.Path(board + "/_lock");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            long owner = -1;
            while (owner < 0 && (a.isAlive() || b.isAlive()) && System.nanoTime() < deadline) {
                try {
                    owner = JSON.readTree(readHdfs(lock.toString())).get("pid").asLong();
                } catch (IOException e) {
                    Thread.sleep(10); // not taken yet
                }
            }
            long taken = owner;
            assertTrue(taken == a.pid() || taken == b.pid(), () -> "one of the two drivers holds the lock (" + taken + "); "
                    + tail(logA) + "\n" + tail(logB));
            Process winner = taken == a.pid() ? a : b;
            Process loser = winner == a ? b : a;
            Path loserLog = loser == a ? logA : logB;
            signal(winner, "STOP");
            try {
                assertTrue(loser.waitFor(TIMEOUT_S, TimeUnit.SECONDS), "the second night ends while the first holds the lock");
            } finally {
                signal(winner, "CONT");
            }
            assertEquals(1, loser.exitValue(), () -> "the second night refuses; " + tail(loserLog));
            List<String> lines = Files.readAllLines(loserLog).stream().filter(l -> l.startsWith("capeval leaderboard: ")).toList();
            assertEquals(1, lines.size(), () -> "one line; " + tail(loserLog));
            assertTrue(lines.get(0).contains("another leaderboard run holds " + board + "/_lock") && lines.get(0).contains("\"pid\":" + taken),
                    () -> "the line names the lock and its owner: " + lines.get(0));
            assertTrue(winner.waitFor(TIMEOUT_S, TimeUnit.SECONDS), "the first night finishes");
            assertEquals(0, winner.exitValue(), () -> "the first night publishes; " + tail(winner == a ? logA : logB));
        } finally {
            a.destroyForcibly();
            b.destroyForcibly();
        }
        assertBoardComplete(board, 1);
        assertCopies(firstNight, board, "two nights started together");
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path(board + "/_lock")), "lock released");
    }

    /**
     * A full disk while writing: a 2 MB tmpfs mounted by the test (we run as root in CI; elsewhere the
     * test is skipped with the reason), holding a board from a first night, filled but 8 KB (room for
     * the lock, not for a version of ~40 KB). A leaderboard night on the cluster (whose executors
     * write history.parquet) and a score run writing there fail in one line that names the output
     * and says "No space left on device"; nothing is left of them, and the previous board is
     * byte-identical. With room again, the next night publishes.
     */
    @Test
    @Order(10)
    void aFullDiskFailsInOneLineLeavingThePreviousOutputs() throws Exception {
        Path disk = Files.createTempDirectory("capeval-small-disk");
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", disk.toString()).redirectErrorStream(true).start();
        String mountSaid = new String(mount.getInputStream().readAllBytes()).trim();
        boolean mounted = mount.waitFor() == 0;
        if (!mounted) Files.delete(disk);
        assumeTrue(mounted, () -> "skipped: cannot mount a 2 MB tmpfs (needs root or CAP_SYS_ADMIN): " + mountSaid);
        try {
            Path board = disk.resolve("board");
            assertEquals(0, submitSh(work.resolve("disk-night1.log"), leaderboardArgs(refs.toString(), subsLocal.toString(), board.toString(),
                    "2026-11-01").toArray(String[]::new)), () -> tail(work.resolve("disk-night1.log")));
            Map<String, byte[]> before = files(disk);
            Path filler = disk.resolve("filler");
            fill(filler, 8 * 1024);

            Path log = work.resolve("disk-night2.log");
            Process night = submitShStart(log, leaderboardArgs(refs.toString(), subsLocal.toString(), board.toString(), "2026-11-02"),
                    spark.masterUrl(), "--executor-memory", "900m");
            assertTrue(night.waitFor(TIMEOUT_S, TimeUnit.SECONDS), "the night ends");
            assertEquals(1, night.exitValue(), () -> tail(log));
            assertOneLine(log, "capeval leaderboard: failed: ", board.toString(), "No space left on device");
            assertFilesEqual(before, disk, filler, "after the night that found the disk full");

            Path scores = disk.resolve("scores");
            Path scoreLog = work.resolve("disk-score.log");
            Process score = submitShStart(scoreLog, List.of("score", "--engine", "spark", "--refs", refs.toString(), "--results",
                    results.toString(), "--out", scores.toString()), spark.masterUrl(), "--executor-memory", "900m");
            assertTrue(score.waitFor(TIMEOUT_S, TimeUnit.SECONDS), "the score run ends");
            assertEquals(1, score.exitValue(), () -> tail(scoreLog));
            assertOneLine(scoreLog, "capeval score: failed: ", "--out " + scores, "No space left on device");
            assertFilesEqual(before, disk, filler, "after the score run that found the disk full");

            Files.delete(filler);
            assertEquals(0, submitSh(work.resolve("disk-night3.log"), leaderboardArgs(refs.toString(), subsLocal.toString(), board.toString(),
                    "2026-11-02").toArray(String[]::new)), () -> tail(work.resolve("disk-night3.log")));
            org.apache.hadoop.fs.Path now = LeaderboardStore.current(board.toUri().toString(), new Configuration());
            assertTrue(now != null && now.getName().endsWith("-2026-11-02"), () -> "with room again the next night publishes: " + now);
        } finally {
            Process umount = new ProcessBuilder("umount", disk.toString()).redirectErrorStream(true).start();
            umount.getInputStream().readAllBytes();
            assertEquals(0, umount.waitFor(), "umount " + disk);
            Files.delete(disk);
        }
    }

    /** Writes zeros into {@code file} until the disk is full, then gives {@code room} bytes back. */
    private static void fill(Path file, long room) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer zeros = java.nio.ByteBuffer.allocate(4096);
            try {
                while (true) {
                    zeros.clear();
                    ch.write(zeros);
                }
            } catch (IOException full) {
                // No space left on device
            }
            ch.truncate(Math.max(0, ch.size() - room));
            ch.force(true);
        }
    }

    /** Every file and directory under {@code dir} (relative path to bytes; directories to nothing). */
    private static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (var all = Files.walk(dir)) {
            for (Path p : all.toList()) m.put(dir.relativize(p).toString(), Files.isDirectory(p) ? new byte[0] : Files.readAllBytes(p));
        }
        return m;
    }

    private static void assertFilesEqual(Map<String, byte[]> want, Path dir, Path except, String when) throws IOException {
        Map<String, byte[]> got = files(dir);
        got.remove(dir.relativize(except).toString());
        assertEquals(want.keySet(), got.keySet(), when + ": the same files, nothing partial left");
        for (String f : want.keySet()) assertArrayEquals(want.get(f), got.get(f), when + ": " + f + " byte-identical");
    }

    /** The log has exactly one line starting with {@code prefix}, and it holds every fragment. */
    private static void assertOneLine(Path log, String prefix, String... fragments) throws IOException {
        List<String> lines = Files.readAllLines(log).stream().filter(l -> l.startsWith(prefix)).toList();
        assertEquals(1, lines.size(), () -> "one line starting with '" + prefix + "'; " + tail(log));
        for (String f : fragments) assertTrue(lines.get(0).contains(f), () -> "the line names '" + f + "': " + lines.get(0));
    }

    private static void signal(Process p, String signal) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor(), "kill -" + signal);
    }

    /** The board's top-level copies by name. */
    private static Map<String, byte[]> copies(String board) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        for (String e : LeaderboardStore.COPIES) m.put(e, readHdfs(board + "/" + e));
        return m;
    }

    private static void assertCopies(Map<String, byte[]> want, String board, String what) throws IOException {
        assertTrue(want != null, "the clean first night ran (test order 4)");
        Map<String, byte[]> got = copies(board);
        for (String e : LeaderboardStore.COPIES) {
            assertArrayEquals(want.get(e), got.get(e), () -> what + ": " + e + " equals a clean night's, byte for byte; " + firstDifference(want.get(e), got.get(e)));
        }
    }

    /** The first line where two texts differ, for failure messages. */
    private static String firstDifference(byte[] want, byte[] got) {
        String[] w = new String(want, java.nio.charset.StandardCharsets.UTF_8).split("\n", -1);
        String[] g = new String(got, java.nio.charset.StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < Math.max(w.length, g.length); i++) {
            String a = i < w.length ? w[i] : "(end)";
            String b = i < g.length ? g[i] : "(end)";
            if (!a.equals(b)) return "line " + (i + 1) + ": want <" + a + "> got <" + b + ">";
        }
        return "no line differs";
    }

    private static List<String> leaderboardArgs(String refsUri, String subsUri, String out, String night) {
        return List.of("leaderboard", "--refs", refsUri, "--submissions", subsUri, "--out", out, "--date", night,
                "--bootstrap-samples", "200");
    }

    /** The newest pointer names a version holding every entry, and the top-level copies equal its files. */
    private static void assertBoardComplete(String board, int pointers) throws IOException {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(board);
        assertEquals(pointers, fs.listStatus(new org.apache.hadoop.fs.Path(root, "_board"),
                p -> p.getName().matches("\\d{20}\\.json")).length, "pointers");
        org.apache.hadoop.fs.Path current = LeaderboardStore.current(fs, fs.makeQualified(root));
        assertTrue(current != null, "a published version");
        for (String e : LeaderboardStore.ENTRIES) assertTrue(fs.exists(new org.apache.hadoop.fs.Path(current, e)), e);
        for (String e : LeaderboardStore.COPIES) {
            assertArrayEquals(readHdfs(current + "/" + e), readHdfs(board + "/" + e), e + " at the top is the current version's");
        }
    }

    private static boolean newVersionBeingWritten(String board) throws IOException {
        org.apache.hadoop.fs.Path current = LeaderboardStore.current(fs, fs.makeQualified(new org.apache.hadoop.fs.Path(board)));
        for (org.apache.hadoop.fs.FileStatus v : fs.listStatus(new org.apache.hadoop.fs.Path(board + "/versions"))) {
            if (!v.getPath().getName().equals(current.getName()) && fs.listStatus(v.getPath()).length > 0) return true;
        }
        return false;
    }

    static byte[] readHdfs(String uri) throws IOException {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(uri))) {
            return in.readAllBytes();
        }
    }

    /** Starts {@code submit.sh args...} (client mode, the project's one-command path) in local mode; the process is the driver. */
    static Process submitShStart(Path log, List<String> args) throws IOException {
        return submitShStart(log, args, Map.of());
    }

    /** The same with more environment variables for submit.sh. */
    static Process submitShStart(Path log, List<String> args, Map<String, String> env) throws IOException {
        return submitShStart(log, args, env, "local[2]");
    }

    /** The same on {@code master}, with more Spark options. */
    static Process submitShStart(Path log, List<String> args, String master, String... sparkOptions) throws IOException {
        return submitShStart(log, args, Map.of(), master, sparkOptions);
    }

    private static Process submitShStart(Path log, List<String> args, Map<String, String> env, String master, String... sparkOptions)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(StockSpark.PROJECT.resolve("submit.sh").toString());
        cmd.addAll(args);
        cmd.addAll(List.of("--master", master));
        cmd.addAll(List.of(sparkOptions));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("CAPEVAL_NO_BUILD", "1");
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Runs {@code submit.sh args...} in local mode; returns the exit status. */
    static int submitSh(Path log, String... args) throws IOException, InterruptedException {
        Process p = submitShStart(log, List.of(args));
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("submit.sh " + String.join(" ", args) + " did not finish; " + tail(log));
        }
        return p.exitValue();
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return "log " + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * A permission denied on the output (s3rver enforces no ACLs, HDFS does): a directory of the
     * superuser's with mode 555, and a run as another user (HADOOP_USER_NAME, simple auth) writing
     * under it. One line naming --out and "permission denied", exit 2, nothing left there.
     */
    @Test
    @Order(20)
    void aPermissionDeniedOnTheOutputIsOneLineNamingTheUri() throws Exception {
        org.apache.hadoop.fs.Path locked = new org.apache.hadoop.fs.Path("/locked");
        fs.mkdirs(locked);
        fs.setPermission(locked, new org.apache.hadoop.fs.permission.FsPermission((short) 0555));
        Path log = work.resolve("permission-denied.log");
        String out = nameNode + "/locked/out";
        ProcessBuilder pb = new ProcessBuilder(StockSpark.PROJECT.resolve("submit.sh").toString(), "score", "--engine", "spark",
                "--refs", nameNode + "/data/refs.json.gz", "--results", nameNode + "/data/results.json.gz", "--out", out,
                "--master", "local[2]").redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(Map.of("SPARK_LOCAL_IP", "127.0.0.1", "CAPEVAL_NO_BUILD", "1", "HADOOP_USER_NAME", "capeval-reader"));
        Process p = pb.start();
        assertTrue(p.waitFor(TIMEOUT_S, TimeUnit.SECONDS), "the run ends");
        assertEquals(2, p.exitValue(), () -> tail(log));
        assertOneLine(log, "capeval score: error: ", "--out " + out, "permission denied");
        assertEquals(0, fs.listStatus(locked).length, "nothing left under the locked directory");
    }
}
