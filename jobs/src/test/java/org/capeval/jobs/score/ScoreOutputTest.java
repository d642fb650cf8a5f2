package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.capeval.jobs.JobFailure;
import org.capeval.jobs.RemoteLocalFileSystem;
import org.capeval.jobs.cli.CliTest;
import org.capeval.jobs.cli.CliTest.Run;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output commit both engines share refuses, before any work and with or without --overwrite,
 * an output that is, contains or lies inside an input (symbolic links resolved) or the other
 * output, and a --save-idf that is a directory or exists without --overwrite; the inputs are left
 * untouched.
 */
class ScoreOutputTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        ScoreJobTest.start();
    }

    @AfterAll
    static void stop() {
        ScoreJobTest.stop();
    }

    @Test
    void anOutputOverAnInputIsRefusedOnBothEngines() throws IOException {
        Path inputs = Files.createDirectories(dir.resolve("inputs"));
        Path refs = Files.writeString(inputs.resolve("refs.json"), ScoreJobTest.REFS, StandardCharsets.UTF_8);
        Path results = Files.writeString(inputs.resolve("results.json"), ScoreJobTest.RESULTS, StandardCharsets.UTF_8);
        byte[] refsBytes = Files.readAllBytes(refs);
        byte[] resultsBytes = Files.readAllBytes(results);
        // the output is an input, contains one, lies inside one (a file's "child"), and --save-idf over an input
        List<List<String>> cases = List.of(
                List.of("--out", refs.toString(), "--overwrite"),
                List.of("--out", "file:" + results, "--overwrite"),
                List.of("--out", inputs.toString(), "--overwrite"),
                List.of("--out", refs.resolve("sub").toString()),
                List.of("--out", dir.resolve("ok").toString(), "--save-idf", refs.toString()));
        for (List<String> extra : cases) {
            for (String engine : List.of("local", "spark")) {
                String[] args = Stream.concat(Stream.of("--refs", refs.toString(), "--results", results.toString(), "--engine", engine),
                        extra.stream()).toArray(String[]::new);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(engine, args), extra + " " + engine);
                assertTrue(e.getMessage().contains("must not be, contain or lie inside an input"), e.getMessage());
                assertTrue(e.getMessage().startsWith(extra.contains("--save-idf") ? "--save-idf " : "--out "), e.getMessage());
                assertArrayEquals(refsBytes, Files.readAllBytes(refs), "refs untouched");
                assertArrayEquals(resultsBytes, Files.readAllBytes(results), "results untouched");
                try (Stream<Path> left = Files.list(inputs)) {
                    assertEquals(2, left.count(), "nothing written next to the inputs");
                }
            }
        }
    }

    @Test
    void anOutputOverAnInputReachedThroughALinkIsRefused() throws IOException {
        Path inputs = Files.createDirectories(dir.resolve("a/b"));
        Path refs = Files.writeString(inputs.resolve("refs.json"), ScoreJobTest.REFS, StandardCharsets.UTF_8);
        Files.writeString(inputs.resolve("results.json"), ScoreJobTest.RESULTS, StandardCharsets.UTF_8);
        Path link = Files.createSymbolicLink(dir.resolve("link"), inputs);
        byte[] refsBytes = Files.readAllBytes(refs);
        for (String engine : List.of("local", "spark")) {
            // --out the inputs' parent, and their directory under another name (the link)
            for (String out : List.of(dir.resolve("a").toString(), link.toString())) {
                String[] args = {"--refs", link.resolve("refs.json").toString(), "--results", link.resolve("results.json").toString(),
                    "--engine", engine, "--out", out, "--overwrite"};
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(engine, args), out + " " + engine);
                assertEquals("--out " + out + " overlaps --refs " + link.resolve("refs.json")
                        + ": an output must not be, contain or lie inside an input or another output", e.getMessage());
                assertArrayEquals(refsBytes, Files.readAllBytes(refs), "refs untouched");
                try (Stream<Path> left = Files.list(inputs)) {
                    assertEquals(2, left.count(), "nothing written next to the inputs");
                }
            }
        }
    }

    @Test
    void saveIdfIsAFileReplacedOnlyWithOverwriteAndOutsideOut() throws IOException {
        Path refs = Files.writeString(dir.resolve("refs.json"), ScoreJobTest.REFS, StandardCharsets.UTF_8);
        Path results = Files.writeString(dir.resolve("results.json"), ScoreJobTest.RESULTS, StandardCharsets.UTF_8);
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path full = Files.createDirectories(dir.resolve("full"));
        Files.writeString(full.resolve("keep"), "keep");
        Path existing = Files.writeString(dir.resolve("old.idf"), "old");
        Path out = dir.resolve("out");
        for (String engine : List.of("local", "spark")) {
            for (Path d : List.of(empty, full)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(engine, args(refs, results, engine,
                        "--out", out.toString(), "--save-idf", d.toString(), "--overwrite")));
                assertEquals("--save-idf " + d + ": is a directory, not a file", e.getMessage());
                assertTrue(Files.isDirectory(d), "the directory is kept");
            }
            assertEquals("keep", Files.readString(full.resolve("keep")));
            IllegalArgumentException e = assertThrows(ScoreJob.OutputExistsException.class, () -> run(engine, args(refs, results, engine,
                    "--out", out.toString(), "--save-idf", existing.toString())));
            assertEquals("--save-idf " + existing + " already exists (use --overwrite to replace it)", e.getMessage());
            assertEquals("old", Files.readString(existing));
            Path inside = out.resolve("idf.gz");
            e = assertThrows(IllegalArgumentException.class, () -> run(engine, args(refs, results, engine,
                    "--out", out.toString(), "--save-idf", inside.toString())));
            assertEquals("--save-idf " + inside + " overlaps --out " + out
                    + ": an output must not be, contain or lie inside an input or another output", e.getMessage());
            assertTrue(Files.notExists(out), "nothing left");
            e = assertThrows(IllegalArgumentException.class, () -> run(engine, args(refs, results, engine, "--out", "")));
            assertEquals("--out: an empty path", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> run(engine, args(Path.of(""), results, engine, "--out", out.toString())));
            assertEquals("--refs: an empty path", e.getMessage());
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(5, left.count(), "nothing written: " + dir);
        }
        run("local", args(refs, results, "local", "--out", out.toString(), "--save-idf", existing.toString(), "--overwrite"));
        assertTrue(Files.size(existing) > 3, "replaced with --overwrite");
    }

    /**
     * An --out that cannot be created (/proc takes no new directory) is bad input on both engines,
     * in the same line, found before Spark starts or anything is read; the inputs' directory is
     * left as it was.
     */
    @Test
    void anOutThatCannotBeCreatedIsBadInputOnBothEnginesBeforeSparkStarts() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "a Linux /proc");
        Path refs = Files.writeString(dir.resolve("refs.json"), ScoreJobTest.REFS, StandardCharsets.UTF_8);
        Path results = Files.writeString(dir.resolve("results.json"), ScoreJobTest.RESULTS, StandardCharsets.UTF_8);
        Map<String, String> before = tree(dir);
        int jobsBefore = sparkJobs();
        for (String engine : List.of("local", "spark")) {
            Run r = execute(args(refs, results, engine, "--out", "/proc/capeval-out"));
            assertEquals(JobFailure.BAD_INPUT, r.status(), engine + ": " + r.err());
            assertEquals("capeval score: error: --out /proc/capeval-out: cannot be written "
                    + "(/proc/.capeval-out.capeval-tmp-UUID: no such file)\n", r.err(), engine);
            assertEquals("", r.out(), engine);
            assertEquals(before, tree(dir), engine + ": the inputs as they were");
        }
        assertEquals(jobsBefore, sparkJobs(), "no Spark job ran");
    }

    /**
     * An --out or --save-idf under an existing regular file (the system's "Not a directory") is bad
     * input on both engines, as generate's output is, in one line naming the option and the file in
     * the way, found before Spark starts or anything is read; the inputs and the file are kept.
     */
    @Test
    void anOutputUnderARegularFileIsBadInputOnBothEnginesBeforeSparkStarts() throws IOException {
        Path refs = Files.writeString(dir.resolve("refs.json"), ScoreJobTest.REFS, StandardCharsets.UTF_8);
        Path results = Files.writeString(dir.resolve("results.json"), ScoreJobTest.RESULTS, StandardCharsets.UTF_8);
        Path file = Files.writeString(dir.resolve("some-file.json"), "not a directory");
        Map<String, String> before = tree(dir);
        int jobsBefore = sparkJobs();
        // the option refused, its path, the other options: --out right under the file and deeper, --save-idf under it
        List<List<String>> cases = List.of(
                List.of("--out", file.resolve("out").toString()),
                List.of("--out", file.resolve("a/b").toString(), "--overwrite"),
                List.of("--save-idf", file.resolve("idf.gz").toString(), "--out", dir.resolve("out").toString()));
        for (List<String> c : cases) {
            for (String engine : List.of("local", "spark")) {
                assertRefused(c + " " + engine, args(refs, results, engine, c.toArray(String[]::new)),
                        c.get(0) + " " + c.get(1) + ": cannot be written (" + file + ": not a directory)", before);
            }
        }
        assertEquals(jobsBefore, sparkJobs(), "no Spark job ran");
    }

    /** One run refused as bad input: exit 2, exactly the line {@code error}, nothing on stdout, {@code dir} as it was. */
    private void assertRefused(String what, String[] args, String error, Map<String, String> before) throws IOException {
        Run r = execute(args);
        assertEquals(JobFailure.BAD_INPUT, r.status(), what + ": " + r.err());
        assertEquals("capeval score: error: " + error + "\n", r.err(), what);
        assertEquals("", r.out(), what);
        assertEquals(before, tree(dir), what + ": the inputs and the file as they were, nothing written");
    }

    /**
     * A local output is tried before Spark starts whatever the inputs are: with --refs on another
     * store (never reached: the run ends first), an --out or --save-idf under a regular file or
     * under /proc is the same bad input as with local inputs, and nothing is created.
     */
    @Test
    void aLocalOutputThatCannotBeCreatedIsBadInputBeforeSparkStartsWithARemoteInput() throws IOException {
        String refs = "hdfs://127.0.0.1:1/data/refs.json";
        Path results = Files.writeString(dir.resolve("results.json"), ScoreJobTest.RESULTS, StandardCharsets.UTF_8);
        Path file = Files.writeString(dir.resolve("some-file.json"), "not a directory");
        Map<String, String> before = tree(dir);
        int jobsBefore = sparkJobs();
        // the option refused, its path, the other options, the reason
        List<List<String>> cases = new java.util.ArrayList<>(List.of(
                List.of("--out", file.resolve("out").toString(), file + ": not a directory"),
                List.of("--save-idf", file.resolve("idf.gz").toString(), "--out", dir.resolve("out").toString(), file + ": not a directory")));
        if (Files.isDirectory(Path.of("/proc/self"))) {
            cases.add(List.of("--out", "/proc/capeval-out", "/proc/.capeval-out.capeval-tmp-UUID: no such file"));
        }
        for (List<String> c : cases) {
            for (String engine : List.of("auto", "spark")) {
                String[] args = Stream.concat(Stream.of("--refs", refs, "--results", results.toString(), "--engine", engine),
                        c.subList(0, c.size() - 1).stream()).toArray(String[]::new);
                assertRefused(c + " " + engine, args, c.get(0) + " " + c.get(1) + ": cannot be written (" + c.get(c.size() - 1) + ")", before);
            }
        }
        assertEquals(jobsBefore, sparkJobs(), "no Spark job ran");
    }

    /**
     * An --out or --save-idf on another store under a regular file is bad input on the Spark engine
     * before anything is read, in the line a local one gets (HDFS and s3a would refuse only the
     * first write, naming the staging); nothing is created.
     */
    @Test
    void aRemoteOutputUnderARegularFileIsBadInputBeforeTheReading() throws IOException {
        Path refs = Files.writeString(dir.resolve("refs.json"), ScoreJobTest.REFS, StandardCharsets.UTF_8);
        Path results = Files.writeString(dir.resolve("results.json"), ScoreJobTest.RESULTS, StandardCharsets.UTF_8);
        Path file = Files.writeString(dir.resolve("some-file.json"), "not a directory");
        Map<String, String> before = tree(dir);
        String out = RemoteLocalFileSystem.of(file.resolve("out"));
        String idf = RemoteLocalFileSystem.of(file.resolve("idf.gz"));
        for (List<String> c : List.of(List.of("--out", out), List.of("--save-idf", idf, "--out", RemoteLocalFileSystem.of(dir.resolve("out"))))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> run("spark", args(refs, results, "spark", c.toArray(String[]::new))), c.toString());
            assertEquals(c.get(0) + " " + c.get(1) + ": cannot be written (remote:" + file + ": not a directory)", e.getMessage());
            assertEquals(before, tree(dir), c + ": nothing written");
        }
    }

    /**
     * An --out that another run created while this one worked is kept, and the line names the
     * option and the path as given (it said the qualified {@code file:} URI, without the option).
     */
    @Test
    void anOutputThatAppearedWhileTheJobRanIsKeptAndNamedByItsOption() throws IOException {
        Path refs = Files.writeString(dir.resolve("refs.json"), ScoreJobTest.REFS, StandardCharsets.UTF_8);
        Path results = Files.writeString(dir.resolve("results.json"), ScoreJobTest.RESULTS, StandardCharsets.UTF_8);
        Path out = dir.resolve("out");
        try (ScoreOutput output = ScoreOutput.local(ScoreOptions.parse(args(refs, results, "local", "--out", out.toString())))) {
            try (java.io.OutputStream os = output.create("eval.json")) {
                os.write('{');
            }
            Files.createDirectories(out.resolve("theirs"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, output::commit);
            assertEquals("--out " + out + " appeared while the job ran (use --overwrite)", e.getMessage());
        }
        assertEquals(List.of("theirs"), Files.list(out).map(p -> p.getFileName().toString()).toList(), "the other run's output kept");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of("out", "refs.json", "results.json"), left.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary output left");
        }
    }

    /** How many jobs the shared test session has run so far. */
    private static int sparkJobs() {
        return ScoreJobTest.spark.sparkContext().statusTracker().getJobIdsForGroup(null).length;
    }

    /** {@link ScoreJob#execute}'s exit status, stdout and stderr (temporary names' UUIDs as "UUID"). */
    private static Run execute(String[] args) {
        Run r = CliTest.captured(() -> ScoreJob.execute(ScoreOptions.parse(args)));
        return new Run(r.status(), r.out(), r.err().replaceAll("capeval-tmp-[0-9a-f-]{36}", "capeval-tmp-UUID"));
    }

    /** Every file and directory under {@code root}: relative path to content (directories: empty). */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                m.put(root.relativize(p).toString(), Files.isRegularFile(p) ? Files.readString(p) : "");
            }
        }
        return m;
    }

    private static String[] args(Path refs, Path results, String engine, String... more) {
        return Stream.concat(Stream.of("--refs", refs.toString(), "--results", results.toString(),
                "--engine", engine), Stream.of(more)).toArray(String[]::new);
    }

    private static void run(String engine, String[] args) throws IOException {
        if (engine.equals("local")) {
            LocalScore.run(ScoreOptions.parse(args), 2);
        } else {
            ScoreJob.run(ScoreJobTest.spark, args);
        }
    }
}
