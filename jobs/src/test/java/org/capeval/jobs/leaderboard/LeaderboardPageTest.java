package org.capeval.jobs.leaderboard;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.capeval.jobs.leaderboard.html.Html;
import org.capeval.jobs.leaderboard.html.LeaderboardPage;
import org.junit.jupiter.api.Test;

/** The page as a string (the browser check is LeaderboardPageChromiumTest). */
class LeaderboardPageTest {

    private static HistoryRow ok(String night, String name, double cider) {
        return new HistoryRow(night, name, "t", night, "s", "ok", null, 8L, "sig", Map.of("CIDEr", cider), Map.of("CIDEr", 1));
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
        String html = LeaderboardPage.render(List.of(ok("2026-11-01", "alpha", 0.9), bad), "2026-11-02", Map.of(), List.of("note <x>"));
        assertTrue(html.contains("<tr class=\"error\">"));
        assertTrue(html.contains("&lt;b onmouseover=x&gt;"));
        assertTrue(html.contains("&quot;team&quot;"));
        assertTrue(html.contains("results[3] (image_id 9): &lt;boom&gt;"));
        assertTrue(html.contains("note &lt;x&gt;"));
        assertFalse(html.contains("<b onmouseover"));
        assertTrue(html.contains("<svg class=\"chart\" id=\"chart-CIDEr\""), "history charts stay");
        assertTrue(html.contains("0 submissions scored, 1 rejected."));
        assertFalse(html.toLowerCase().contains("<script"));
        String rest = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        for (String ref : List.of("http:", "https:", "src=", "href=", "url(", "@import")) assertFalse(rest.contains(ref), "no external resource: " + ref);
    }
}
