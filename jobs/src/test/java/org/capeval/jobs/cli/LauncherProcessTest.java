package org.capeval.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.capeval.metrics.Signature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code org.capeval.jobs.Launcher} in a JVM of its own, with the arguments submit.sh gives it:
 * the real exit statuses, and no Spark class loaded for help, --version or a usage error.
 */
class LauncherProcessTest {
    @TempDir Path tmp;

    record Result(int status, String out, List<String> err, String classesLoaded, double seconds) {}

    /** {@code java Launcher [--front] <spark-submit options> JAR <job args>}, its classes logged. */
    Result launch(boolean front, String... jobArgs) throws IOException, InterruptedException {
        return launch(List.of(), front ? List.of("--front") : List.of(), List.of(jobArgs));
    }

    /** {@code java JVM_FLAGS Launcher LAUNCHER_ARGS --driver-memory 1g JAR <job args>}, its classes logged. */
    Result launch(List<String> jvmFlags, List<String> launcherArgs, List<String> jobArgs) throws IOException, InterruptedException {
        Path classes = tmp.resolve("classes-" + System.nanoTime() + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-Xlog:class+load:file=" + classes, "-cp", System.getProperty("java.class.path"), "org.capeval.jobs.Launcher"));
        cmd.addAll(launcherArgs);
        cmd.addAll(List.of("--class", "org.capeval.jobs.Main", "--driver-memory", "1g", "capeval-jobs.jar"));
        cmd.addAll(jobArgs);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "Launcher " + String.join(" ", cmd) + " did not finish");
        double seconds = (System.nanoTime() - t0) / 1e9;
        String e = Files.readString(err, StandardCharsets.UTF_8);
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), e.isEmpty() ? List.of() : List.of(e.split("\\R")),
                Files.readString(classes), seconds);
    }

    static void noSpark(Result r, String what) {
        assertFalse(r.classesLoaded().contains("org.apache.spark."), what + " loaded Spark classes");
    }

    @Test
    void helpVersionAndUsageErrorsNeverStartSpark() throws Exception {
        for (String job : CliTest.JOBS) {
            Result r = launch(false, job, "--help");
            assertEquals(0, r.status(), job + " --help: " + r.err());
            assertTrue(r.out().contains("--master URL"), r.out());
            noSpark(r, job + " --help");
            System.out.printf("Launcher %s --help: %.2f s (a JVM of its own, test classpath)%n", job, r.seconds());
        }
        Result version = launch(false, "--version");
        assertEquals(0, version.status());
        assertEquals("capeval " + Signature.version(), version.out().strip());
        noSpark(version, "--version");

        Result bad = launch(false, "score", "--refs", "r.json", "--results", "c.json", "--out", "o", "--refz", "x");
        assertEquals(2, bad.status());
        assertEquals(List.of("submit.sh score: unknown option '--refz'; did you mean --refs?",
                "Try 'submit.sh score --help' for more information."), bad.err());
        noSpark(bad, "a usage error");

        Result badConf = launch(List.of(), List.of("--front", "--conf", "spark.ui.enabled"), List.of("score", "--refs", "r.json"));
        assertEquals(2, badConf.status());
        assertEquals(List.of("submit.sh score: --conf 'spark.ui.enabled': a Spark property is given as KEY=VALUE",
                "Try 'submit.sh score --help' for more information."), badConf.err());
        noSpark(badConf, "a --conf without '='");

        Result none = launch(false);
        assertEquals(2, none.status());
        assertEquals(2, none.err().size(), String.join("\n", none.err()));
        noSpark(none, "no job");
    }

    @Test
    void aMasterSparkSubmitRefusesIsAUsageError() throws Exception {
        Path examples = Path.of(System.getProperty("capeval.projectDir", "..")).resolve("examples");
        Result r = launch(List.of(), List.of("--checked", "--master", "bogus://x"), List.of("score", "--refs",
                examples.resolve("refs.json").toString(), "--results", examples.resolve("results.json").toString(), "--out",
                tmp.resolve("o").toString(), "--engine", "spark"));
        assertEquals(2, r.status(), String.join("\n", r.err()));
        List<String> ours = r.err().stream().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        assertEquals(List.of("submit.sh score: Master must either be yarn or start with spark, k8s, or local",
                "Try 'submit.sh score --help' for more information."), ours);
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void frontJvmHandsSparkJobsBack() throws Exception {
        Result r = launch(true, "train", "--data", "d.csv", "--model", "logistic:2", "--out", tmp.resolve("m").toString());
        assertEquals(Cli.NEEDS_SPARK, r.status(), String.join("\n", r.err()));
        assertEquals("", r.out());
        noSpark(r, "the front JVM of a Spark job");
    }

    @Test
    void aLocalSparkRunStartsWithoutSparkSubmitAndScoresAsTheLocalEngine() throws Exception {
        Path examples = Path.of(System.getProperty("capeval.projectDir", "..")).resolve("examples");
        List<String> inputs = List.of("score", "--refs", examples.resolve("refs.json").toString(), "--results",
                examples.resolve("results.json").toString(), "--metrics", "bleu,rouge,cider", "--out");
        // this JVM's flags are Surefire's argLine: Spark's module flags
        List<String> sparkFlags = new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments());
        sparkFlags.removeIf(f -> f.startsWith("-Xmx") || f.startsWith("-javaagent") || f.startsWith("-D"));
        List<String> spark = new ArrayList<>(inputs);
        spark.addAll(List.of(tmp.resolve("spark").toString(), "--engine", "spark"));
        // as submit.sh starts the driver once its front JVM has answered "needs Spark"
        Result r = launch(sparkFlags, List.of("--checked", "--master", "local[1]", "--conf", "spark.ui.enabled=false"), spark);
        assertEquals(0, r.status(), String.join("\n", r.err()));
        assertTrue(r.classesLoaded().contains(" org.apache.spark.SparkContext "), "the job ran on Spark");
        assertFalse(r.classesLoaded().contains(" org.apache.spark.deploy.SparkSubmit "), "SparkSubmit was started for a local master");

        List<String> local = new ArrayList<>(inputs);
        local.addAll(List.of(tmp.resolve("local").toString(), "--engine", "local"));
        Result l = launch(false, local.toArray(String[]::new));
        assertEquals(0, l.status(), String.join("\n", l.err()));
        assertEquals(Files.readString(tmp.resolve("local/eval.json")), Files.readString(tmp.resolve("spark/eval.json")));
    }
}
