package org.capeval.jobs.leaderboard;

import static org.junit.jupiter.api.Assertions.*;

import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.capeval.metrics.significance.PairedBootstrap;
import org.junit.jupiter.api.Test;

class HistoryTest {

    @Test
    void competitionRanksShareTiesAndTheLeaderIsTheFirstNameAmongEquals() {
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("c", 0.5);
        s.put("a", 0.9);
        s.put("b", 0.9);
        s.put("d", Double.NaN);
        s.put("e", 0.1);
        assertEquals(Map.of("a", 1, "b", 1, "c", 3, "e", 4), Ranking.competition(s));
        assertEquals("a", Ranking.leader(s));
        assertNull(Ranking.leader(Map.of()));
    }

    private static Submission sub(String name, String error) {
        return new Submission(name, "team " + name, "2026-11-01", name + ".meta.json", name + ".json", error);
    }

    @Test
    void rowsCarryScoresRanksAndTestsErrorsLast() {
        List<String> keys = List.of("Bleu_4", "CIDEr");
        Map<String, NightAssembler.Scores> scores = Map.of(
                "x", new NightAssembler.Scores(Map.of("Bleu_4", 0.3, "CIDEr", 0.8), 10, "sig"),
                "y", new NightAssembler.Scores(Map.of("Bleu_4", 0.4, "CIDEr", 0.9), 10, "sig"));
        var test = new PairedBootstrap.Result(0.8, 0.9, 0.03, 0.7, 0.85, 0.79);
        var self = new PairedBootstrap.Result(0.9, 0.9, 1.0, 0.85, 0.95, 0.9);
        List<HistoryRow> rows = NightAssembler.rows("2026-11-02", keys, "CIDEr",
                List.of(sub("bad", "broken"), sub("x", null), sub("y", null)), scores,
                Map.of("x", Map.of("CIDEr", test), "y", Map.of("CIDEr", self)), Map.of("CIDEr", "y", "Bleu_4", "y"));
        assertEquals(List.of("y", "x", "bad"), rows.stream().map(HistoryRow::name).toList());
        HistoryRow x = rows.get(1);
        assertEquals(2, x.rank("CIDEr"));
        assertEquals(0.03, x.number("CIDEr_p_vs_leader"));
        assertEquals(0.7, x.number("CIDEr_ci_low"));
        assertNull(rows.get(0).number("CIDEr_p_vs_leader"), "the leader is not tested against itself");
        assertEquals(0.85, rows.get(0).number("CIDEr_ci_low"));
        assertEquals("error", rows.get(2).status());
        assertEquals("broken", rows.get(2).error());
        assertTrue(rows.get(2).ranks().isEmpty());

        List<String> cols = HistoryTable.columns(rows).stream().map(HistoryTable.Column::name).toList();
        assertEquals(List.of("night", "name", "team", "submission_date", "source", "status", "error", "n_images", "signature",
                "Bleu_4", "rank_Bleu_4", "CIDEr", "rank_CIDEr", "CIDEr_ci_low", "CIDEr_ci_high", "CIDEr_p_vs_leader"), cols);
    }

    @Test
    void parquetKeepsEveryRowAndNull(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        List<HistoryRow> rows = List.of(
                new HistoryRow("2026-11-02", "y", "t1", "2026-11-01", "y.json", "ok", null, 40504L, "sig",
                        Map.of("CIDEr", 0.9, "Bleu_4", 0.31, "CIDEr_ci_low", 0.85, "CIDEr_ci_high", 0.95), Map.of("CIDEr", 1, "Bleu_4", 2)),
                new HistoryRow("2026-11-02", "x", "t2", "2026-11-01", "x.json", "ok", null, 40504L, "sig",
                        Map.of("CIDEr", 0.8, "Bleu_4", 0.4, "CIDEr_ci_low", 0.7, "CIDEr_ci_high", 0.82, "CIDEr_p_vs_leader", 0.03),
                        Map.of("CIDEr", 2, "Bleu_4", 1)),
                new HistoryRow("2026-11-01", "old", null, null, "old.json", "ok", null, 40504L, "sig", Map.of("Bleu_4", 0.2), Map.of("Bleu_4", 1)),
                new HistoryRow("2026-11-02", "bad", "t3", "2026-11-01", "bad.json", "error", "bad.json: record 3: \"caption\" missing",
                        null, null, Map.of(), Map.of()));
        java.nio.file.Path dir = tmp.resolve("history.parquet");
        HistoryParquet.write(rows, dir);
        assertEquals(rows, HistoryParquet.read(dir));
        assertEquals(List.of(), HistoryParquet.read(tmp.resolve("absent.parquet")));
    }

    @Test
    void rowsAreInRankOrderOfTheRankByKey() {
        Map<String, NightAssembler.Scores> scores = Map.of(
                "x", new NightAssembler.Scores(Map.of("Bleu_4", 0.5, "CIDEr", 0.8), 10, "sig"),
                "y", new NightAssembler.Scores(Map.of("Bleu_4", 0.4, "CIDEr", 0.9), 10, "sig"));
        List<Submission> subs = List.of(sub("x", null), sub("y", null));
        List<String> keys = List.of("Bleu_4", "CIDEr");
        assertEquals(List.of("y", "x"), NightAssembler.rows("n", keys, "CIDEr", subs, scores, Map.of(), Map.of())
                .stream().map(HistoryRow::name).toList());
        assertEquals(List.of("x", "y"), NightAssembler.rows("n", keys, "Bleu_4", subs, scores, Map.of(), Map.of())
                .stream().map(HistoryRow::name).toList());
    }

    @Test
    void tiesWithTheLeaderAndThePValueFloor() {
        HistoryRow close = new HistoryRow("n", "c", "t", "n", "s", "ok", null, 1L, "sig",
                Map.of("CIDEr", 0.9, "CIDEr_p_vs_leader", 0.05, "Bleu_4", 0.3, "Bleu_4_p_vs_leader", 0.049), Map.of());
        assertTrue(Ranking.tiedWithLeader(close, "CIDEr"), "p = 0.05 is not significant at 5%");
        assertFalse(Ranking.tiedWithLeader(close, "Bleu_4"));
        assertFalse(Ranking.tiedWithLeader(close, "ROUGE_L"), "untested: no tie claimed");
        assertEquals(1 / 1001.0, Ranking.pFloor(1000));
    }

    @Test
    void rerunningANightReplacesItsRows() {
        HistoryRow a1 = row("2026-11-01", "a"), b1 = row("2026-11-01", "b"), a2 = row("2026-11-02", "a");
        List<HistoryRow> h = NightAssembler.replaceNight(List.of(), "2026-11-01", List.of(a1, b1));
        h = NightAssembler.replaceNight(h, "2026-11-02", List.of(a2));
        List<HistoryRow> again = NightAssembler.replaceNight(h, "2026-11-01", List.of(a1, b1));
        assertEquals(h, again);
        List<HistoryRow> fewer = NightAssembler.replaceNight(h, "2026-11-01", List.of(b1));
        assertEquals(List.of(b1, a2), fewer);
    }

    @Test
    void csvQuotesAndDefusesSubmitterText() throws Exception {
        HistoryRow r = new HistoryRow("2026-11-01", "=HYPERLINK(\"x\")", "a, \"b\"\nc", "2026-11-01", "s", "ok", null, 5L, "sig",
                Map.of("CIDEr", 0.5), Map.of("CIDEr", 1));
        StringWriter w = new StringWriter();
        HistoryTable.writeCsv(List.of(r), w);
        String[] lines = w.toString().split("\r\n");
        assertEquals("night,name,team,submission_date,source,status,error,n_images,signature,CIDEr,rank_CIDEr", lines[0]);
        assertEquals("2026-11-01,\"'=HYPERLINK(\"\"x\"\")\",\"a, \"\"b\"\"\nc\",2026-11-01,s,ok,,5,sig,0.5,1", lines[1]);
    }

    private static HistoryRow row(String night, String name) {
        return new HistoryRow(night, name, "t", night, "s", "ok", null, 1L, "sig", Map.of("CIDEr", 1.0), Map.of("CIDEr", 1));
    }
}
