package org.capeval.jobs.leaderboard;

import static org.capeval.jobs.leaderboard.LeaderboardFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.capeval.jobs.TestSessions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental nights on real local Spark: a board with its cache publishes exactly the bytes of a
 * board whose cache is emptied before every night, while scoring only new or changed files.
 */
class LeaderboardCacheTest {
    static SparkSession spark;

    @TempDir Path tmp;

    @BeforeAll
    static void start() {
        spark = TestSessions.local("leaderboard-cache-test").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    static LeaderboardOptions opts(Path refs, Path subs, Path out, String night, String... more) {
        List<String> a = new ArrayList<>(List.of("--refs", refs.toString(), "--submissions", subs.toString(), "--out", out.toString(),
                "--date", night, "--bootstrap-samples", "100", "--seed", "7"));
        if (!List.of(more).contains("--partitions")) a.addAll(List.of("--partitions", "3"));
        a.addAll(List.of(more));
        return LeaderboardOptions.parse(a.toArray(new String[0]));
    }

    /** Runs the night on the cached board and on the board without cache; both must publish the same bytes. */
    LeaderboardJob.Night night(Path refs, Path subs, String night, String... more) throws Exception {
        Path cached = tmp.resolve("cached"), fresh = tmp.resolve("fresh");
        LeaderboardJob.Outcome c = LeaderboardJob.run(spark, opts(refs, subs, cached, night, more));
        deleteTree(fresh.resolve(StatsCache.DIR));
        LeaderboardJob.Outcome f = LeaderboardJob.run(spark, opts(refs, subs, fresh, night, more));
        assertEquals(0, f.night().reused(), "the fresh board has no cache");
        for (String file : LeaderboardStore.COPIES) {
            assertArrayEquals(Files.readAllBytes(fresh.resolve(file)), Files.readAllBytes(cached.resolve(file)), night + " " + file);
        }
        assertEquals(HistoryParquet.read(LeaderboardJobTest.current(fresh).resolve("history.parquet")),
                HistoryParquet.read(LeaderboardJobTest.current(cached).resolve("history.parquet")), night + " history.parquet");
        return c.night();
    }

    /** The statistics entries of the board's cache. */
    static List<Path> entries(Path board) throws IOException {
        try (Stream<Path> s = Files.list(board.resolve(StatsCache.DIR))) {
            return s.filter(p -> !p.getFileName().toString().startsWith(ReferencesCache.PREFIX)).sorted().toList();
        }
    }

    /** The board's one entry of tokenized references. */
    static Path referencesEntry(Path board) throws IOException {
        try (Stream<Path> s = Files.list(board.resolve(StatsCache.DIR))) {
            List<Path> l = s.filter(p -> p.getFileName().toString().startsWith(ReferencesCache.PREFIX)).toList();
            assertEquals(1, l.size(), l.toString());
            return l.get(0);
        }
    }

    @Test
    void nightsWithTheCachePublishTheBytesOfNightsWithout() throws Exception {
        Path refs = writeRefs(tmp);
        Path n1 = tmp.resolve("n1");
        submission(n1, "a", "alpha", "A", "2026-11-01", results(GOOD));
        submission(n1, "b", "beta", "B", "2026-11-01", results(mix(4)));
        submission(n1, "c", "gamma", "C", "2026-11-01", results(mix(2)));
        submission(n1, "x", "broken", "X", "2026-11-01", results(GOOD).substring(0, 50));
        LeaderboardJob.Night first = night(refs, n1, "2026-11-01");
        assertEquals(List.of(3, 0, 1), List.of(first.scored(), first.reused(), first.rejected()));
        assertEquals(3, entries(tmp.resolve("cached")).size());

        // night 2: a new submission, beta's file changed, alpha and gamma unchanged (gamma copied elsewhere)
        Path n2 = tmp.resolve("n2");
        submission(n2, "a", "alpha", "A", "2026-11-01", results(GOOD));
        submission(n2, "b", "beta", "B", "2026-11-02", results(mix(5)));
        submission(n2, "c", "gamma", "C", "2026-11-01", results(mix(2)));
        submission(n2, "d", "delta", "D", "2026-11-02", results(mix(6)));
        submission(n2, "x", "broken", "X", "2026-11-01", results(GOOD).substring(0, 50));
        LeaderboardJob.Night second = night(refs, n2, "2026-11-02");
        assertEquals(List.of(2, 2, 1), List.of(second.scored(), second.reused(), second.rejected()));

        // night 3: gamma withdrawn; nothing to score, its entry (and beta's old one) leave the cache
        Path n3 = tmp.resolve("n3");
        submission(n3, "a", "alpha", "A", "2026-11-01", results(GOOD));
        submission(n3, "b", "beta", "B", "2026-11-02", results(mix(5)));
        submission(n3, "d", "delta", "D", "2026-11-02", results(mix(6)));
        LeaderboardJob.Night third = night(refs, n3, "2026-11-03");
        assertEquals(List.of(0, 3, 0), List.of(third.scored(), third.reused(), third.rejected()));
        assertEquals(3, entries(tmp.resolve("cached")).size());

        // another bootstrap plan: sums recomputed from the kept per-image statistics, nothing rescored
        LeaderboardJob.Night reseeded = night(refs, n3, "2026-11-03", "--seed", "8");
        assertEquals(List.of(0, 3), List.of(reseeded.scored(), reseeded.reused()));

        // other metric settings, then other references: every entry is a miss (all rescored, so the
        // numbers are a fresh night's by construction)
        Path cached = tmp.resolve("cached");
        LeaderboardJob.Night metrics = LeaderboardJob.run(spark, opts(refs, n3, cached, "2026-11-04", "--metrics", "bleu,cider")).night();
        assertEquals(List.of(3, 0), List.of(metrics.scored(), metrics.reused()));
        String[][] changed = REFS.clone();
        changed[3] = new String[] {"A red bus on a street in the city.", "A bus drives down the road past tall buildings."};
        Path refs2 = writeRefs(Files.createDirectories(tmp.resolve("refs2")), changed);
        LeaderboardJob.Night newRefs = LeaderboardJob.run(spark, opts(refs2, n3, cached, "2026-11-05")).night();
        assertEquals(List.of(3, 0), List.of(newRefs.scored(), newRefs.reused()));
        assertEquals(3, entries(cached).size(), "the cache holds tonight's entries only");
    }

    @Test
    void aDamagedOrPartialEntryIsRescoredNeverTrusted() throws Exception {
        Path refs = writeRefs(tmp);
        Path subs = tmp.resolve("subs");
        String[] names = {"alpha", "beta", "gamma", "delta", "eps"};
        for (int i = 0; i < names.length; i++) submission(subs, names[i], names[i], "T", "2026-11-01", results(mix(2 + i)));
        Path board = tmp.resolve("cached");
        LeaderboardJob.run(spark, opts(refs, subs, board, "2026-11-01"));
        byte[] clean = Files.readAllBytes(board.resolve("latest.json"));
        List<Path> e = entries(board);
        assertEquals(5, e.size());
        // a killed night: no entry.json; a truncated Parquet file; one flipped digit in entry.json;
        // a damaged bootstrap file (recomputed from the kept statistics, not rescored)
        Files.delete(e.get(0).resolve(StatsCache.ENTRY));
        Path parquet = e.get(1).resolve(StatsCache.IMAGES);
        Files.write(parquet, java.util.Arrays.copyOf(Files.readAllBytes(parquet), (int) Files.size(parquet) - 10));
        Path entry = e.get(2).resolve(StatsCache.ENTRY);
        String text = Files.readString(entry);
        int at = text.indexOf("\"stats\":[\"") + 12;
        Files.writeString(entry, text.substring(0, at) + (text.charAt(at) == '1' ? '2' : '1') + text.substring(at + 1));
        Path boot;
        try (Stream<Path> s = Files.list(e.get(3))) {
            boot = s.filter(p -> p.getFileName().toString().startsWith("bootstrap-")).findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(boot);
        b[b.length / 2] ^= 1;
        Files.write(boot, b);

        LeaderboardJob.Outcome o = LeaderboardJob.run(spark, opts(refs, subs, board, "2026-11-01"));
        assertEquals(List.of(3, 2, 0), List.of(o.night().scored(), o.night().reused(), o.night().rejected()), o.night().toString());
        assertEquals(2, o.night().untrusted().size(), o.night().untrusted().toString());
        assertArrayEquals(clean, Files.readAllBytes(board.resolve("latest.json")), "the rescored and recomputed night is the clean night");
        // everything was rewritten whole: the next night reuses all five
        LeaderboardJob.Outcome again = LeaderboardJob.run(spark, opts(refs, subs, board, "2026-11-01"));
        assertEquals(List.of(0, 5), List.of(again.night().scored(), again.night().reused()));
        assertArrayEquals(clean, Files.readAllBytes(board.resolve("latest.json")));
    }

    @Test
    void theTokenizedReferencesAreKeptAndADamagedEntryIsTokenizedAgain() throws Exception {
        Path refs = writeRefs(tmp);
        Path subs = tmp.resolve("subs");
        submission(subs, "a", "alpha", "A", "2026-11-01", results(GOOD));
        submission(subs, "b", "beta", "B", "2026-11-01", results(mix(4)));
        LeaderboardJob.Night first = night(refs, subs, "2026-11-01");
        assertFalse(first.referencesCached());
        Path board = tmp.resolve("cached");
        Path entry = referencesEntry(board);
        assertTrue(Files.exists(entry.resolve(ReferencesCache.ENTRY)));

        // a new file: the references come from the cache; the bytes are those of a night without it
        submission(subs, "c", "gamma", "C", "2026-11-02", results(mix(2)));
        LeaderboardJob.Night second = night(refs, subs, "2026-11-02");
        assertEquals(List.of(1, 2), List.of(second.scored(), second.reused()));
        assertTrue(second.referencesCached());
        assertNull(second.referencesUntrusted());
        // another partitioning than the entry's (3 parts): its images are moved to tonight's 2 ranges
        LeaderboardJob.Night regrouped = night(refs, subs, "2026-11-02", "--partitions", "2");
        assertTrue(regrouped.referencesCached());
        assertEquals(entry, referencesEntry(board), "the entry is kept, not rewritten for another partitioning");

        // damage: one flipped byte in a part, a truncated part, a part gone, one flipped digit in refs.json,
        // refs.json gone (a night killed while writing the entry: a miss, nothing to report)
        Path part = entry.resolve("part-1.bin");
        Map<String, Damage> damages = new LinkedHashMap<>();
        damages.put("part-1.bin is damaged", () -> {
            byte[] b = Files.readAllBytes(part);
            b[b.length / 3] ^= 1;
            Files.write(part, b);
        });
        damages.put("part-1.bin is damaged ", () -> Files.write(part, Arrays.copyOf(Files.readAllBytes(part), (int) Files.size(part) - 1)));
        damages.put("part-2.bin", () -> Files.delete(entry.resolve("part-2.bin")));
        damages.put(ReferencesCache.ENTRY + " is damaged (checksum)", () -> {
            Path j = entry.resolve(ReferencesCache.ENTRY);
            String text = Files.readString(j);
            int at = text.indexOf("\"images\":") + 9;
            Files.writeString(j, text.substring(0, at) + (text.charAt(at) == '9' ? '8' : '9') + text.substring(at + 1));
        });
        damages.put("", () -> Files.delete(entry.resolve(ReferencesCache.ENTRY)));
        for (Map.Entry<String, Damage> d : damages.entrySet()) {
            d.getValue().apply();
            LeaderboardJob.Night damaged = night(refs, subs, "2026-11-02");
            assertFalse(damaged.referencesCached(), d.getKey());
            if (d.getKey().isEmpty()) assertNull(damaged.referencesUntrusted());
            else assertTrue(damaged.referencesUntrusted().contains(d.getKey().strip()), damaged.referencesUntrusted());
            assertEquals(List.of(0, 3), List.of(damaged.scored(), damaged.reused()), "the statistics entries are still good");
            // rewritten whole: the next night reads it
            LeaderboardJob.Night again = LeaderboardJob.run(spark, opts(refs, subs, board, "2026-11-02")).night();
            assertTrue(again.referencesCached(), d.getKey());
            assertNull(again.referencesUntrusted());
        }

        // other references, or another tokenizer: another entry (tokenized from the file), the old one removed
        String[][] changed = REFS.clone();
        changed[5] = new String[] {"Skiers on a snowy mountain slope.", "People skiing down a hill in the snow."};
        Path refs2 = writeRefs(Files.createDirectories(tmp.resolve("refs2")), changed);
        LeaderboardJob.Night newRefs = night(refs2, subs, "2026-11-03");
        assertFalse(newRefs.referencesCached());
        assertNull(newRefs.referencesUntrusted());
        Path entry2 = referencesEntry(board);
        assertNotEquals(entry.getFileName(), entry2.getFileName());
        assertTrue(night(refs2, subs, "2026-11-03").referencesCached());
        LeaderboardJob.Night pretokenized = night(refs2, subs, "2026-11-03", "--pretokenized");
        assertFalse(pretokenized.referencesCached());
        assertNotEquals(entry2.getFileName(), referencesEntry(board).getFileName());
    }

    interface Damage {
        void apply() throws IOException;
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
