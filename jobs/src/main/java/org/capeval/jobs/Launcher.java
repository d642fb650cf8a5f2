package org.capeval.jobs;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import org.apache.spark.deploy.SparkSubmit;
import org.capeval.jobs.cli.Cli;

/**
 * submit.sh's entry point. It receives spark-submit's arguments (option/value pairs such as
 * {@code --master URL}, {@code --conf k=v}, {@code --properties-file F}, then the application jar,
 * the job and the job's arguments) and hands them to {@link SparkSubmit} only when the job needs
 * Spark: help, --version and usage errors are answered here, and a job that runs without Spark
 * (score's local engine, generate) runs here, because SparkSubmit's own start-up costs about a
 * second, a large share of scoring a set like val2014 in one JVM.
 *
 * <p>{@code Launcher --front ARGS...} does the same but exits with {@link Cli#NEEDS_SPARK} instead
 * of starting SparkSubmit ({@link Cli#NEEDS_SPARK_SHORT} for a short run): submit.sh starts this JVM
 * first, with the flags of a short run, and a driver JVM with Spark's flags only on that answer.
 *
 * <p>With {@code --deploy-mode cluster} the driver runs on the cluster, which may not see this
 * machine's files: only help and --version are answered here; everything else goes to SparkSubmit
 * as given (the job's options are checked by the driver, on the cluster).
 */
public final class Launcher {
    private static final String LOGGER_CONTEXT_FACTORY = "log4j2.loggerContextFactory";

    private Launcher() {}

    public static void main(String[] argv) throws IOException {
        boolean front = argv.length > 0 && argv[0].equals("--front");
        if (front && System.getProperty(LOGGER_CONTEXT_FACTORY) == null) {
            // This JVM never runs Spark. Hadoop's file system, which the local engine writes
            // through, would start log4j-core and read its configuration: ~0.25 s of a val2014 run
            // (BENCHMARKS.md). log4j-api's simple logger prints third-party errors to stderr
            // without it; their warnings are not shown in this JVM.
            System.setProperty(LOGGER_CONTEXT_FACTORY, "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        }
        String[] submit = front ? Arrays.copyOfRange(argv, 1, argv.length) : argv;
        String master = null;
        String propertiesFile = null;
        boolean clusterDeploy = false;
        int i = 0;
        while (i + 1 < submit.length && submit[i].startsWith("--")) {
            switch (submit[i]) {
                case "--master" -> master = submit[i + 1];
                case "--properties-file" -> propertiesFile = submit[i + 1];
                case "--deploy-mode" -> clusterDeploy = submit[i + 1].equals("cluster");
                case "--conf" -> {
                    if (submit[i + 1].startsWith("spark.master=")) {
                        master = submit[i + 1].substring("spark.master=".length());
                    } else if (submit[i + 1].equals("spark.submit.deployMode=cluster")) {
                        clusterDeploy = true;
                    }
                }
                default -> { }
            }
            i += 2;
        }
        // submit[i] is the application jar, then the job and its arguments
        String[] job = Arrays.copyOfRange(submit, Math.min(i + 1, submit.length), submit.length);
        if (clusterDeploy && !asksForHelp(job)) {
            if (front) System.exit(Cli.NEEDS_SPARK);
            SparkSubmit.main(submit);
            return;
        }
        int code = Cli.run(job, master != null ? master : masterFrom(propertiesFile), Cli.Mode.RUN_WITHOUT_SPARK);
        if (Cli.needsSpark(code) && !front) {
            SparkSubmit.main(submit);
        } else if (code != 0) {
            System.exit(code);
        }
    }

    private static boolean asksForHelp(String[] job) {
        if (job.length == 0) return true;
        for (String a : job) {
            if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) return true;
        }
        return false;
    }

    /** spark.master from the properties file, else spark-submit's default. */
    private static String masterFrom(String propertiesFile) throws IOException {
        if (propertiesFile != null && Files.isRegularFile(Path.of(propertiesFile))) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(Path.of(propertiesFile), StandardCharsets.UTF_8)) {
                p.load(r);
            }
            String m = p.getProperty("spark.master");
            if (m != null) {
                return m.trim();
            }
        }
        return "local[*]";
    }
}
