package org.capeval.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault test on a real standalone cluster (conf/cluster.sh: a master and two one-core workers,
 * executors in their own JVMs): an executor is killed with SIGKILL while the train job runs;
 * Spark relaunches it and recomputes the lost blocks and tasks, and the final parameters are
 * bit-identical to those of an undisturbed cluster run and of a local[2] run.
 */
class TrainClusterIT {
    private static final String PORT = "7187";

    @TempDir
    Path tmp;

    @Test
    void executorKilledMidTrainingGivesBitIdenticalParameters() throws Exception {
        Path root = Path.of(System.getProperty("capeval.projectDir", ".")).toAbsolutePath();
        assumeTrue(Files.isDirectory(root.resolve("jobs/target/lib")) && Files.exists(root.resolve("conf/cluster.sh")),
                "needs the packaged jobs module (mvn verify) and conf/cluster.sh");
        Path data = SparkTrainTest.writeCsv(tmp.resolve("d.csv"), 10000, 10, 3, 21);
        Path clusterDir = tmp.resolve("cluster");
        List<String> common = List.of("--data", data.toString(), "--model", "mlp:10-16-3", "--optimizer", "adam",
                "--lr", "0.01", "--epochs", "2", "--batch-size", "500", "--partitions", "4", "--checkpoint-every", "5");
        String master = "spark://127.0.0.1:" + PORT;
        try {
            run(root, clusterDir, List.of("conf/cluster.sh", "start"), 120);

            Path local = tmp.resolve("local");
            train(root, clusterDir, "local[2]", local, common).waitFor();
            Path clean = tmp.resolve("clean");
            assertEquals(0, waitFor(train(root, clusterDir, master, clean, common), 600), "undisturbed cluster run failed");

            Path faulty = tmp.resolve("faulty");
            Process p = train(root, clusterDir, master, faulty, common);
            Path checkpoints = faulty.resolve("checkpoints");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
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

            String want = params(clean);
            assertEquals(want, params(faulty), "parameters after a lost executor differ from the undisturbed run");
            assertEquals(want, params(local), "cluster and local[2] parameters differ");
        } finally {
            run(root, clusterDir, List.of("conf/cluster.sh", "stop"), 60);
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

    private static String params(Path out) throws IOException {
        JsonNode model = new ObjectMapper().readTree(out.resolve("model.json").toFile());
        return model.get("params").toString();
    }

    private Process train(Path root, Path clusterDir, String master, Path out, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("./submit.sh", "train", "--master", master, "--out", out.toString()));
        cmd.addAll(args);
        return start(root, clusterDir, cmd, tmp.resolve(out.getFileName() + ".log").toFile());
    }

    private Process start(Path root, Path clusterDir, List<String> cmd, File log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log);
        pb.environment().put("CAPEVAL_MASTER_PORT", PORT);
        pb.environment().put("CAPEVAL_CLUSTER_DIR", clusterDir.toString());
        pb.environment().put("CAPEVAL_NO_BUILD", "1");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private void run(Path root, Path clusterDir, List<String> cmd, int seconds) throws Exception {
        File log = tmp.resolve("cluster-" + cmd.get(1) + ".log").toFile();
        assertEquals(0, waitFor(start(root, clusterDir, cmd, log), seconds), String.join(" ", cmd) + ": " + log);
    }

    private static int waitFor(Process p, int seconds) throws InterruptedException {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
