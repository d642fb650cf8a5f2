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
        spark = SparkSession.builder().master("local[2]").appName("leaderboard-page-test")
                .config("spark.ui.enabled", "false").config("spark.serializer", "org.apache.spark.serializer.KryoSerializer").config("spark.sql.shuffle.partitions", "2").getOrCreate();
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

    @Test
    void thePageRendersRowsChartsAndShowsHostileNamesAsText() throws Exception {
        String chromium = chromium();
        if (chromium == null) {
            if ("1".equals(System.getenv("CAPEVAL_REQUIRE_SHARED"))) fail("chromium is required under CI (apt-get install -y chromium)");
            Assumptions.abort("chromium not installed (apt-get install chromium); skipping the browser check of the leaderboard page");
        }
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
        assertEquals(2, count(dom, "<tr class=\"ok\">"), dom);
        assertEquals(1, count(dom, "<tr class=\"error\">"), dom);
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
        assertEquals(2 * charts, count(dom, "<polyline"));
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

    private static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int c = 0;
        while (m.find()) c++;
        return c;
    }
}
