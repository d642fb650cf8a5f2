package org.capeval.jobs.leaderboard;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.capeval.jobs.leaderboard.LeaderboardFixture.Board;
import org.capeval.jobs.leaderboard.html.Html;
import org.capeval.jobs.leaderboard.html.LeaderboardPage;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The page as HTML, parsed (jsoup): every number against {@code latest.json} written from the same
 * rows, the primary metric, ties and p-value bounds, teams, and the charts' legibility with 200
 * submissions. The browser check is LeaderboardPageChromiumTest.
 */
class LeaderboardPageTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int B = 1000;
    /** 200 submissions of 40 teams over six nights, ranked on CIDEr with B = 1000: built once for the tests that read it. */
    static Board board;
    static Rendered page;

    @BeforeAll
    static void renderTheBigBoard() throws Exception {
        board = LeaderboardFixture.syntheticBoard(200, 40, 6, B, "CIDEr");
        page = render(board, "CIDEr", B);
    }

    private static HistoryRow ok(String night, String name, double cider) {
        return new HistoryRow(night, name, "t", night, "s", "ok", null, 8L, "sig", Map.of("CIDEr", cider), Map.of("CIDEr", 1));
    }

    /** The page and the latest.json of a board, as the job writes them. */
    record Rendered(Document page, JsonNode latest, String html) {}

    static Rendered render(Board board, String rankBy, int samples) throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("bootstrap_samples", samples);
        settings.put("significance_level", Ranking.SIGNIFICANCE_LEVEL);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        LatestJson.write(board.night(), board.tonight(), board.leaders(), rankBy, settings, json);
        String html = LeaderboardPage.render(board.history(), board.night(), board.leaders(), rankBy, samples,
                List.of(samples + " resamples."));
        return new Rendered(Jsoup.parse(html), JSON.readTree(json.toByteArray()), html);
    }

    @Test
    void everyNumberOnThePageIsANumberOfLatestJsonOrTheHistory() throws Exception {
        Rendered r = page;
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode s : r.latest().get("submissions")) if (s.get("status").asText().equals("ok")) byName.put(s.get("name").asText(), s);
        Map<String, HistoryRow> past = new HashMap<>();
        for (HistoryRow h : board.history()) past.put(h.night() + "/" + h.name(), h);

        int checked = 0, floors = 0;
        double floor = Ranking.pFloor(B);
        Map<String, Double> shown = new HashMap<>(); // "name/col" of tonight → value
        for (Element d : r.page().select("data")) {
            Element tr = d.closest("tr");
            assertNotNull(tr, "every number sits in a row: " + d);
            String col = d.attr("data-col"), name = tr.attr("data-name"), night = tr.attr("data-night");
            double value = Double.parseDouble(d.attr("value"));
            double expected;
            if (night.equals(board.night())) {
                JsonNode s = byName.get(name);
                assertNotNull(s, "a row of tonight names a submission of latest.json: " + name);
                assertTrue(s.has(col) && s.get(col).isNumber(), name + " has no number " + col + " in latest.json");
                expected = s.get(col).asDouble();
                shown.put(name + "/" + col, value);
            } else {
                HistoryRow h = past.get(night + "/" + name);
                assertNotNull(h, night + "/" + name);
                Object v = HistoryTable.value(h, col);
                expected = ((Number) v).doubleValue();
            }
            assertEquals(expected, value, 0.0, name + " " + col + ": the exact value");
            String text = d.text();
            if (col.startsWith("rank_")) {
                assertEquals(String.valueOf((int) expected), text, name + " " + col);
            } else if (col.endsWith("_p_vs_leader")) {
                if (expected == floor) {
                    assertEquals("p < 0.001", text, "p at the floor 1/(B+1) of B = 1000 resamples");
                    floors++;
                } else {
                    assertTrue(text.startsWith("p = "), text);
                    assertEquals(expected, Double.parseDouble(text.substring(4)), 0.0005 + 1e-12, name + " " + col + " " + text);
                }
            } else {
                assertEquals(expected, Double.parseDouble(text), 0.00005 + 1e-12, name + " " + col + " shown as " + text);
            }
            checked++;
        }
        assertTrue(floors > 10, "p-values at the floor are on the page: " + floors);

        // ... and every number of latest.json is on the page, in a row of its submission.
        int numbers = 0;
        for (JsonNode s : r.latest().get("submissions")) {
            if (!s.get("status").asText().equals("ok")) continue;
            for (Map.Entry<String, JsonNode> f : s.properties()) {
                if (!f.getValue().isNumber() || f.getKey().equals(HistoryTable.N_IMAGES)) continue;
                String what = s.get("name").asText() + "/" + f.getKey();
                assertEquals(f.getValue().asDouble(), shown.get(what), what + " is on the page");
                numbers++;
            }
        }
        assertTrue(numbers > 200 * 8, "numbers of latest.json checked: " + numbers);
        assertTrue(checked > numbers, "numbers of the page checked: " + checked);
        // the ranked table holds each submission's every metric with its interval and p-value
        Element first = r.page().getElementById("ranking-table").selectFirst("tr.ok:not(.leader)");
        for (String col : List.of("CIDEr", "CIDEr_ci_low", "CIDEr_ci_high", "CIDEr_p_vs_leader", "rank_CIDEr", "Bleu_4", "Bleu_4_p_vs_leader", "ROUGE_L")) {
            assertNotNull(first.selectFirst("data[data-col=" + col + "]"), col);
        }
        assertTrue(r.page().selectFirst("p.summary").text().startsWith("200 submissions scored, 1 rejected."));
    }

    @Test
    void thePrimaryMetricRanksTheTableAndNamesItsHeaderAndEachMetricHasItsRanking() throws Exception {
        for (String rankBy : List.of("CIDEr", "Bleu_4")) {
            Board board = LeaderboardFixture.syntheticBoard(30, 10, 2, B, rankBy);
            Rendered r = render(board, rankBy, B);
            Element table = r.page().getElementById("ranking-table");
            assertEquals(rankBy + " (ranked by)", table.selectFirst("th.primary").text());
            assertEquals("Ranked by " + rankBy, r.page().selectFirst("#ranking h2").text());
            assertEquals(rankBy, r.latest().get("rank_by").asText());
            // rows in rank order on the primary metric, the leader first; JSON in the same order
            List<Integer> ranks = table.select("tr.ok td.rank data").eachAttr("value").stream().map(Integer::valueOf).toList();
            assertEquals(30, ranks.size());
            assertEquals(table.select("tr.ok td.rank data").size(), table.select("tr.ok td.rank data[data-col=rank_" + rankBy + "]").size());
            for (int i = 1; i < ranks.size(); i++) assertTrue(ranks.get(i - 1) <= ranks.get(i), ranks.toString());
            assertEquals(board.leaders().get(rankBy), table.selectFirst("tr.ok").attr("data-name"));
            assertTrue(table.selectFirst("tr.ok").hasClass("leader"));
            List<String> jsonOrder = new ArrayList<>();
            for (JsonNode s : r.latest().get("submissions")) if (s.get("status").asText().equals("ok")) jsonOrder.add(s.get("name").asText());
            assertEquals(jsonOrder, table.select("tr.ok").eachAttr("data-name"));
            // one section per other metric, ranked by it
            for (String key : LeaderboardFixture.SYNTHETIC_KEYS) {
                Element section = r.page().getElementById("by-" + key);
                if (key.equals(rankBy)) {
                    assertNull(section, "the primary metric's ranking is the main table");
                    continue;
                }
                assertNotNull(section, key);
                assertEquals(key, section.selectFirst("th.primary").text());
                List<Integer> byKey = section.select("tr.ok td.rank data[data-col=rank_" + key + "]").eachAttr("value").stream().map(Integer::valueOf).toList();
                assertEquals(30, byKey.size());
                for (int i = 1; i < byKey.size(); i++) assertTrue(byKey.get(i - 1) <= byKey.get(i), key + byKey);
                assertEquals(board.leaders().get(key), section.selectFirst("tr.ok").attr("data-name"));
                assertNotNull(r.page().selectFirst("nav a[href=#by-" + key + "]"), "the nav links " + key);
            }
        }
    }

    @Test
    void submissionsNotSignificantlyDifferentFromTheLeaderAreMarkedTied() throws Exception {
        Rendered r = page;
        Element table = r.page().getElementById("ranking-table");
        Set<String> tiedJson = new HashSet<>();
        for (JsonNode s : r.latest().get("submissions")) {
            if (!s.get("status").asText().equals("ok")) continue;
            JsonNode p = s.get("CIDEr_p_vs_leader");
            boolean tied = s.get(LatestJson.TIED).asBoolean();
            assertEquals(p != null && !p.isNull() && p.asDouble() >= 0.05, tied, s.get("name").asText());
            if (tied) tiedJson.add(s.get("name").asText());
        }
        assertTrue(tiedJson.size() >= 2, "the fixture has ties: " + tiedJson);
        assertEquals(tiedJson, new HashSet<>(table.select("tr.tied").eachAttr("data-name")));
        for (Element row : table.select("tr.tied")) assertEquals("tied with leader", row.selectFirst("td.vs .tie").text());
        assertEquals(0, table.select("tr.ok:not(.tied) td.vs .tie").size());
        assertEquals("leader", table.selectFirst("tr.leader td.vs").text());
        assertFalse(r.html().contains("p = 0.000"), "a p-value at the floor is never shown as 0");
    }

    @Test
    void pValuesAtTheResamplingFloorAreShownAsABound() {
        assertEquals("p < 0.001", LeaderboardPage.pText(Ranking.pFloor(1000), 1000));
        assertEquals("p < 0.005", LeaderboardPage.pText(Ranking.pFloor(200), 200));
        assertEquals("p ≤ 0.01", LeaderboardPage.pText(Ranking.pFloor(99), 99), "the floor is 0.01 exactly");
        assertEquals("p < 0.0001", LeaderboardPage.pText(Ranking.pFloor(10000), 10000));
        assertEquals("p < 0.001", LeaderboardPage.pText(0.0004, 10000), "above the floor, below what three decimals show");
        assertEquals("p = 0.034", LeaderboardPage.pText(0.0342, 1000));
        assertEquals("p = 0.002", LeaderboardPage.pText(2 / 1001.0, 1000), "one above the floor is a value");
        assertEquals("p = 1.000", LeaderboardPage.pText(1.0, 1000));
    }

    @Test
    void eachTeamShowsItsBestSubmissionAndItsHistory() throws Exception {
        Rendered r = page;
        Map<String, JsonNode> best = new LinkedHashMap<>();
        for (JsonNode s : r.latest().get("submissions")) {
            if (!s.get("status").asText().equals("ok")) continue;
            JsonNode b = best.get(s.get("team").asText());
            if (b == null || s.get("rank_CIDEr").asInt() < b.get("rank_CIDEr").asInt()) best.put(s.get("team").asText(), s);
        }
        List<Element> rows = r.page().select("#teams-table > tbody > tr");
        assertEquals(40, best.size());
        assertEquals(best.size(), rows.size(), "one row per team");
        int previous = 0;
        for (Element row : rows) {
            String team = row.selectFirst("td.team").text();
            assertEquals(best.get(team).get("name").asText(), row.attr("data-name"), team);
            int rank = Integer.parseInt(row.selectFirst("td.rank data").attr("value"));
            assertTrue(rank >= previous, "teams in order of their best rank");
            previous = rank;
            List<HistoryRow> teamRows = board.history().stream().filter(h -> h.ok() && h.team().equals(team)).toList();
            List<Element> hist = row.select("table.team-history tbody tr");
            assertEquals(teamRows.size(), hist.size(), team + ": every scored submission of every night");
            assertEquals(teamRows.stream().map(HistoryRow::night).distinct().count(),
                    hist.stream().map(e -> e.attr("data-night")).distinct().count());
            assertEquals(board.night(), hist.get(0).attr("data-night"), "newest night first");
        }
    }

    @Test
    void withTwoHundredSubmissionsOnlyTheTopTenAreDrawnInColour() throws Exception {
        Rendered r = page;
        Set<String> everyone = new HashSet<>();
        for (HistoryRow h : board.history()) if (h.ok()) everyone.add(h.name());
        assertEquals(200, everyone.size());
        List<Element> charts = r.page().select("svg.chart");
        assertEquals(List.of("chart-CIDEr", "chart-Bleu_4", "chart-ROUGE_L"), charts.stream().map(Element::id).toList(), "primary first");
        for (Element svg : charts) {
            String key = svg.id().substring("chart-".length());
            Map<String, Integer> rank = new HashMap<>();
            for (JsonNode s : r.latest().get("submissions")) if (s.get("status").asText().equals("ok")) rank.put(s.get("name").asText(), s.get("rank_" + key).asInt());
            List<String> top = new ArrayList<>(rank.keySet());
            top.sort(java.util.Comparator.<String, Integer>comparing(rank::get).thenComparing(java.util.Comparator.naturalOrder()));
            top = top.subList(0, LeaderboardPage.TOP_K);
            List<Element> strong = svg.select("g.series.top");
            assertEquals(LeaderboardPage.TOP_K, strong.size(), key);
            Map<String, String> byRank = new HashMap<>();
            for (Element g : strong) byRank.put(g.attr("data-rank"), g.attr("data-name"));
            for (int i = 0; i < top.size(); i++) assertEquals(top.get(i), byRank.get(String.valueOf(i + 1)), key + " #" + (i + 1));
            Set<String> colours = new HashSet<>();
            for (Element line : svg.select("g.series.top polyline")) {
                assertFalse(line.hasAttr("stroke-opacity"), "top lines at full opacity");
                colours.add(line.attr("stroke"));
            }
            assertEquals(LeaderboardPage.TOP_K, colours.size(), key + ": ten distinct colours");
            List<Element> faded = svg.select("g.series.faded");
            assertEquals(everyone.size() - LeaderboardPage.TOP_K, faded.size(), key + ": everyone else is faded");
            for (Element g : faded) {
                assertTrue(g.select("circle[r=3.5]").isEmpty(), "no dots on faded lines");
                for (Element line : g.select("polyline")) {
                    assertTrue(Double.parseDouble(line.attr("stroke-opacity")) <= 0.3, line.toString());
                    assertEquals("1", line.attr("stroke-width"));
                }
            }
            // the top lines are drawn last (over the faded ones), the best the very last
            List<Element> groups = svg.select("g.series");
            assertEquals(top.get(0), groups.get(groups.size() - 1).attr("data-name"));
            assertTrue(groups.subList(0, faded.size()).stream().allMatch(g -> g.hasClass("faded")));
            // the legend names the ten and counts the rest
            Element legend = svg.parent().selectFirst("ul.legend");
            assertEquals(LeaderboardPage.TOP_K + 1, legend.select("li").size());
            assertEquals("190 others", legend.selectFirst("li.others").text());
            // the night's numbers in the dots' titles are latest.json's, rounded
            for (Element g : strong) {
                JsonNode s = find(r.latest(), g.attr("data-name"));
                String title = g.select("circle > title").last().text();
                assertTrue(title.contains(board.night() + ": "), title);
                assertEquals(s.get(key).asDouble(), Double.parseDouble(title.substring(title.lastIndexOf(' ') + 1)), 0.00005 + 1e-12, title);
            }
        }
    }

    private static JsonNode find(JsonNode latest, String name) {
        for (JsonNode s : latest.get("submissions")) if (s.get("name").asText().equals(name)) return s;
        throw new AssertionError(name);
    }

    @Test
    void escapingCoversEveryMarkupCharacter() {
        assertEquals("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;", Html.escape("<a href=\"x\" title='y'>&amp;</a>"));
        assertEquals("", Html.escape(null));
    }

    @Test
    void aNightWithoutScoredSubmissionsStillShowsItsErrorsAndTheCharts() {
        HistoryRow bad = new HistoryRow("2026-11-02", "<b onmouseover=x>", "\"team\"", "2026-11-02", "s", "error",
                "f.json: results[3] (image_id 9): <boom>", null, null, Map.of(), Map.of());
        String html = LeaderboardPage.render(List.of(ok("2026-11-01", "alpha", 0.9), bad), "2026-11-02", Map.of(), "CIDEr", 1000,
                List.of("note <x>"));
        assertTrue(html.contains("<tr class=\"error\">"));
        assertTrue(html.contains("&lt;b onmouseover=x&gt;"));
        assertTrue(html.contains("&quot;team&quot;"));
        assertTrue(html.contains("results[3] (image_id 9): &lt;boom&gt;"));
        assertTrue(html.contains("note &lt;x&gt;"));
        assertFalse(html.contains("<b onmouseover"));
        assertTrue(html.contains("<svg class=\"chart\" id=\"chart-CIDEr\""), "history charts stay");
        assertTrue(html.contains("0 submissions scored, 1 rejected."));
        assertFalse(html.toLowerCase().contains("<script"));
        Document page = Jsoup.parse(html);
        for (Element a : page.select("[href]")) assertTrue(a.attr("href").startsWith("#"), "links stay on the page: " + a);
        String rest = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "").replaceAll("href=\"#[A-Za-z0-9_-]+\"", "");
        for (String ref : List.of("http:", "https:", "src=", "href=", "url(", "@import")) assertFalse(rest.contains(ref), "no external resource: " + ref);
    }
}
