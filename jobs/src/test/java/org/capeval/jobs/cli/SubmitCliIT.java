package org.capeval.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * {@code submit.sh} with the packaged jars, as a user runs it: help, --version and a usage error
 * come from its first JVM (no Spark, no JVM warning before the error's two lines). The time of
 * {@code submit.sh score --help} is printed, not asserted (the machine may be loaded).
 */
class SubmitCliIT {
    static final Path PROJECT = Path.of(System.getProperty("capeval.projectDir", "..")).toAbsolutePath().normalize();

    @TempDir Path tmp;

    record Result(int status, String out, List<String> err, double seconds) {}

    Result submit(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PROJECT.resolve("submit.sh").toString()));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("CAPEVAL_NO_BUILD", "1");
        long t0 = System.nanoTime();
        Process p = pb.start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "submit.sh " + String.join(" ", args) + " did not finish");
        double seconds = (System.nanoTime() - t0) / 1e9;
        String e = Files.readString(err, StandardCharsets.UTF_8);
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), e.isEmpty() ? List.of() : List.of(e.split("\\R")),
                seconds);
    }

    @Test
    void helpVersionAndUsageErrors() throws Exception {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"score", "--help"}, new String[] {"leaderboard", "--help"},
                new String[] {"train", "--help"}, new String[] {"generate", "--help"})) {
            Result r = submit(args);
            assertEquals(0, r.status(), String.join(" ", args) + ": " + r.err());
            assertEquals(List.of(), r.err(), String.join(" ", args));
            for (String option : CliTest.SPARK_OPTIONS) {
                assertTrue(r.out().contains(option), String.join(" ", args) + " must list " + option);
            }
        }
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            times.add(submit("score", "--help").seconds());
        }
        System.out.println("submit.sh score --help: " + times.stream().map(s -> String.format("%.2f s", s)).toList());

        Result version = submit("--version");
        assertEquals(0, version.status());
        assertEquals("capeval " + Signature.version(), version.out().strip());

        Result bad = submit("score", "--master", "local[2]", "--refz", "r.json", "--results", "c.json", "--out", tmp.resolve("o").toString());
        assertEquals(2, bad.status());
        assertEquals(List.of("submit.sh score: unknown option '--refz'; did you mean --refs?",
                "Try 'submit.sh score --help' for more information."), bad.err());
        assertEquals("", bad.out());

        // --prepare-cds makes the Spark driver's archive from the bundled examples only: anything more is an error
        Result cds = submit("--prepare-cds", "score");
        assertEquals(2, cds.status());
        assertEquals(List.of("submit.sh: --prepare-cds takes no arguments"), cds.err());
        assertEquals("", cds.out());

        Result none = submit();
        assertEquals(2, none.status());
        assertEquals(List.of("submit.sh: no job given (one of score, leaderboard, train, generate)",
                "Try 'submit.sh --help' for more information."), none.err());
    }
}
