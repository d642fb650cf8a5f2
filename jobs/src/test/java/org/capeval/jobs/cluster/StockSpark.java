package org.capeval.jobs.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user's Spark, as far as capeval can tell: a standalone master and workers (conf/cluster.sh,
 * separate JVMs) whose classpath is only Spark's own jars (jobs/target/lib, the provided
 * dependencies: what a Spark 4.2 distribution has in jars/), and a stock SparkSubmit on the same
 * jars that submits the application jar, jobs/target/capeval-VERSION-spark.jar.
 */
public final class StockSpark implements AutoCloseable {
    static final Path PROJECT = Path.of(System.getProperty("capeval.projectDir", "..")).toAbsolutePath().normalize();
    static final Path LIB = PROJECT.resolve("jobs/target/lib");

    final int port;
    /** Where conf/cluster.sh keeps the cluster's pids, logs and worker directories (APP/EXECUTOR/stderr). */
    public final Path dir;

    private StockSpark(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /** Starts a master and {@code workers} one-core workers on a free port (a developer's own cluster on 7077 is never touched). */
    public static StockSpark start(Path dir, int workers) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        StockSpark c = new StockSpark(port, dir);
        Files.createDirectories(dir);
        int status = c.script("start", workers);
        if (status != 0) {
            c.close(); // what did start is stopped again
            fail("conf/cluster.sh start failed (" + status + "); see " + dir);
        }
        return c;
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    /** The executor JVMs the workers launched (their children). */
    public List<ProcessHandle> executors() throws IOException {
        List<ProcessHandle> out = new ArrayList<>();
        try (var pids = Files.newDirectoryStream(dir, "worker-*.pid")) {
            for (Path pidFile : pids) {
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).ifPresent(worker -> worker.children()
                        .filter(ch -> ch.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                        .forEach(out::add));
            }
        }
        return out;
    }

    /**
     * The executor JVMs that have finished a task, as their log says (the worker's
     * {@code APP/ID/stderr}): registered with the driver and holding some of the job's blocks.
     */
    List<ProcessHandle> executorsThatRanATask() throws IOException {
        List<ProcessHandle> out = new ArrayList<>();
        for (ProcessHandle e : executors()) {
            String cmd = e.info().commandLine().orElse("");
            Matcher app = Pattern.compile("--app-id (\\S+)").matcher(cmd);
            Matcher id = Pattern.compile("--executor-id (\\S+)").matcher(cmd);
            if (!app.find() || !id.find()) continue;
            try (var workers = Files.newDirectoryStream(dir, "worker-*")) {
                for (Path w : workers) {
                    Path log = w.resolve(app.group(1)).resolve(id.group(1)).resolve("stderr");
                    if (Files.isRegularFile(log) && Files.readString(log).contains("Finished task")) out.add(e);
                }
            }
        }
        return out;
    }

    static Path applicationJar() throws IOException {
        Matcher m = Pattern.compile("<version>([^<]+)</version>").matcher(Files.readString(PROJECT.resolve("pom.xml")));
        if (!m.find()) fail("no <version> in pom.xml");
        Path jar = PROJECT.resolve("jobs/target/capeval-" + m.group(1) + "-spark.jar");
        if (!Files.isRegularFile(jar)) fail(jar + " missing: run mvn package first");
        return jar;
    }

    static String moduleFlags() throws IOException {
        Matcher m = Pattern.compile("<spark.module.flags>([^<]+)</spark.module.flags>").matcher(Files.readString(PROJECT.resolve("pom.xml")));
        if (!m.find()) fail("no <spark.module.flags> in pom.xml");
        return m.group(1).trim();
    }

    /**
     * {@code spark-submit --master M --deploy-mode cluster --class org.capeval.jobs.Main APP_JAR args...}
     * with Spark's jars only (no capeval class on SparkSubmit's classpath), waiting for the driver.
     */
    Process submitCluster(Path log, List<String> sparkConf, List<String> jobArgs) throws IOException {
        String flags = moduleFlags();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(flags.split(" ")));
        cmd.addAll(List.of("-Xmx256m", "-cp", LIB + "/*", "org.apache.spark.deploy.SparkSubmit",
                "--master", masterUrl(), "--deploy-mode", "cluster", "--class", "org.capeval.jobs.Main",
                "--driver-memory", "900m", "--executor-memory", "900m",
                "--conf", "spark.standalone.submit.waitAppCompletion=true",
                "--conf", "spark.driver.extraJavaOptions=" + flags,
                "--conf", "spark.executor.extraJavaOptions=" + flags,
                "--conf", "spark.ui.enabled=false", "--conf", "spark.ui.showConsoleProgress=false"));
        for (String c : sparkConf) cmd.addAll(List.of("--conf", c));
        cmd.add(applicationJar().toString());
        cmd.addAll(jobArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    /**
     * Runs {@link #submitCluster} to the end: 0 when the driver finished, else 1 (a standalone
     * cluster-mode spark-submit exits 0 whatever the driver's fate, logging "State of driver ... is X").
     */
    int runCluster(Path log, List<String> sparkConf, List<String> jobArgs, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = submitCluster(log, sparkConf, jobArgs);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("spark-submit " + jobArgs + " did not finish in " + timeoutSeconds + " s; " + driverLogs());
        }
        if (p.exitValue() != 0) return p.exitValue();
        return Pattern.compile("State of driver \\S+ is FINISHED").matcher(Files.readString(log)).find() ? 0 : 1;
    }

    /** The stderr of the newest driver the workers ran (cluster deploy mode), for failure messages. */
    String driverLogs() {
        try (var s = Files.walk(dir)) {
            List<Path> logs = s.filter(p -> p.getFileName().toString().equals("stderr") && p.getParent().getFileName().toString().startsWith("driver-"))
                    .sorted((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified())).toList();
            if (logs.isEmpty()) return "no driver log under " + dir;
            List<String> lines = Files.readAllLines(logs.get(logs.size() - 1));
            return "driver log " + logs.get(logs.size() - 1) + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(cannot read driver logs: " + e + ")";
        }
    }

    private int script(String command, int workers) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(PROJECT.resolve("conf/cluster.sh").toString(), command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("cluster.sh.log").toFile()));
        pb.environment().put("CAPEVAL_MASTER_PORT", Integer.toString(port));
        pb.environment().put("CAPEVAL_CLUSTER_DIR", dir.toString());
        pb.environment().put("CAPEVAL_WORKERS", Integer.toString(workers));
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        script("stop", 0);
    }
}
