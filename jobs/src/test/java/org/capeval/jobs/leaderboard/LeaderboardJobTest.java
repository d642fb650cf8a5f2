package org.capeval.jobs.leaderboard;

import static org.capeval.jobs.leaderboard.LeaderboardFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.capeval.jobs.TestSessions;
import org.capeval.metrics.CaptionTokenizer;
import org.capeval.metrics.CocoEvaluator;
import org.capeval.metrics.MetricSuite;
import org.capeval.metrics.Metrics;
import org.capeval.metrics.ScoringContext;
import org.capeval.metrics.coco.CocoReferences;
import org.capeval.metrics.coco.CocoResults;
import org.capeval.metrics.significance.PairedBootstrap;
import org.capeval.metrics.significance.SuiteStatistic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leaderboard job on real local Spark. */
class LeaderboardJobTest {
    static SparkSession spark;
    static final int SAMPLES = 200;
    static final long SEED = 7;

    @TempDir Path tmp;

    @BeforeAll
    static void start() {
        spark = TestSessions.local("leaderboard-test").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    static LeaderboardOptions opts(Path refs, Path subs, Path out, String night, String... more) {
        List<String> args = new ArrayList<>(List.of("--refs", refs.toString(), "--submissions", subs.toString(),
                "--out", out.toString(), "--date", night, "--bootstrap-samples", String.valueOf(SAMPLES), "--seed", String.valueOf(SEED),
                "--partitions", "3"));
        args.addAll(List.of(more));
        return LeaderboardOptions.parse(args.toArray(new String[0]));
    }

    /** Night 1: two good submissions, an invalid name, a malformed file, a duplicated name, an incomplete file. */
    static Path night1(Path dir) throws Exception {
        Path subs = dir.resolve("night1");
        submission(subs, "a", "alpha", "<script>alert(2)</script>", "2026-10-30", results(GOOD));
        submission(subs, "g", "<img src=x onerror=alert(3)>", "Team G & co", "2026-10-31", results(mix(3)));
        submission(subs, "s", "<script>alert(1)</script>", "Team S", "2026-10-31", results(GOOD));
        submission(subs, "d", "delta", "Team D", "2026-10-31", results(GOOD).substring(0, 120));
        submission(subs, "b1", "beta", "Team B", "2026-10-29", results(mix(5)));
        submission(subs, "b2", "beta", "Team B2", "2026-10-31", results(mix(6)));
        return subs;
    }

    @Test
    void aNightIsScoredRowByRowAndMatchesTheLocalEvaluator() throws Exception {
        Path refs = writeRefs(tmp);
        Path subs = night1(tmp);
        Path out = tmp.resolve("board");
        LeaderboardJob.Outcome o = LeaderboardJob.run(spark, opts(refs, subs, out, "2026-11-01"));
        List<HistoryRow> rows = o.tonight();
        assertEquals(List.of("alpha", "<img src=x onerror=alert(3)>", "<script>alert(1)</script>", "beta", "beta", "delta"),
                rows.stream().map(HistoryRow::name).toList());
        assertEquals(List.of("ok", "ok", "error", "error", "error", "error"), rows.stream().map(HistoryRow::status).toList());
        assertTrue(rows.get(2).error().contains("invalid name: name contains '/'"), rows.get(2).error());
        assertTrue(rows.get(3).error().contains("duplicate submission name (submitted 2 times"), rows.get(3).error());
        assertEquals("Team B", rows.get(3).team());
        assertEquals("Team B2", rows.get(4).team());
        assertTrue(rows.get(5).error().startsWith("d.json"), rows.get(5).error());

        // Numbers: identical to the local (one-JVM) evaluator on the same files.
        MetricSuite suite = new MetricSuite(Metrics.parse(Metrics.DEFAULT));
        CocoEvaluator local = new CocoEvaluator(CaptionTokenizer.ptb());
        CocoReferences cr = CocoReferences.read(refs);
        CocoEvaluator.Evaluation alpha = local.evaluate(cr, CocoResults.read(subs.resolve("a.json")));
        CocoEvaluator.Evaluation gamma = local.evaluate(cr, CocoResults.read(subs.resolve("g.json")));
        for (String key : suite.keys()) {
            assertEquals(alpha.corpus(key), rows.get(0).number(key), 1e-12 * Math.abs(alpha.corpus(key)), key);
            assertEquals(gamma.corpus(key), rows.get(1).number(key), 1e-12 * Math.abs(gamma.corpus(key)), key);
            assertEquals(1, rows.get(0).rank(key), key);
            assertEquals(2, rows.get(1).rank(key), key);
            assertEquals("alpha", o.leaders().get(key));
        }
        assertEquals(alpha.signature(), rows.get(0).signature());
        assertEquals(8L, rows.get(0).nImages());

        // Significance: the distributed paired bootstrap equals the local one on the same plan.
        for (String key : List.of("Bleu_4", "ROUGE_L", "CIDEr")) {
            SuiteStatistic stat = new SuiteStatistic(suite, key);
            PairedBootstrap.Result expected = PairedBootstrap.compareLocal(stat, vectors(suite, gamma), vectors(suite, alpha), SEED, SAMPLES);
            HistoryRow g = rows.get(1);
            assertEquals(expected.pValue(), g.number(key + "_p_vs_leader"), 1e-12, key);
            assertEquals(expected.ciLow(), g.number(key + "_ci_low"), 1e-9, key);
            assertEquals(expected.ciHigh(), g.number(key + "_ci_high"), 1e-9, key);
            assertTrue(g.number(key + "_ci_low") <= g.number(key) && g.number(key) <= g.number(key + "_ci_high"), key);
            assertNull(rows.get(0).number(key + "_p_vs_leader"), "the leader has no p-value");
            assertNotNull(rows.get(0).number(key + "_ci_low"));
        }
        assertTrue(rows.get(1).number("CIDEr_p_vs_leader") < 0.05, "a much weaker system differs significantly");
        for (HistoryRow r : rows.subList(2, 6)) {
            assertTrue(r.numbers().isEmpty() && r.ranks().isEmpty() && r.signature() == null, r.name());
        }

        // Published files, reachable through the fixed links.
        for (String e : LeaderboardStore.COPIES) assertTrue(Files.exists(out.resolve(e)), e);
        assertEquals(7, Files.readAllLines(out.resolve("history.csv")).size());
        var latest = JSON.readTree(out.resolve("latest.json").toFile());
        assertEquals("2026-11-01", latest.get("night").asText());
        assertEquals(6, latest.get("submissions").size());
        assertEquals("alpha", latest.get("leaders").get("CIDEr").asText());
        assertEquals(SAMPLES, latest.get("settings").get("bootstrap_samples").asInt());
        assertEquals(rows.get(1).number("CIDEr"), latest.get("submissions").get(1).get("CIDEr").asDouble());
        assertEquals("CIDEr", latest.get("rank_by").asText(), "the default primary metric");
        assertFalse(latest.get("submissions").get(1).get(LatestJson.TIED).asBoolean(), "p < 0.05: not tied with the leader");
        assertEquals(6, HistoryParquet.read(current(out).resolve("history.parquet")).size());
    }

    /** The published version directory (what the board's newest pointer names). */
    static Path current(Path out) throws java.io.IOException {
        return Path.of(LeaderboardStore.current(out.toUri().toString(), new org.apache.hadoop.conf.Configuration()).toUri());
    }

    /** Per-image bootstrap vectors of a local evaluation, in evaluation order. */
    static double[][] vectors(MetricSuite suite, CocoEvaluator.Evaluation ev) {
        MetricSuite.Scorer scorer = suite.newScorer(new ScoringContext(ev.documentFrequencies()));
        double[][] out = new double[ev.imageCount()][];
        for (int i = 0; i < out.length; i++) {
            double[] row = new double[suite.keys().size()];
            double[] stats = new double[suite.statsSize()];
            scorer.score(ev.image(i), row, stats);
            out[i] = new double[SuiteStatistic.dim(suite)];
            SuiteStatistic.vector(suite, stats, row, out[i]);
        }
        return out;
    }

    @Test
    void rerunningANightReplacesItsRowsAndAFailedRunLeavesTheBoardIntact() throws Exception {
        Path refs = writeRefs(tmp);
        Path subs = night1(tmp);
        Path out = tmp.resolve("board");
        LeaderboardJob.run(spark, opts(refs, subs, out, "2026-11-01"));
        String csv1 = Files.readString(out.resolve("history.csv"));
        String html1 = Files.readString(out.resolve("index.html"));
        String latest1 = Files.readString(out.resolve("latest.json"));
        Path v1 = current(out);

        LeaderboardJob.run(spark, opts(refs, subs, out, "2026-11-01"));
        assertNotEquals(v1, current(out), "a new version is published");
        assertEquals(csv1, Files.readString(out.resolve("history.csv")), "same night, same rows: nothing duplicated");
        assertEquals(html1, Files.readString(out.resolve("index.html")));
        assertEquals(latest1, Files.readString(out.resolve("latest.json")));
        assertEquals(6, HistoryParquet.read(current(out).resolve("history.parquet")).size());

        // A run that dies (here: the references vanish) after a half-written version was left behind by
        // an earlier killed run: the published leaderboard is untouched.
        Path current = current(out);
        Path stale = Files.createDirectories(out.resolve("versions/19990101T000000.000Z-killed"));
        Files.writeString(stale.resolve("history.csv"), "partial");
        List<String> before;
        try (var s = Files.walk(out)) {
            before = s.map(Path::toString).sorted().toList();
        }
        Files.delete(refs);
        assertThrows(Exception.class, () -> LeaderboardJob.run(spark, opts(refs, subs, out, "2026-11-02")));
        assertEquals(current, current(out));
        assertEquals(csv1, Files.readString(out.resolve("history.csv")));
        assertEquals(html1, Files.readString(out.resolve("index.html")));
        try (var s = Files.walk(out)) {
            assertEquals(before, s.map(Path::toString).sorted().toList(), "a failed run leaves the board as it found it");
        }
        // the next published night cleans up what the killed run left
        writeRefs(tmp);
        LeaderboardJob.run(spark, opts(refs, subs, out, "2026-11-02"));
        assertFalse(Files.exists(stale), "the killed run's incomplete version is cleaned up");
    }

    @Test
    void aMalformedReferenceRecordIsJudgedOnTheDriverAndNamesRefs() throws Exception {
        Path refs = writeRefs(tmp);
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(refs.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("annotations").get(3)).remove("caption");
        JSON.writeValue(refs.toFile(), root);
        Path subs = tmp.resolve("subs");
        submission(subs, "a", "alpha", "Team A", "2026-10-30", results(GOOD));
        Path out = tmp.resolve("board");
        LeaderboardOptions o = opts(refs, subs, out, "2026-11-01");
        int jobsBefore = spark.sparkContext().statusTracker().getJobIdsForGroup(null).length;
        Exception e = assertThrows(Exception.class, () -> LeaderboardJob.run(spark, o));
        // thrown on the driver, not by a failed task (whose executor logs its stack trace on stderr)
        assertInstanceOf(org.capeval.metrics.coco.CocoFormatException.class, e);
        assertEquals(jobsBefore, spark.sparkContext().statusTracker().getJobIdsForGroup(null).length, "no Spark job ran");
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        int status;
        try {
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            status = LeaderboardJob.report(o, e);
        } finally {
            System.setErr(err);
        }
        assertEquals(2, status);
        assertEquals("capeval leaderboard: error: --refs " + refs + ": annotations[3] (image_id " + IDS[1] + "): missing field \"caption\"\n",
                captured.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertFalse(Files.exists(out.resolve("latest.json")), "nothing published");
    }

    /**
     * The board's refusals name --out as the user typed it (here a relative path), not as the
     * file: URI the job resolves it to: a directory that is not a board, and a board whose lock
     * another run holds. Exit status 1, the directory as it was.
     */
    @Test
    void refusalsNameOutAsTyped() throws Exception {
        Path refs = writeRefs(tmp);
        Path subs = tmp.resolve("subs");
        submission(subs, "a", "alpha", "Team A", "2026-10-30", results(GOOD));
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "someone's notes");
        String typed = Path.of("").toAbsolutePath().relativize(other).toString();
        LeaderboardOptions foreign = LeaderboardOptions.parse(new String[] {"--refs", refs.toString(), "--submissions", subs.toString(),
            "--out", typed, "--date", "2026-11-01"});
        Exception e = assertThrows(Exception.class, () -> LeaderboardJob.run(spark, foreign));
        assertEquals(List.of(1, "capeval leaderboard: failed: --out " + typed + " holds notes.txt, which is not part of a capeval "
                + "leaderboard; refusing to publish there (is --out the leaderboard directory?) (the previous leaderboard is left in place)\n"),
                failed(foreign, e));
        try (var left = Files.list(other)) {
            assertEquals(List.of("notes.txt"), left.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals("someone's notes", Files.readString(other.resolve("notes.txt")));

        Path board = tmp.resolve("board");
        String typedBoard = Path.of("").toAbsolutePath().relativize(board) + "/";
        LeaderboardOptions locked = LeaderboardOptions.parse(new String[] {"--refs", refs.toString(), "--submissions", subs.toString(),
            "--out", typedBoard, "--date", "2026-11-01"});
        try (LeaderboardStore held = LeaderboardStore.open(board)) {
            List<String> before;
            try (var w = Files.walk(board)) {
                before = w.map(Path::toString).sorted().toList();
            }
            Exception l = assertThrows(Exception.class, () -> LeaderboardJob.run(spark, locked));
            List<Object> r = failed(locked, l);
            assertEquals(1, r.get(0));
            String line = (String) r.get(1);
            assertTrue(line.matches("capeval leaderboard: failed: another leaderboard run holds " + java.util.regex.Pattern.quote(typedBoard + "_lock")
                    + " \\(\\{\"host\":\"[^\"]+\",\"pid\":" + ProcessHandle.current().pid() + ",\"started\":\"[^\"]+\"\\}\\); if no run is "
                    + "active, delete it \\(the previous leaderboard is left in place\\)\n"), line);
            try (var w = Files.walk(board)) {
                assertEquals(before, w.map(Path::toString).sorted().toList(), "the held board as it was");
            }
        }
    }

    /**
     * An --out on another store under a regular file (HDFS and s3a would refuse only the lock's
     * directory) is bad input before the lock, one line naming --out as typed; nothing is created.
     */
    @Test
    void anOutUnderARegularFileOnAnotherStoreIsBadInputBeforeTheLock() throws Exception {
        Path refs = writeRefs(tmp);
        Path subs = tmp.resolve("subs");
        submission(subs, "a", "alpha", "Team A", "2026-10-30", results(GOOD));
        Path file = Files.writeString(tmp.resolve("some-file"), "not a directory");
        List<String> before;
        try (var w = Files.walk(tmp)) {
            before = w.map(Path::toString).sorted().toList();
        }
        for (Path out : List.of(file.resolve("board"), file.resolve("a/board"), file)) {
            String typed = org.capeval.jobs.RemoteLocalFileSystem.of(out);
            LeaderboardOptions o = LeaderboardOptions.parse(new String[] {"--refs", refs.toString(), "--submissions", subs.toString(),
                "--out", typed, "--date", "2026-11-01"});
            Exception e = assertThrows(Exception.class, () -> LeaderboardJob.run(spark, o));
            assertEquals(List.of(2, "capeval leaderboard: error: --out " + typed + ": cannot be written (remote:" + file + ": not a directory)\n"),
                    failed(o, e));
            try (var w = Files.walk(tmp)) {
                assertEquals(before, w.map(Path::toString).sorted().toList(), out + ": nothing created");
            }
        }
    }

    /**
     * A night opens each submission's metadata file once, though the check before the lock and the
     * discovery after it both need its content (on an object store each open is a request): a
     * directory of submissions and a list file, on another store than the local files.
     */
    @Test
    void aNightOpensEachMetadataFileOnce() throws Exception {
        Path refs = writeRefs(tmp);
        Path subs = tmp.resolve("subs");
        submission(subs, "a", "alpha", "Team A", "2026-10-30", results(GOOD));
        submission(subs, "b", "beta", "Team B", "2026-10-31", results(WEAK));
        Path list = Files.writeString(tmp.resolve("night.txt"), "subs/a.meta.json\nsubs/b.meta.json\n");
        List<Path> metas = List.of(subs.resolve("a.meta.json"), subs.resolve("b.meta.json"));
        for (Path given : List.of(subs, list)) {
            List<Integer> before = metas.stream().map(org.capeval.jobs.RemoteLocalFileSystem::opened).toList();
            LeaderboardJob.Outcome o = LeaderboardJob.run(spark, LeaderboardOptions.parse(new String[] {"--refs", refs.toString(),
                "--submissions", org.capeval.jobs.RemoteLocalFileSystem.of(given), "--out", tmp.resolve("board-" + given.getFileName()).toString(),
                "--date", "2026-11-01", "--bootstrap-samples", "0"}));
            assertEquals(List.of(true, true), o.tonight().stream().map(HistoryRow::ok).toList(), given + ": both scored");
            assertEquals(before.stream().map(n -> n + 1).toList(), metas.stream().map(org.capeval.jobs.RemoteLocalFileSystem::opened).toList(),
                    given + ": each metadata file opened once");
        }
    }

    /** The night's last line on stderr names the published version under --out as typed (relative, a trailing slash), not as a file: URI. */
    @Test
    void theNightSaysWhereItPublishedWithOutAsTyped() throws Exception {
        Path refs = writeRefs(tmp);
        Path subs = tmp.resolve("subs");
        submission(subs, "a", "alpha", "Team A", "2026-10-30", results(GOOD));
        Path board = tmp.resolve("board");
        String typed = Path.of("").toAbsolutePath().relativize(board).toString();
        String refsBefore = Files.readString(refs);
        String subsBefore = Files.readString(subs.resolve("a.json")) + Files.readString(subs.resolve("a.meta.json"));
        LeaderboardJob.Outcome o = LeaderboardJob.run(spark, LeaderboardOptions.parse(new String[] {"--refs", refs.toString(),
            "--submissions", subs.toString(), "--out", typed + "/", "--date", "2026-11-01"}));
        List<String> lines = o.lines("2026-11-01");
        assertEquals("leaderboard: night 2026-11-01: published " + typed + "/versions/" + current(board).getFileName(), lines.get(lines.size() - 1));
        assertEquals(o.night().lines("2026-11-01"), lines.subList(0, lines.size() - 1), "the summary first");
        assertEquals(refsBefore, Files.readString(refs));
        assertEquals(subsBefore, Files.readString(subs.resolve("a.json")) + Files.readString(subs.resolve("a.meta.json")));
    }

    /** {@link LeaderboardJob#failed}'s exit status and its line on stderr. */
    private static List<Object> failed(LeaderboardOptions o, Exception e) {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        try {
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            int status = LeaderboardJob.failed(o, e);
            return List.of(status, captured.toString(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void historyAcrossThreeNights() throws Exception {
        Path refs = writeRefs(tmp);
        Path out = tmp.resolve("board");
        String[] nights = {"2026-11-01", "2026-11-02", "2026-11-03"};
        for (int night = 0; night < 3; night++) {
            Path subs = tmp.resolve("n" + night);
            // alpha improves night by night; beta is constant; gamma appears on the second night
            submission(subs, "a", "alpha", "A", nights[night], results(mix(2 + 3 * night)));
            submission(subs, "b", "beta", "B", "2026-10-01", results(mix(4)));
            if (night >= 1) submission(subs, "c", "gamma", "C", nights[night], results(mix(1)));
            // the last night is ranked on BLEU-4, which --significance leaves out: the primary metric is tested all the same
            String[] rankBy = night == 2 ? new String[] {"--rank-by", "Bleu_4", "--significance", "CIDEr"} : new String[0];
            LeaderboardJob.run(spark, opts(refs, subs, out, nights[night], rankBy));
        }
        List<HistoryRow> h = HistoryParquet.read(current(out).resolve("history.parquet"));
        assertEquals(List.of("2026-11-01", "2026-11-01", "2026-11-02", "2026-11-02", "2026-11-02", "2026-11-03", "2026-11-03", "2026-11-03"),
                h.stream().map(HistoryRow::night).toList());
        List<Double> alphaCider = new ArrayList<>();
        for (HistoryRow r : h) if (r.name().equals("alpha")) alphaCider.add(r.number("CIDEr"));
        assertEquals(3, alphaCider.size());
        assertTrue(alphaCider.get(0) < alphaCider.get(1) && alphaCider.get(1) < alphaCider.get(2), alphaCider.toString());
        // night 1: beta (4 good captions) leads alpha (2); night 3: alpha (8) leads
        assertEquals(Map.of("beta", 1, "alpha", 2), Map.of(h.get(0).name(), h.get(0).rank("CIDEr"), h.get(1).name(), h.get(1).rank("CIDEr")));
        assertEquals("alpha", h.get(5).name());
        assertEquals(1, h.get(5).rank("CIDEr"));
        assertNull(h.get(5).number("CIDEr_p_vs_leader"));
        assertNotNull(h.get(6).number("CIDEr_p_vs_leader"));
        // beta's numbers do not change across nights (same file, same references)
        List<Double> betaBleu = h.stream().filter(r -> r.name().equals("beta")).map(r -> r.number("Bleu_4")).toList();
        assertEquals(3, betaBleu.size());
        assertEquals(1, betaBleu.stream().distinct().count());
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("2026-11-01") && html.contains("2026-11-03"));
        var latest = JSON.readTree(out.resolve("latest.json").toFile());
        assertEquals("Bleu_4", latest.get("rank_by").asText());
        assertTrue(html.contains("<th class=\"primary\">Bleu_4 (ranked by)</th>"), "the page names the primary metric");
        assertNotNull(h.get(6).number("Bleu_4_p_vs_leader"), "the primary metric is tested");
        assertNull(h.get(6).number("ROUGE_L_p_vs_leader"), "--significance CIDEr: ROUGE-L not tested");
        for (int i = 6; i < 8; i++) assertTrue(h.get(i - 1).rank("Bleu_4") <= h.get(i).rank("Bleu_4"), "rows in Bleu_4 rank order");
        assertEquals(8, Files.readAllLines(out.resolve("history.csv")).size() - 1);
        // only the newest versions are kept
        try (var s = Files.list(out.resolve("versions"))) {
            assertEquals(LeaderboardStore.KEEP, s.count());
        }
    }

    /** Boards published before the history was written with parquet-hadoop hold Spark SQL's Parquet: the next night reads them alike. */
    @Test
    void aHistoryWrittenBySparkSqlReadsAsTheSameRows() throws Exception {
        Path refs = writeRefs(tmp), subs = night1(tmp), out = tmp.resolve("board");
        LeaderboardJob.run(spark, opts(refs, subs, out, "2026-11-01"));
        List<HistoryRow> rows = HistoryParquet.read(current(out).resolve("history.parquet"));
        assertTrue(rows.stream().anyMatch(r -> !r.ok()), "an error row (nulls) is part of the check");
        List<HistoryTable.Column> cols = HistoryTable.columns(rows);
        List<org.apache.spark.sql.types.StructField> fields = new ArrayList<>();
        for (HistoryTable.Column c : cols) {
            fields.add(org.apache.spark.sql.types.DataTypes.createStructField(c.name(), switch (c.kind()) {
                case TEXT -> org.apache.spark.sql.types.DataTypes.StringType;
                case LONG -> org.apache.spark.sql.types.DataTypes.LongType;
                case INT -> org.apache.spark.sql.types.DataTypes.IntegerType;
                case DOUBLE -> org.apache.spark.sql.types.DataTypes.DoubleType;
            }, true));
        }
        List<org.apache.spark.sql.Row> data = new ArrayList<>();
        for (HistoryRow r : rows) {
            Object[] v = new Object[cols.size()];
            for (int i = 0; i < v.length; i++) v[i] = HistoryTable.value(r, cols.get(i).name());
            data.add(org.apache.spark.sql.RowFactory.create(v));
        }
        Path sparkWritten = tmp.resolve("spark-history.parquet");
        spark.createDataFrame(data, org.apache.spark.sql.types.DataTypes.createStructType(fields)).coalesce(1).write()
                .parquet(sparkWritten.toUri().toString());
        assertEquals(rows, HistoryParquet.read(sparkWritten));
        // and Spark reads ours as the same table
        assertEquals(rows.size(), spark.read().parquet(current(out).resolve("history.parquet").toUri().toString()).count());
    }
}
