package org.capeval.jobs.leaderboard;

import static org.capeval.jobs.leaderboard.LeaderboardFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.capeval.jobs.TestSessions;
import org.capeval.jobs.score.ScoreJob;
import org.capeval.metrics.CaptionTokenizer;
import org.capeval.metrics.CocoEvaluator;
import org.capeval.metrics.coco.CocoReferences;
import org.capeval.metrics.coco.CocoResults;
import org.capeval.metrics.tokenize.PtbTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leaderboard tokenizes as the score job does: references in one run, each submission's
 * candidates in their own run, in evaluation order, with the next-line look-ahead (also across the
 * partition boundary), so its numbers equal a score run and the local evaluator exactly.
 */
class LeaderboardTokenizationTest {
    static SparkSession spark;
    @TempDir Path tmp;

    /** Ends with a letter and a period: tokenized differently when a line starting "A" follows. */
    static final String SIGN = "A blue sign with a P.";

    @BeforeAll
    static void start() {
        spark = TestSessions.local("leaderboard-tokenization-test").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void lookAheadAcrossCaptionsAndPartitionsGivesTheScoreJobsNumbers() throws Exception {
        // The fixture really depends on the look-ahead.
        assertNotEquals(PtbTokenizer.tokenize(SIGN), PtbTokenizer.tokenizeAll(List.of(SIGN, "A red bus.")).get(0));

        // With --partitions 3 the 8 images split as [0,3) [3,6) [6,8): image 2 ends partition 0.
        String[][] refs = new String[REFS.length][];
        for (int i = 0; i < refs.length; i++) refs[i] = REFS[i].clone();
        refs[0] = new String[] {SIGN, "A man riding a wave on top of a surfboard.", "Person surfing on a blue wave with a P"};
        refs[2] = new String[] {"A plate of food with a letter P", "A healthy meal on a dish.", SIGN}; // then image 3's "A red ..."
        refs[5] = new String[] {"A group of people skiing down a snowy hill.", "Skiers go down the slope in the snow.", "People on skis near a sign with a P"};
        Path refsFile = writeRefs(tmp, refs);
        String[] signs = GOOD.clone();
        signs[0] = SIGN; // followed by "Two dogs ..." : no sentence starter, no change
        signs[2] = SIGN; // followed by "A red double decker bus ..." (partition 1 in the score job)
        String[] weak = WEAK.clone();
        weak[1] = SIGN; // followed by "Some food ...": left alone in this submission's run
        weak[5] = SIGN; // followed by "A room ...", across the boundary of partition 1
        Path subs = tmp.resolve("subs");
        submission(subs, "s", "signs", "S", "2026-11-01", results(signs));
        submission(subs, "w", "weak", "W", "2026-11-01", results(weak));

        LeaderboardJob.Outcome o = LeaderboardJob.run(spark, LeaderboardOptions.parse(new String[] {"--refs", refsFile.toString(),
                "--submissions", subs.toString(), "--out", tmp.resolve("board").toString(), "--date", "2026-11-01",
                "--bootstrap-samples", "0", "--partitions", "3"}));
        CocoReferences cr = CocoReferences.read(refsFile);
        CaptionTokenizer perCaption = new CaptionTokenizer() { // each caption alone: what the leaderboard used to do
            @Override public String tokenize(String caption) { return PtbTokenizer.tokenize(caption); }
            @Override public String signature() { return "per-caption"; }
        };
        for (String stem : List.of("s", "w")) {
            HistoryRow row = o.tonight().stream().filter(r -> r.name().equals(stem.equals("s") ? "signs" : "weak")).findFirst().orElseThrow();
            assertEquals("ok", row.status(), row.error());
            CocoResults res = CocoResults.read(subs.resolve(stem + ".json"));
            CocoEvaluator.Evaluation local = new CocoEvaluator(CaptionTokenizer.ptb()).evaluate(cr, res);
            CocoEvaluator.Evaluation alone = new CocoEvaluator(perCaption).evaluate(cr, res);
            JsonNode score = ScoreJob.run(spark, "--refs", refsFile.toString(), "--results", subs.resolve(stem + ".json").toString(),
                    "--out", tmp.resolve("score-" + stem).toString(), "--partitions", "3").get("eval");
            boolean differs = false;
            for (String key : local.keys()) {
                assertEquals(local.corpus(key), score.get(key).asDouble(), key + ": score job vs local evaluator");
                assertEquals(local.corpus(key), row.number(key), key + ": leaderboard vs local evaluator");
                differs |= local.corpus(key) != alone.corpus(key);
            }
            assertTrue(differs, stem + ": tokenizing caption by caption would change the numbers");
            assertEquals(local.signature(), row.signature());
        }
        assertTrue(Files.exists(tmp.resolve("board/latest.json")));
    }
}
