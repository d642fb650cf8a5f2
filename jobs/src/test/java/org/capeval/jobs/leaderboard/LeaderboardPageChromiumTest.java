package org.capeval.jobs.leaderboard;

import static org.capeval.jobs.leaderboard.LeaderboardFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.capeval.jobs.TestSessions;
import org.capeval.jobs.leaderboard.html.LeaderboardPage;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the generated index.html in headless Chromium (Debian package {@code chromium}; .ci/run
 * installs it): the DOM Chromium builds must hold the ranked rows, the error rows and one SVG chart
 * per metric, and submitter strings must be text, not markup. A screenshot is kept in
 * {@code target/leaderboard-screenshot.png}.
 */
class LeaderboardPageChromiumTest {
    static SparkSession spark;
    @TempDir Path tmp;

    @BeforeAll
    static void start() {
        spark = TestSessions.local("leaderboard-page-test").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    static String chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String exe : List.of("chromium", "chromium-browser")) {
                if (Files.isExecutable(Path.of(dir, exe))) return Path.of(dir, exe).toString();
            }
        }
        return null;
    }

    private String run(String chromium, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium-profile")));
        cmd.addAll(List.of(args));
        Path stdout = tmp.resolve("chromium.out");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(tmp.resolve("chromium.err").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 120 s");
        }
        assertEquals(0, p.exitValue(), () -> "chromium failed: " + readQuietly(tmp.resolve("chromium.err")));
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return e.toString();
        }
    }

    static String chromiumOrSkip() {
        String chromium = chromium();
        if (chromium == null) {
            if ("1".equals(System.getenv("CAPEVAL_REQUIRE_SHARED"))) fail("chromium is required under CI (apt-get install -y chromium)");
            Assumptions.abort("chromium not installed (apt-get install chromium); skipping the browser check of the leaderboard page");
        }
        return chromium;
    }

    @Test
    void thePageRendersRowsChartsAndShowsHostileNamesAsText() throws Exception {
        String chromium = chromiumOrSkip();
        Path refs = writeRefs(tmp);
        Path out = tmp.resolve("board");
        LeaderboardJob.run(spark, LeaderboardJobTest.opts(refs, LeaderboardJobTest.night1(tmp.resolve("n1")), out, "2026-11-01"));
        Path night2 = tmp.resolve("n2");
        submission(night2, "a", "alpha", "<script>alert(2)</script>", "2026-11-02", results(mix(7)));
        submission(night2, "g", "<img src=x onerror=alert(3)>", "Team G & co", "2026-11-02", results(mix(5)));
        submission(night2, "s", "<script>alert(1)</script>", "Team S", "2026-11-02", results(GOOD));
        LeaderboardJob.run(spark, LeaderboardJobTest.opts(refs, night2, out, "2026-11-02"));

        String url = out.resolve("index.html").toUri().toString();
        long t0 = System.nanoTime();
        String dom = run(chromium, "--dump-dom", url);
        Path png = tmp.resolve("page.png");
        run(chromium, "--window-size=1280,2400", "--screenshot=" + png, url);
        System.err.printf("chromium: dump + screenshot in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        // table: two ranked rows, one rejected row (the night's), hostile strings as text
        Document page = Jsoup.parse(dom);
        assertEquals(2, page.select("#ranking-table tr.ok").size(), dom);
        assertEquals(1, page.select("#ranking-table tr.error").size(), dom);
        assertEquals("CIDEr (ranked by)", page.selectFirst("#ranking-table th.primary").text());
        assertTrue(dom.contains("<td class=\"name\">&lt;script&gt;alert(1)&lt;/script&gt;</td>"), "hostile name shown as text");
        assertTrue(dom.contains("<td class=\"team\">&lt;script&gt;alert(2)&lt;/script&gt;</td>"), "hostile team shown as text");
        assertTrue(dom.contains("<td class=\"name\">&lt;img src=x onerror=alert(3)&gt;</td>"));
        assertTrue(dom.contains("Team G &amp; co"));
        assertFalse(Pattern.compile("<script", Pattern.CASE_INSENSITIVE).matcher(dom).find(), "no script element in the DOM");
        assertFalse(Pattern.compile("<img", Pattern.CASE_INSENSITIVE).matcher(dom).find(), "no img element in the DOM");
        assertTrue(dom.contains("invalid name: name contains '/'"));
        // the ranked order: alpha first
        assertTrue(dom.indexOf("<td class=\"name\">alpha</td>") < dom.indexOf("<td class=\"name\">&lt;img"));
        // one chart per metric, each with a line per ranked submission over the two nights
        int charts = count(dom, "<svg class=\"chart\"");
        assertEquals(6, charts);
        assertEquals(2 * charts, page.select("svg.chart g.series.top polyline").size());
        for (String key : List.of("Bleu_1", "Bleu_4", "ROUGE_L", "CIDEr")) assertTrue(dom.contains("id=\"chart-" + key + "\""), key);

        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "screenshot is a PNG");
        assertEquals(1280, img.getWidth());
        Set<Integer> colors = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 4) for (int x = 0; x < img.getWidth(); x += 4) colors.add(img.getRGB(x, y));
        assertTrue(colors.size() > 20, "the screenshot shows a rendered page (" + colors.size() + " colours)");
        Path keep = Path.of("target", "leaderboard-screenshot.png");
        Files.createDirectories(keep.getParent());
        Files.copy(png, keep, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(out.resolve("index.html"), keep.resolveSibling("leaderboard-index.html"), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * 200 submissions of 40 teams over six nights (the page rendered from rows assembled as the job
     * does, without Spark): Chromium's DOM holds all ranked rows and, per chart, ten coloured lines over
     * 190 faded ones; the screenshot's top (the primary metric's chart above the table) shows the ten
     * palette colours.
     */
    @Test
    void hundredsOfSubmissionsStayLegible() throws Exception {
        String chromium = chromiumOrSkip();
        LeaderboardFixture.Board board = LeaderboardFixture.syntheticBoard(200, 40, 6, 1000, "CIDEr");
        String html = LeaderboardPage.render(board.history(), board.night(), board.leaders(), "CIDEr", 1000, List.of("synthetic."));
        Path index = tmp.resolve("index.html");
        Files.writeString(index, html);
        String url = index.toUri().toString();
        long t0 = System.nanoTime();
        Document page = Jsoup.parse(run(chromium, "--dump-dom", url));
        Path png = tmp.resolve("page.png");
        run(chromium, "--window-size=1280,1400", "--screenshot=" + png, url);
        System.err.printf("chromium, 200 submissions: dump + screenshot in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        assertEquals(200, page.select("#ranking-table tr.ok").size());
        assertEquals(1, page.select("#ranking-table tr.error").size());
        assertEquals(40, page.select("#teams-table > tbody > tr").size());
        assertEquals("CIDEr", page.selectFirst("#overview svg.chart").id().substring("chart-".length()), "the primary chart comes first");
        for (Element svg : page.select("svg.chart")) {
            assertEquals(LeaderboardPage.TOP_K, svg.select("g.series.top polyline").size(), svg.id());
            assertEquals(190, svg.select("g.series.faded").size(), svg.id());
        }
        assertTrue(page.select("tr.tied").size() > 0, "ties are marked");
        assertTrue(page.selectFirst("#ranking-table").text().contains("p < 0.001"));

        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "screenshot is a PNG");
        assertEquals(1280, img.getWidth());
        Set<Integer> palette = new HashSet<>();
        for (String c : List.of("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22")) {
            palette.add(Integer.parseInt(c.substring(1), 16));
        }
        Set<Integer> seen = new HashSet<>();
        int chartTop = img.getHeight() / 2; // the chart sits in the upper part, the table below
        for (int y = 0; y < chartTop; y++) for (int x = 0; x < img.getWidth(); x++) {
            int rgb = img.getRGB(x, y) & 0xFFFFFF;
            if (palette.contains(rgb)) seen.add(rgb);
        }
        assertTrue(seen.size() >= 8, "the top lines are drawn in their colours: " + seen.size() + " of 10 palette colours seen");
        Path keep = Path.of("target", "leaderboard-200-screenshot.png");
        Files.createDirectories(keep.getParent());
        Files.copy(png, keep, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(index, keep.resolveSibling("leaderboard-200-index.html"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int c = 0;
        while (m.find()) c++;
        return c;
    }
}
