package org.capeval.jobs.leaderboard;

import static org.capeval.jobs.leaderboard.LeaderboardFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.capeval.jobs.TestSessions;
import org.capeval.jobs.score.ScoreJobMeteorTest;
import org.capeval.metrics.CaptionTokenizer;
import org.capeval.metrics.CocoEvaluator;
import org.capeval.metrics.Metrics;
import org.capeval.metrics.coco.CocoReferences;
import org.capeval.metrics.coco.CocoResults;
import org.capeval.metrics.meteor.Meteor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --metrics ...,meteor} in the leaderboard: configured as in the score job, same numbers as the local evaluator. */
class LeaderboardMeteorTest {
    static SparkSession spark;
    @TempDir Path tmp;

    @BeforeAll
    static void start() {
        spark = TestSessions.local("leaderboard-meteor-test").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void meteorScoresEqualTheLocalEvaluator() throws Exception {
        Path refs = writeRefs(tmp);
        Path data = ScoreJobMeteorTest.meteorData(tmp);
        Path subs = tmp.resolve("subs");
        submission(subs, "a", "alpha", "A", "2026-11-01", results(GOOD));
        submission(subs, "g", "gamma", "G", "2026-11-01", results(mix(3)));
        LeaderboardJob.Outcome o = LeaderboardJob.run(spark, LeaderboardOptions.parse(new String[] {"--refs", refs.toString(),
                "--submissions", subs.toString(), "--out", tmp.resolve("board").toString(), "--date", "2026-11-01",
                "--metrics", "bleu,meteor,rouge,cider", "--meteor-data", data.toString(), "--significance", "METEOR,CIDEr",
                "--bootstrap-samples", "50", "--partitions", "3"}));
        CocoEvaluator local = new CocoEvaluator(Meteor.configure(Metrics.parse("bleu,meteor,rouge,cider"), data, null),
                CaptionTokenizer.ptb(), null);
        CocoReferences cr = CocoReferences.read(refs);
        for (HistoryRow row : o.tonight()) {
            assertEquals("ok", row.status(), row.error());
            CocoEvaluator.Evaluation ev = local.evaluate(cr, CocoResults.read(subs.resolve((row.name().equals("alpha") ? "a" : "g") + ".json")));
            assertEquals(List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "METEOR", "ROUGE_L", "CIDEr"), ev.keys());
            for (String key : ev.keys()) assertEquals(ev.corpus(key), row.number(key), row.name() + " " + key);
            assertEquals(ev.signature(), row.signature());
            assertTrue(row.signature().contains("paraphrase=none"), row.signature());
        }
        assertEquals("alpha", o.leaders().get("METEOR"));
        HistoryRow gamma = o.tonight().stream().filter(r -> r.name().equals("gamma")).findFirst().orElseThrow();
        assertNotNull(gamma.number("METEOR_p_vs_leader"));
        assertTrue(gamma.number("METEOR_ci_low") <= gamma.number("METEOR") && gamma.number("METEOR") <= gamma.number("METEOR_ci_high"));
    }

    @Test
    void meteorOptionsFailAtStartUp() throws IOException {
        String[] base = {"--refs", "r.json", "--submissions", "s", "--out", tmp.resolve("never").toString()};
        IllegalArgumentException noData = assertThrows(IllegalArgumentException.class,
                () -> LeaderboardOptions.parse(concat(base, "--metrics", "bleu,meteor")));
        assertTrue(noData.getMessage().contains("--meteor-data"), noData.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> LeaderboardOptions.parse(concat(base, "--metrics", "meteor", "--meteor-data", tmp.resolve("missing").toString())));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        Path data = ScoreJobMeteorTest.meteorData(tmp);
        IllegalArgumentException unused = assertThrows(IllegalArgumentException.class,
                () -> LeaderboardOptions.parse(concat(base, "--meteor-data", data.toString())));
        assertTrue(unused.getMessage().contains("meteor is not in --metrics"), unused.getMessage());
        assertFalse(Files.exists(tmp.resolve("never")));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
