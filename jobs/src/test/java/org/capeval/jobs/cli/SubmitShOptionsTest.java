package org.capeval.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * submit.sh's own checks of the Spark options, made before any JVM starts (so no jar is needed): an
 * option without its value and a memory size the JVM would refuse are usage errors in the job CLIs'
 * format (the line and the hint, exit status 2), not a shell error or the JVM's three lines.
 */
class SubmitShOptionsTest {
    static final Path PROJECT = Path.of(System.getProperty("capeval.projectDir", "..")).toAbsolutePath().normalize();

    @TempDir Path tmp;

    record Result(int status, List<String> err) {}

    Result submit(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", PROJECT.resolve("submit.sh").toString()));
        cmd.addAll(List.of(args));
        Path err = tmp.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(err.toFile());
        pb.environment().put("CAPEVAL_NO_BUILD", "1");
        Process p = pb.start();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), "submit.sh " + String.join(" ", args) + " did not finish");
        String e = Files.readString(err, StandardCharsets.UTF_8);
        return new Result(p.exitValue(), e.isEmpty() ? List.of() : List.of(e.split("\\R")));
    }

    void assertUsageError(String message, String... args) throws Exception {
        Result r = submit(args);
        String what = String.join(" ", args);
        assertEquals(2, r.status(), what + ": " + r.err());
        assertEquals(List.of("submit.sh score: " + message, "Try 'submit.sh score --help' for more information."), r.err(), what);
    }

    @Test
    void aSparkOptionGivenLastWithoutItsValue() throws Exception {
        for (String option : List.of("--master", "--conf", "--name", "--driver-memory", "--executor-memory", "--total-executor-cores",
                "--executor-cores", "--deploy-mode", "--jars", "--files", "--driver-cores")) {
            assertUsageError(option + " needs a value", "score", "--refs", "a", "--results", "b", "--out", tmp.resolve("o").toString(), option);
            assertUsageError(option + " needs a value", "score", "--refs", "a", "--results", "b", option + "=", "--out", tmp.resolve("o").toString());
        }
    }

    @Test
    void aMemorySizeTheJvmWouldRefuse() throws Exception {
        String[] base = {"score", "--refs", "a", "--results", "b", "--out", tmp.resolve("o").toString()};
        String size = " is not a memory size (digits with an optional k, m, g or t, e.g. 4g)";
        assertUsageError("--driver-memory 'lots'" + size, concat(base, "--driver-memory", "lots"));
        assertUsageError("--driver-memory '2gb'" + size, concat(base, "--driver-memory=2gb"));
        assertUsageError("--driver-memory needs a value", concat(base, "--driver-memory="));
        assertUsageError("--executor-memory '1.5g'" + size, concat(base, "--executor-memory", "1.5g"));
        assertUsageError("--executor-memory '1.5g'" + size, concat(base, "--executor-memory=1.5g")); // OPTION=VALUE as spark-submit
        assertUsageError("--conf spark.driver.memory '4 g'" + size, concat(base, "--conf", "spark.driver.memory=4 g"));
        assertUsageError("--conf spark.executor.memory 'x'" + size, concat(base, "--conf", "spark.executor.memory=x"));
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }
}
