package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.capeval.jobs.gen.CaptionGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Through submit.sh as a user runs it: each kind of bad input a user meets ends in exit
 * status 2 and exactly one error line naming the option, the path and, where it applies, the
 * record — on both score engines and in train — with no stack trace and no executor log before
 * it. With --verbose the stack trace follows the line.
 */
class FailureLinesIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @TempDir static Path work;
    private static Path refs;
    private static Path results;

    @BeforeAll
    static void generate() throws IOException {
        refs = work.resolve("refs.json");
        results = work.resolve("results.json");
        new CaptionGenerator(5).write(300, 5, refs, results);
    }

    /** Runs submit.sh; asserts exit 2, one "error:" line with every fragment, no stack trace or executor log. */
    private static String failsInOneLine(String name, List<String> args, String... fragments) throws Exception {
        Submit.Result r = Submit.run(work.resolve(name + ".log"), TIMEOUT, args.toArray(new String[0]));
        List<String> lines = r.log().lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        assertEquals(2, r.exit(), () -> name + ": exit status, log:\n" + r.log());
        List<String> errors = lines.stream().filter(l -> l.contains(": error: ")).toList();
        assertEquals(1, errors.size(), () -> name + ": one error line, log:\n" + r.log());
        for (String f : fragments) {
            assertTrue(errors.get(0).contains(f), () -> name + ": the line must mention '" + f + "': " + errors.get(0));
        }
        assertFalse(r.log().contains("\tat "), () -> name + ": a stack trace, log:\n" + r.log());
        assertFalse(r.log().contains("ERROR Executor") || r.log().contains("TaskSetManager"), () -> name + ": executor log, log:\n" + r.log());
        return errors.get(0);
    }

    private static List<String> score(String engine, String name, String... extra) {
        List<String> a = new ArrayList<>(List.of("score", "--engine", engine, "--out", work.resolve(name + "-out").toString()));
        a.addAll(Arrays.asList(extra));
        return a;
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "spark"})
    void scoreInputsInOneLine(String engine) throws Exception {
        Path missing = work.resolve("missing.json");
        failsInOneLine("missing-" + engine, score(engine, "missing-" + engine, "--refs", refs.toString(), "--results", missing.toString()),
                "--results", missing.toString(), "no such file");
        Path dir = Files.createDirectories(work.resolve("a-directory"));
        failsInOneLine("dir-" + engine, score(engine, "dir-" + engine, "--refs", dir.toString(), "--results", results.toString()),
                "--refs", dir.toString(), "is a directory");
        failsInOneLine("same-" + engine, score(engine, "same-" + engine, "--refs", refs.toString(), "--results", refs.toString()),
                "--results " + refs, "the same file as --refs");
        Path idf = Files.writeString(work.resolve("not.idf"), "hello");
        failsInOneLine("idf-" + engine, score(engine, "idf-" + engine, "--refs", refs.toString(), "--results", results.toString(),
                "--idf", idf.toString()), "--idf", "not.idf", "--save-idf");
        Path gz = work.resolve("cut.json.gz");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(Files.readAllBytes(results));
        }
        Files.write(gz, Arrays.copyOf(bytes.toByteArray(), bytes.size() / 2));
        failsInOneLine("gz-" + engine, score(engine, "gz-" + engine, "--refs", refs.toString(), "--results", gz.toString()),
                "--results", "cut.json.gz", "results[", "truncated or corrupt gzip");
    }

    @Test
    void verbosePrintsTheStackTraceAfterTheLine() throws Exception {
        Submit.Result r = Submit.run(work.resolve("verbose.log"), TIMEOUT, "score", "--engine", "local", "--refs", refs.toString(),
                "--results", work.resolve("nope.json").toString(), "--out", work.resolve("verbose-out").toString(), "--verbose");
        assertEquals(2, r.exit(), r.log());
        int line = r.log().indexOf("error: --results");
        assertTrue(line >= 0 && r.log().indexOf("\tat ", line) > line, r.log());
    }

    @Test
    void trainInputsInOneLine() throws Exception {
        Path csv = work.resolve("d.csv");
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 100; i++) s.append(i % 2).append(',').append(i * 0.01).append(',').append(i == 77 ? "x" : "0.5").append('\n');
        Files.writeString(csv, s);
        Path out = work.resolve("train-out");
        failsInOneLine("train-missing", List.of("train", "--data", work.resolve("nope.csv").toString(), "--model", "logistic:2", "--out",
                out.toString()), "--data", "nope.csv", "no such file");
        failsInOneLine("train-parquet", List.of("train", "--data", csv.toString(), "--format", "parquet", "--model", "logistic:2", "--out",
                out.toString()), "--data", "d.csv", "not a Parquet file");
        failsInOneLine("train-json", List.of("train", "--data", csv.toString(), "--format", "json", "--model", "logistic:2", "--out",
                out.toString()), "--data", "d.csv", "not JSON");
        failsInOneLine("train-row", List.of("train", "--data", csv.toString(), "--model", "logistic:2", "--out", out.toString(),
                "--epochs", "1"), "--data", "d.csv", "line at byte", "feature 2 (column 3) 'x' is not a number");
        Submit.Result r = Submit.run(work.resolve("train-model.log"), TIMEOUT, "train", "--data", csv.toString(), "--model", "logistic:-3",
                "--out", out.toString());
        assertEquals(2, r.exit(), r.log());
        assertTrue(r.log().contains("layer size -3 is negative"), r.log());
        assertFalse(Files.exists(out.resolve("model.json")));
    }

    /**
     * A Spark configuration that Spark refuses as it starts: exit 2 and the job's one line, without
     * the stack trace Spark logs before it throws.
     */
    @Test
    void aSparkConfigurationRefusedAtTheStartIsOneLine() throws Exception {
        failsInOneLine("fraction", score("spark", "fraction", "--conf", "spark.memory.fraction=2", "--refs", refs.toString(),
                "--results", results.toString()), "spark.memory.fraction should be between 0 and 1");
        failsInOneLine("small-driver", score("spark", "small-driver", "--driver-memory", "256m", "--refs", refs.toString(),
                "--results", results.toString()), "--driver-memory", "must be at least");
        // Spark's own "Could not parse Master URL" is a SparkException, which read as a failure (exit 1)
        failsInOneLine("master", score("spark", "master", "--master", "local[x]", "--refs", refs.toString(),
                "--results", results.toString()), "--master local[x]: not a master URL");
    }

    /** A Spark that cannot start (its configuration names a missing class): exit 1 and one "failed:" line from every job. */
    @Test
    void aSparkThatCannotStartIsOneFailedLine() throws Exception {
        Path subs = submissions("subs-nostart");
        Path csv = work.resolve("nostart.csv");
        Files.writeString(csv, "0,0.1,0.2\n1,0.3,0.4\n");
        Path out = work.resolve("nostart-out");
        List<List<String>> runs = List.of(
                List.of("leaderboard", "--conf", "spark.serializer=no.such.Serializer", "--refs", refs.toString(), "--submissions",
                        subs.toString(), "--out", out.toString()),
                List.of("train", "--conf", "spark.serializer=no.such.Serializer", "--data", csv.toString(), "--model", "logistic:2",
                        "--out", out.toString()),
                score("spark", "nostart", "--conf", "spark.serializer=no.such.Serializer", "--refs", refs.toString(), "--results",
                        results.toString()));
        for (List<String> args : runs) {
            String job = args.get(0);
            Submit.Result r = Submit.run(work.resolve("nostart-" + job + ".log"), TIMEOUT, args.toArray(new String[0]));
            assertEquals(1, r.exit(), () -> job + ": exit status, log:\n" + r.log());
            List<String> ours = r.log().lines().filter(l -> l.startsWith("capeval " + job + ": ")).toList();
            assertEquals(1, ours.size(), () -> job + ": one line of the job's, log:\n" + r.log());
            assertTrue(ours.get(0).startsWith("capeval " + job + ": failed: java.lang.ClassNotFoundException: no.such.Serializer"), ours.get(0));
            assertFalse(r.log().contains("\tat "), () -> job + ": a stack trace, log:\n" + r.log());
            assertFalse(Files.exists(out), job + ": nothing written");
        }
    }

    /**
     * A standalone master that never answers: Spark tries 3 times, 20 s apart, then stops the
     * application under the job. Each attempt is one warning line with its root cause, and the
     * job's line says what happened (Spark's own is a page of call sites): exit 1, nothing written.
     */
    @Test
    void aMasterThatNeverAnswersIsOneFailedLine() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        String master = "spark://127.0.0.1:" + port;
        List<String> args = score("spark", "no-master", "--master", master, "--refs", refs.toString(), "--results", results.toString());
        Submit.Result r = Submit.run(work.resolve("no-master.log"), TIMEOUT, args.toArray(new String[0]));
        assertEquals(1, r.exit(), () -> "exit status, log:\n" + r.log());
        List<String> ours = r.log().lines().filter(l -> l.startsWith("capeval score: ")).toList();
        assertEquals(List.of("capeval score: failed: --master " + master + ": Spark stopped the application before the job ended; "
                + "its log above says why"), ours, r::log);
        List<String> attempts = r.log().lines().filter(l -> l.contains("Failed to connect to master 127.0.0.1:" + port)).toList();
        assertEquals(3, attempts.size(), r::log);
        assertTrue(attempts.stream().allMatch(l -> l.endsWith("Connection refused)")), r::log);
        assertFalse(r.log().contains("\tat "), () -> "a stack trace, log:\n" + r.log());
        assertFalse(Files.exists(work.resolve("no-master-out")), "nothing written");
    }

    /** The stack-trace file a failure's line names is in TMPDIR, where the JVMs submit.sh starts keep their temporary files. */
    @Test
    void theStackTraceFileIsInTmpdir() throws Exception {
        Path tmp = Files.createDirectories(work.resolve("own-tmp"));
        Submit.Result r = Submit.run(work.resolve("tmpdir.log"), TIMEOUT, Map.of("TMPDIR", tmp.toString()), score("spark", "tmpdir",
                "--conf", "spark.serializer=no.such.Serializer", "--refs", refs.toString(), "--results", results.toString())
                .toArray(new String[0]));
        String line = r.log().lines().filter(l -> l.startsWith("capeval score: failed: ")).findFirst().orElse("");
        int at = line.indexOf("(stack trace: ");
        assertTrue(at >= 0, () -> "no stack-trace file named, log:\n" + r.log());
        Path trace = Path.of(line.substring(at + "(stack trace: ".length(), line.indexOf(';', at)));
        assertEquals(tmp, trace.getParent(), line);
        assertTrue(Files.readString(trace).contains("no.such.Serializer"), trace::toString);
    }

    @Test
    void leaderboardInputsInOneLine() throws Exception {
        Path subs = submissions("subs");
        Path board = work.resolve("board");
        Path missing = work.resolve("no-refs.json");
        failsInOneLine("lb-refs", List.of("leaderboard", "--refs", missing.toString(), "--submissions", subs.toString(), "--out",
                board.toString()), "--refs", missing.toString(), "no such file");
        failsInOneLine("lb-refs-dir", List.of("leaderboard", "--refs", subs.toString(), "--submissions", subs.toString(), "--out",
                board.toString()), "--refs", subs.toString(), "is a directory");
        Path noSubs = work.resolve("no-subs");
        failsInOneLine("lb-subs", List.of("leaderboard", "--refs", refs.toString(), "--submissions", noSubs.toString(), "--out",
                board.toString()), "--submissions", noSubs.toString(), "no such file or directory");
        Path emptySubs = Files.createDirectories(work.resolve("empty-subs")); // an empty night would publish a board without a row
        failsInOneLine("lb-subs-empty", List.of("leaderboard", "--refs", refs.toString(), "--submissions", emptySubs.toString(), "--out",
                board.toString()), "--submissions", emptySubs.toString(), "no submission in the directory");
        assertFalse(Files.exists(board), "a run refused for its input creates no leaderboard directory");
    }

    /** A directory of one submission: the generated results as {@code a.json} with its metadata. */
    private static Path submissions(String name) throws IOException {
        Path subs = Files.createDirectories(work.resolve(name));
        Files.copy(results, subs.resolve("a.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(subs.resolve("a.meta.json"), "{\"name\":\"alpha\",\"team\":\"A\",\"date\":\"2026-10-30\"}");
        return subs;
    }
}
