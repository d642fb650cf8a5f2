package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real Spark standalone cluster (master + 2 workers, separate JVMs) started with conf/cluster.sh. */
final class LocalCluster implements AutoCloseable {
    final int port;
    final Path dir;

    private LocalCluster(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /** Starts a cluster on a free port (so a developer's own cluster on 7077 is never touched). */
    static LocalCluster start(Path dir) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        LocalCluster c = new LocalCluster(port, dir);
        assertEquals(0, c.script("start"), () -> "conf/cluster.sh start failed; see " + dir);
        return c;
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    /** The executor JVMs the workers launched (their children). */
    List<ProcessHandle> executors() throws IOException {
        List<ProcessHandle> out = new ArrayList<>();
        try (var pids = Files.newDirectoryStream(dir, "worker-*.pid")) {
            for (Path pidFile : pids) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                ProcessHandle.of(pid).ifPresent(worker -> worker.children()
                    .filter(ch -> ch.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                    .forEach(out::add));
            }
        }
        return out;
    }

    private int script(String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Submit.PROJECT.resolve("conf/cluster.sh").toString(), command)
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("cluster.sh.log").toFile()));
        Files.createDirectories(dir);
        pb.environment().put("CAPEVAL_MASTER_PORT", Integer.toString(port));
        pb.environment().put("CAPEVAL_CLUSTER_DIR", dir.toString());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        script("stop");
    }
}
