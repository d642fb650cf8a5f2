package org.capeval.jobs.leaderboard.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.capeval.jobs.leaderboard.HistoryRow;
import org.junit.jupiter.api.Test;

/** A rejected name with bidi or control characters is shown escaped on the page, never raw. */
class HtmlEscapeTest {
    @Test
    void invisibleCharactersAreShownAsTheirCodes() {
        assertEquals("evil\\u202Egpj.exe", Html.escape("evil\u202Egpj.exe"));
        assertEquals("a\\u0000b\\u001Bc\\u200Bd\\u2028e", Html.escape("a\u0000b\u001Bc\u200Bd\u2028e"));
        assertEquals("tag\\U000E0041", Html.escape("tag" + new String(Character.toChars(0xE0041))));
        assertEquals("lone\\uD800", Html.escape("lone\uD800"));
        assertEquals("&lt;b&gt; &amp; &quot;x&quot; &#39;y&#39; café 😀 名前", Html.escape("<b> & \"x\" 'y' café 😀 名前"));
    }

    @Test
    void aRejectedNameIsEscapedOnThePage() {
        String name = "team\u202Eevil\u0007";
        HistoryRow rejected = new HistoryRow("2026-12-01", name, "t", "2026-12-01", "s", "error",
                "name contains an invisible format character U+202E", null, null, Map.of(), Map.of());
        String page = LeaderboardPage.render(List.of(rejected), "2026-12-01", Map.of(), "CIDEr", 0, List.of());
        assertTrue(page.contains("team\\u202Eevil\\u0007"), page);
        assertFalse(page.contains("\u202E"), "no raw bidi override on the page");
        assertFalse(page.contains("\u0007"), "no raw control character on the page");
    }
}
