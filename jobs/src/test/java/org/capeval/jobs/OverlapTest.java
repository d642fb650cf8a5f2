package org.capeval.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.capeval.jobs.leaderboard.LeaderboardJob;
import org.capeval.jobs.leaderboard.LeaderboardOptions;
import org.capeval.jobs.train.TrainConfig;
import org.capeval.jobs.train.TrainJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared rule for outputs over inputs, symbolic links resolved, and train and leaderboard
 * refusing such an --out, or one that cannot be created, with exit status 2 before Spark starts (no
 * Spark session is needed here), their inputs untouched.
 */
class OverlapTest {
    @TempDir
    Path dir;

    private record Run(int status, String err) {}

    private static Run capture(IntSupplier f) {
        PrintStream old = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            return new Run(f.getAsInt(), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void comparesRealPathsByWholeNames() throws IOException {
        Path data = Files.createDirectories(dir.resolve("a/b"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), data);
        String rule = ": an output must not be, contain or lie inside an input or another output";
        // the output's parent, the input itself under another name, a new path inside it through the link
        for (Path out : List.of(dir.resolve("a"), link, link.resolve("new/x"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Overlap.refuse("--out", out.toString(), Map.of("--in", data.toString()), null));
            assertEquals("--out " + out + " overlaps --in " + data + rule, e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Overlap.refuse("--out", "file:" + dir.resolve("a"), Map.of("--in", link.toString()), null));
        assertTrue(e.getMessage().endsWith(rule), e.getMessage());
        // a sibling whose name only starts with the input's, and a path that does not exist at all
        Overlap.refuse("--out", dir.resolve("a/bc").toString(), Map.of("--in", data.toString()), null);
        Overlap.refuse("--out", "/nonexistent/capeval/out", Map.of("--in", data.toString()), null);
        e = assertThrows(IllegalArgumentException.class, () -> Overlap.refuse("--out", "", Map.of(), null));
        assertEquals("--out: an empty path", e.getMessage());
    }

    @Test
    void trainRefusesAnOutOverItsDataBeforeSparkStarts() throws IOException {
        Path parquet = Files.createDirectories(dir.resolve("pi"));
        Files.writeString(parquet.resolve("part-0.parquet"), "PAR1");
        Path other = Files.createDirectories(dir.resolve("pi0"));
        Path csv = Files.writeString(dir.resolve("d.csv"), "1,0.5\n");
        Path link = Files.createSymbolicLink(dir.resolve("link"), parquet);
        for (String[] c : List.of(
                new String[] {other + "=0," + parquet + "=1", parquet.toString(), "--data " + parquet},
                new String[] {link + "=1", parquet.toString(), "--data " + link},
                new String[] {parquet + "=1", link.resolve("out").toString(), "--data " + parquet},
                new String[] {csv.toString(), csv.toString(), "--data " + csv})) {
            boolean tabular = c[0].contains("=");
            String[] args = Stream.concat(Stream.of("--data", c[0], "--model", "logistic:1", "--out", c[1]),
                    tabular ? Stream.of("--features-cols", "x") : Stream.of()).toArray(String[]::new);
            Run r = capture(() -> TrainJob.execute(TrainConfig.parse(args)));
            assertEquals(JobFailure.BAD_INPUT, r.status(), r.err());
            assertEquals("capeval train: error: --out " + c[1] + " overlaps " + c[2]
                    + ": an output must not be, contain or lie inside an input or another output\n", r.err());
        }
        try (Stream<Path> files = Files.list(parquet)) {
            assertEquals(1, files.count(), "nothing written into the data");
        }
        assertEquals("1,0.5\n", Files.readString(csv));
    }

    @Test
    void trainComparesADataGlobThroughWhatItMatchesBeforeSparkStarts() throws IOException {
        Path pi = Files.createDirectories(dir.resolve("data/pi"));
        Files.writeString(pi.resolve("part-0.parquet"), "PAR1");
        Path pj = Files.createDirectories(dir.resolve("data/pj"));
        Files.writeString(pj.resolve("part-0.parquet"), "PAR1");
        Path csv = Files.createDirectories(dir.resolve("csv"));
        Path a = Files.writeString(csv.resolve("a.csv"), "1,0.5\n");
        Path b = Files.writeString(csv.resolve("b.csv"), "0,0.25\n");
        Map<String, String> before = tree(dir);
        String parquet = dir.resolve("data") + "/p[ij]";
        // --data, --out, the match named: inside a matched directory, a matched directory, their parent
        // (the first match), a matched file, inside a matched file; a glob over directory levels
        for (String[] c : List.of(
                new String[] {parquet + "=1", pi.resolve("model").toString(), parquet, pi.toString()},
                new String[] {parquet + "=1", pj.toString(), parquet, pj.toString()},
                new String[] {parquet + "=1", dir.resolve("data").toString(), parquet, pi.toString()},
                new String[] {csv + "/*.csv", b.toString(), csv + "/*.csv", b.toString()},
                new String[] {csv + "/?.csv", a.resolve("x").toString(), csv + "/?.csv", a.toString()},
                new String[] {dir + "/*/p?=0", pj.resolve("new/model").toString(), dir + "/*/p?", pj.toString()})) {
            boolean tabular = c[0].contains("=");
            String[] args = Stream.concat(Stream.of("--data", c[0], "--model", "logistic:1", "--out", c[1]),
                    tabular ? Stream.of("--features-cols", "x") : Stream.of()).toArray(String[]::new);
            Run r = capture(() -> TrainJob.execute(TrainConfig.parse(args)));
            assertEquals(JobFailure.BAD_INPUT, r.status(), r.err());
            assertEquals("capeval train: error: --out " + c[1] + " overlaps --data " + c[2] + " (matching " + c[3]
                    + "): an output must not be, contain or lie inside an input or another output\n", r.err());
            assertEquals(before, tree(dir), "nothing written, nothing changed");
        }
    }

    @Test
    void leaderboardRefusesAnOutOverItsInputsBeforeSparkStarts() throws IOException {
        Path subs = Files.createDirectories(dir.resolve("subs"));
        Path refs = Files.writeString(dir.resolve("refs.json"), "{}");
        Path cwd = Path.of("").toAbsolutePath();
        // --out named as typed: absolute, relative, a file: URI
        for (String out : List.of(refs.toString(), cwd.relativize(subs).toString(), "file:" + dir)) {
            String[] args = {"--refs", refs.toString(), "--submissions", subs.toString(), "--out", out};
            Run r = capture(() -> LeaderboardJob.execute(LeaderboardOptions.parse(args)));
            assertEquals(JobFailure.BAD_INPUT, r.status(), r.err());
            String input = out.endsWith("subs") ? "--submissions " + subs : "--refs " + refs;
            assertEquals("capeval leaderboard: error: --out " + out + " overlaps " + input
                    + ": an output must not be, contain or lie inside an input or another output\n", r.err());
        }
        assertEquals("{}", Files.readString(refs));
        try (Stream<Path> files = Files.list(subs)) {
            assertEquals(0, files.count(), "nothing written into the submissions");
        }
    }

    /** Every file and directory under {@code root}: relative path to content (directories: empty). */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> m = new java.util.TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                m.put(root.relativize(p).toString(), Files.isRegularFile(p) ? Files.readString(p) : "");
            }
        }
        return m;
    }

    @Test
    void leaderboardRefusesAnOutOverAListedMetadataFileOrMeteorDataBeforeSparkStarts() throws IOException {
        Path refs = Files.writeString(dir.resolve("refs.json"), "{}");
        Path subs = Files.createDirectories(dir.resolve("subs"));
        Files.writeString(subs.resolve("a.meta.json"), "{}");
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path b = Files.writeString(elsewhere.resolve("b.meta.json"), "{}");
        Path list = Files.writeString(Files.createDirectories(dir.resolve("lists")).resolve("night.txt"),
                "# tonight\n\n../subs/a.meta.json\n" + b + "\n");
        Path meteor = Files.createDirectories(dir.resolve("meteor"));
        Files.writeString(meteor.resolve("english.words"), "a\nthe\non\nin\nof\nis\n");
        Files.writeString(meteor.resolve("english.prefixes"), "mr\nno #NUMERIC_ONLY#\n");
        Map<String, String> before = tree(dir);
        // --out: the directory of a relative entry, an absolute entry itself, a new directory inside --meteor-data
        Map<Path, String> cases = new java.util.LinkedHashMap<>();
        cases.put(subs, "--submissions " + list + " line 3 (../subs/a.meta.json)");
        cases.put(b, "--submissions " + list + " line 4 (" + b + ")");
        cases.put(meteor.resolve("out"), "--meteor-data " + meteor);
        for (Map.Entry<Path, String> c : cases.entrySet()) {
            String[] args = {"--refs", refs.toString(), "--submissions", list.toString(), "--out", c.getKey().toString(),
                "--metrics", "bleu,meteor", "--meteor-data", meteor.toString()};
            Run r = capture(() -> LeaderboardJob.execute(LeaderboardOptions.parse(args)));
            assertEquals(JobFailure.BAD_INPUT, r.status(), r.err());
            assertEquals("capeval leaderboard: error: --out " + c.getKey() + " overlaps " + c.getValue()
                    + ": an output must not be, contain or lie inside an input or another output\n", r.err());
            assertEquals(before, tree(dir), "nothing written, nothing changed");
        }
    }

    /**
     * The results files the submissions' metadata point to are inputs too, in either form of
     * --submissions: a "results" field (anywhere), and {@code <id>.json} next to the metadata (a
     * link in a directory of submissions, or next to a metadata file a list names). Refused before
     * Spark starts, the message naming the submission and the field; nothing changed.
     */
    @Test
    void leaderboardRefusesAnOutOverASubmissionsResultsFileBeforeSparkStarts() throws IOException {
        Path refs = Files.writeString(dir.resolve("refs.json"), "{}");
        Path subs = Files.createDirectories(dir.resolve("subs"));
        String meta = "{\"name\": \"%s\", \"team\": \"T\", \"date\": \"2026-10-30\"%s}";
        Files.writeString(subs.resolve("a.meta.json"), String.format(meta, "a", ", \"results\": \"../elsewhere/r.json\""));
        Path r = Files.writeString(Files.createDirectories(dir.resolve("elsewhere")).resolve("r.json"), "[]");
        Files.writeString(subs.resolve("b.meta.json"), String.format(meta, "b", ""));
        Path linked = Files.createDirectories(dir.resolve("linked"));
        Files.createSymbolicLink(subs.resolve("b.json"), Files.writeString(linked.resolve("b-real.json"), "[]"));
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("c.meta.json"), String.format(meta, "c", ""));
        Path c = Files.writeString(other.resolve("c.json"), "[]");
        Path list = Files.writeString(Files.createDirectories(dir.resolve("lists")).resolve("night.txt"),
                "# tonight\n../subs/a.meta.json\n../other/c.meta.json\n");
        Map<String, String> before = tree(dir);
        // --submissions, --out, the input named: a directory's "results" field, its link <id>.json, a
        // list's "results" field (--out the file itself), a list's <id>.json (--out inside it)
        for (String[] x : List.of(
                new String[] {subs.toString(), r.getParent().toString(), "--submissions " + subs + " (a.meta.json) field \"results\" (../elsewhere/r.json)"},
                new String[] {subs.toString(), linked.toString(), "--submissions " + subs + " (b.meta.json) results file (b.json)"},
                new String[] {list.toString(), r.toString(), "--submissions " + list + " line 2 (../subs/a.meta.json) field \"results\" (../elsewhere/r.json)"},
                new String[] {list.toString(), c.resolve("x").toString(), "--submissions " + list + " line 3 (../other/c.meta.json) results file (c.json)"})) {
            String[] args = {"--refs", refs.toString(), "--submissions", x[0], "--out", x[1]};
            Run run = capture(() -> LeaderboardJob.execute(LeaderboardOptions.parse(args)));
            assertEquals(JobFailure.BAD_INPUT, run.status(), run.err());
            assertEquals("capeval leaderboard: error: --out " + x[1] + " overlaps " + x[2]
                    + ": an output must not be, contain or lie inside an input or another output\n", run.err());
            assertEquals(before, tree(dir), "nothing written, nothing changed");
        }
    }

    /**
     * An --out under a regular file, or that is one, cannot be created: bad input before Spark
     * starts in train and leaderboard, as in score and generate (not exit status 1 after the work).
     */
    @Test
    void trainAndLeaderboardRefuseAnOutUnderARegularFileBeforeSparkStarts() throws IOException {
        Path csv = Files.writeString(dir.resolve("d.csv"), "1,0.5\n");
        Path refs = Files.writeString(dir.resolve("refs.json"), "{}");
        Path subs = Files.createDirectories(dir.resolve("subs"));
        Files.writeString(subs.resolve("a.meta.json"), "{\"name\":\"a\",\"team\":\"A\",\"date\":\"2026-10-30\"}");
        Files.writeString(subs.resolve("a.json"), "[]");
        Path file = Files.writeString(dir.resolve("some-file.json"), "not a directory");
        Map<String, String> before = tree(dir);
        for (Path out : List.of(file.resolve("out"), file.resolve("a/b"), file)) {
            String line = ": error: --out " + out + ": cannot be written (" + file + ": not a directory)\n";
            Run t = capture(() -> TrainJob.execute(TrainConfig.parse(new String[] {"--data", csv.toString(), "--model", "logistic:1",
                "--out", out.toString()})));
            assertEquals(JobFailure.BAD_INPUT, t.status(), t.err());
            assertEquals("capeval train" + line, t.err());
            Run l = capture(() -> LeaderboardJob.execute(LeaderboardOptions.parse(new String[] {"--refs", refs.toString(),
                "--submissions", subs.toString(), "--out", out.toString()})));
            assertEquals(JobFailure.BAD_INPUT, l.status(), l.err());
            assertEquals("capeval leaderboard" + line, l.err());
            assertEquals(before, tree(dir), out + ": nothing written, nothing changed");
        }
    }

    @Test
    void anOutputThatCannotBeCreatedIsBadInputNamingItsOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobFailure.writing("--save-idf /x/y.gz", () -> {
            throw new NoSuchFileException("/x");
        }));
        assertEquals("--save-idf /x/y.gz: cannot be written (/x: no such file)", e.getMessage());
        // a store's path under a file (HDFS reports it from the NameNode, wrapped), wrapped again by Spark
        // (the NameNode's message goes on with its stack trace, which the line leaves out)
        for (Exception under : List.<Exception>of(new org.apache.hadoop.fs.ParentNotDirectoryException("Parent path is not a directory: /f.json"),
                new org.apache.hadoop.ipc.RemoteException(org.apache.hadoop.fs.ParentNotDirectoryException.class.getName(),
                        "Parent path is not a directory: /f.json\n\tat org.apache.hadoop.hdfs.server.namenode.FSPermissionChecker"
                        + ".checkIsDirectory(FSPermissionChecker.java:905)\n\tat org.apache.hadoop.ipc.Server$Handler.run(Server.java:3198)\n"))) {
            e = assertThrows(IllegalArgumentException.class, () -> JobFailure.writing("--out hdfs://nn/f.json/out", () -> {
                throw new org.apache.spark.SparkException("Job aborted", under);
            }));
            assertEquals("--out hdfs://nn/f.json/out: cannot be written (Parent path is not a directory: /f.json)", e.getMessage());
        }
    }
}
