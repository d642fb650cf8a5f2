package org.capeval.jobs;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import org.apache.spark.deploy.SparkSubmit;
import org.capeval.jobs.score.ScoreJob;

/**
 * submit.sh's entry point. It receives spark-submit's arguments (option/value pairs such as
 * {@code --master URL}, {@code --conf k=v}, {@code --properties-file F}, then the application jar,
 * the job and the job's arguments) and hands them to {@link SparkSubmit}, except for a
 * {@code score} run that will not use Spark (the local engine, see {@code ScoreJob.isLocal}): that
 * one runs {@link Main} directly, because SparkSubmit's own start-up costs about a second, which
 * is a large share of scoring a set like val2014 in one JVM.
 */
public final class Launcher {
    private Launcher() {}

    /**
     * {@code Launcher ARGS...} runs the job; {@code Launcher --print-engine ARGS...} only prints
     * {@code local} or {@code spark}, the engine the same ARGS would use (submit.sh asks first, to
     * start the local engine's JVM with flags for short runs).
     */
    public static void main(String[] argv) throws Exception {
        if (argv.length > 0 && argv[0].equals("--print-engine")) {
            System.out.println(withoutSpark(Arrays.copyOfRange(argv, 1, argv.length)) != null ? "local" : "spark");
            return;
        }
        String[] job = withoutSpark(argv);
        if (job != null) {
            Main.main(job);
        } else {
            SparkSubmit.main(argv);
        }
    }

    /**
     * The job and its arguments when they run in this JVM without SparkSubmit (setting
     * {@code spark.master} as SparkSubmit would), else null.
     */
    private static String[] withoutSpark(String[] argv) throws IOException {
        String master = null;
        String propertiesFile = null;
        int i = 0;
        while (i + 1 < argv.length && argv[i].startsWith("--")) {
            switch (argv[i]) {
                case "--master" -> master = argv[i + 1];
                case "--properties-file" -> propertiesFile = argv[i + 1];
                case "--conf" -> {
                    if (argv[i + 1].startsWith("spark.master=")) {
                        master = argv[i + 1].substring("spark.master=".length());
                    }
                }
                default -> { }
            }
            i += 2;
        }
        if (master == null) {
            master = masterFrom(propertiesFile);
        }
        // argv[i] is the application jar, argv[i + 1] the job
        if (i + 1 < argv.length && argv[i + 1].equals("score")
                && ScoreJob.runsWithoutSpark(Arrays.copyOfRange(argv, i + 2, argv.length), master)) {
            System.setProperty("spark.master", master);
            return Arrays.copyOfRange(argv, i + 1, argv.length);
        }
        return null;
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
