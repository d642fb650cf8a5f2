package org.capeval.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault tests on a real standalone cluster (conf/cluster.sh: a master and two one-core workers,
 * executors in their own JVMs), one cluster for the class. An executor killed with SIGKILL while
 * the train job runs: Spark relaunches it and recomputes the lost blocks and tasks, and the final
 * parameters and loss curve are bit-identical to those of an undisturbed cluster run and of a
 * local[2] run. The driver killed with SIGKILL while it writes a checkpoint: the previous checkpoint
 * is intact, and {@code --resume} ends bit-identical to an uninterrupted run.
 */
class TrainClusterIT {
    private static String port;
    private static String master;

    @TempDir
    static Path tmp;
    private static Path root;
    private static Path clusterDir;

    @BeforeAll
    static void startCluster() throws Exception {
        root = Path.of(System.getProperty("capeval.projectDir", ".")).toAbsolutePath();
        assumeTrue(Files.isDirectory(root.resolve("jobs/target/lib")) && Files.exists(root.resolve("conf/cluster.sh")),
                "needs the packaged jobs module (mvn verify) and conf/cluster.sh");
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) { // never a developer's cluster, nor another build's
            port = Integer.toString(free.getLocalPort());
        }
        master = "spark://127.0.0.1:" + port;
        clusterDir = tmp.resolve("cluster");
        run(List.of("conf/cluster.sh", "start"), 300); // generous: the machine may be loaded
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (clusterDir != null) {
            run(List.of("conf/cluster.sh", "stop"), 120);
        }
    }

    @Test
    void executorKilledMidTrainingGivesBitIdenticalParameters() throws Exception {
        Path data = SparkTrainTest.writeCsv(tmp.resolve("d.csv"), 10000, 10, 3, 21);
        List<String> common = List.of("--data", data.toString(), "--model", "mlp:10-16-3", "--optimizer", "adam",
                "--lr", "0.01", "--epochs", "2", "--batch-size", "500", "--partitions", "4", "--checkpoint-every", "5");

        Path local = tmp.resolve("local");
        assertEquals(0, waitFor(train("local[2]", local, common), 600), "local[2] run failed");
        Path clean = tmp.resolve("clean");
        assertEquals(0, waitFor(train(master, clean, common), 600), "undisturbed cluster run failed");

        Path faulty = tmp.resolve("faulty");
        Process p = train(master, faulty, common);
        Path checkpoints = faulty.resolve("checkpoints");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (!hasCheckpoint(checkpoints) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(p.isAlive(), "the run finished before an executor could be killed");
        ProcessHandle executor = executorOf(clusterDir.resolve("worker-1.pid"))
                .or(() -> executorOf(clusterDir.resolve("worker-2.pid")))
                .orElseThrow(() -> new AssertionError("no executor JVM under the workers"));
        assertTrue(executor.destroyForcibly(), "could not kill executor " + executor.pid());
        assertEquals(0, waitFor(p, 600), "the run with a killed executor failed");
        String log = Files.readString(tmp.resolve("faulty.log"));
        assertTrue(log.contains("Lost executor"), "the driver did not notice the lost executor:\n" + log);

        assertSameResult(clean, faulty, "after a lost executor, against the undisturbed run");
        assertSameResult(clean, local, "cluster against local[2]");
    }

    /**
     * A model of 31k parameters, so that a checkpoint (parameters and Adam's two buffers, ~2 MB of
     * JSON) takes long enough to write that the driver can be caught inside the write, and whose
     * products are large enough for BLAS (the native one on the driver of the local[2] run and on
     * the executors alike): the test
     * waits for a checkpoint's temporary file (one with a checkpoint before it), kills the driver at
     * once, and checks that the kill landed before the rename (when the rename won the race, it
     * resumes and catches a later checkpoint).
     */
    @Test
    void driverKilledWhileWritingACheckpointResumesBitIdentical() throws Exception {
        Path data = SparkTrainTest.writeCsv(tmp.resolve("wide.csv"), 400, 50, 2, 5);
        List<String> common = List.of("--data", data.toString(), "--model", "mlp:50-600-2", "--optimizer", "adam",
                "--lr", "0.001", "--epochs", "2", "--batch-size", "100", "--partitions", "2", "--checkpoint-every", "1");
        Path whole = tmp.resolve("whole");
        assertEquals(0, waitFor(train("local[2]", whole, common), 600), "uninterrupted run failed");

        Path killed = tmp.resolve("killed");
        Path checkpoints = killed.resolve("checkpoints");
        List<String> resume = new ArrayList<>(common);
        resume.add("--resume");
        Process driver = train(master, killed, common);
        String kept = null;
        int tooLate = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (kept == null) {
            Process d = driver;
            assertTrue(driver.isAlive() && System.nanoTime() < deadline,
                    () -> "did not catch the driver writing a checkpoint; " + tail(tmp.resolve("killed.log")) + d.info());
            Optional<Path> writing = hidden(checkpoints);
            String target = writing.map(w -> w.getFileName().toString().replaceFirst("^\\.", "").replaceFirst("\\.tmp$", "")).orElse(null);
            List<Path> done = target == null ? List.of() : complete(checkpoints);
            // a checkpoint being written with the previous one in place (not the first, nor one already renamed)
            if (done.size() != 1 || done.get(0).getFileName().toString().equals(target)) {
                Thread.sleep(1);
                continue;
            }
            driver.destroyForcibly(); // SIGKILL: submit.sh execs the driver JVM
            driver.waitFor();
            if (!Files.exists(checkpoints.resolve(target))) {
                kept = done.get(0).getFileName().toString();
            } else { // the rename won the race against the signal: resume, and catch a later checkpoint
                assertTrue(++tooLate < 3, "three kills landed after the checkpoint's rename");
                driver = train(master, killed, resume, "killed-" + tooLate);
            }
        }
        // the previous checkpoint is complete and still the newest visible one; the new one is only the hidden file
        assertEquals(List.of(checkpoints.resolve(kept)), complete(checkpoints), "only the previous checkpoint is visible");
        Checkpoint previous = Checkpoint.fromJson(Files.readString(checkpoints.resolve(kept)), kept);
        assertEquals(Long.parseLong(kept.replaceAll("\\D", "")), previous.step, "the previous checkpoint reads back whole");
        assertFalse(Files.exists(killed.resolve("model.json")), "no model from a killed run");

        assertEquals(0, waitFor(train(master, killed, resume, "resumed"), 600), () -> "the resumed run failed; " + tail(tmp.resolve("resumed.log")));
        String from = "resuming from step " + previous.step + " ";
        assertTrue(Files.readString(tmp.resolve("resumed.log")).contains(from), () -> from + "expected; " + tail(tmp.resolve("resumed.log")));
        assertSameResult(whole, killed, "after a driver killed mid-checkpoint and --resume, against an uninterrupted run");
    }

    /** Parameters, final loss and the loss curve files, to the bit. */
    private static void assertSameResult(Path want, Path got, String what) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode w = json.readTree(want.resolve("model.json").toFile());
        JsonNode g = json.readTree(got.resolve("model.json").toFile());
        JsonNode wp = w.get("params");
        JsonNode gp = g.get("params");
        assertEquals(wp.size(), gp.size(), "number of parameters " + what);
        for (int i = 0; i < wp.size(); i++) {
            int at = i;
            assertEquals(wp.get(i), gp.get(i), () -> "parameter " + at + " of " + wp.size() + " " + what);
        }
        assertEquals(w.get("training").get("finalLoss"), g.get("training").get("finalLoss"), "final loss " + what);
        for (String f : List.of("loss.csv", "loss.json")) {
            assertArrayEquals(Files.readAllBytes(want.resolve(f)), Files.readAllBytes(got.resolve(f)), f + " " + what);
        }
    }

    /** A checkpoint being written: its hidden temporary file (OutputDir writes .NAME.tmp, then renames). */
    private static Optional<Path> hidden(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().matches("\\.step-\\d+\\.json\\.tmp")).findFirst();
        } catch (java.io.UncheckedIOException e) {
            return Optional.empty(); // a file went away while listing
        }
    }

    private static List<Path> complete(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().matches("step-\\d+\\.json")).sorted().toList();
        }
    }

    private static boolean hasCheckpoint(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var s = Files.list(dir)) {
            return s.anyMatch(f -> f.getFileName().toString().startsWith("step-"));
        }
    }

    /** An executor JVM: a child of the worker whose pid is in the file. */
    private static Optional<ProcessHandle> executorOf(Path workerPid) {
        if (!Files.exists(workerPid)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(workerPid).trim());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ProcessHandle.of(pid).flatMap(w -> w.children()
                .filter(c -> c.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend")).findFirst());
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return "log " + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static Process train(String master, Path out, List<String> args) throws IOException {
        return train(master, out, args, out.getFileName().toString());
    }

    private static Process train(String master, Path out, List<String> args, String logName) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("./submit.sh", "train", "--master", master, "--out", out.toString()));
        cmd.addAll(args);
        return start(cmd, tmp.resolve(logName + ".log").toFile());
    }

    private static Process start(List<String> cmd, File log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log);
        pb.environment().put("CAPEVAL_MASTER_PORT", port);
        pb.environment().put("CAPEVAL_CLUSTER_DIR", clusterDir.toString());
        pb.environment().put("CAPEVAL_NO_BUILD", "1");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private static void run(List<String> cmd, int seconds) throws Exception {
        File log = tmp.resolve("cluster-" + cmd.get(1) + ".log").toFile();
        assertEquals(0, waitFor(start(cmd, log), seconds), String.join(" ", cmd) + ": " + log);
    }

    private static int waitFor(Process p, int seconds) throws InterruptedException {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
