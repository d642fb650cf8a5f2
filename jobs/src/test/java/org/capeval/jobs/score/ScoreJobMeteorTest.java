package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
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

/** {@code --metrics ...,meteor} in the score job on local Spark: data options, labelling, parity with the local path. */
public class ScoreJobMeteorTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        ScoreJobTest.start();
    }

    @AfterAll
    static void stop() {
        ScoreJobTest.stop();
    }

    /**
     * A hand-written METEOR data folder in {@code parent} (not METEOR's lists): a few function
     * words, two prefixes. Shared by the score and leaderboard METEOR tests.
     */
    public static Path meteorData(Path parent) throws IOException {
        Path dir = Files.createDirectories(parent.resolve("meteor-data"));
        Files.writeString(dir.resolve("english.words"), "a\nthe\non\nin\nof\nis\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("english.prefixes"), "mr\nno #NUMERIC_ONLY#\n", StandardCharsets.UTF_8);
        return dir;
    }

    @Test
    void meteorColumnMatchesTheLocalEvaluatorAndIsLabelled() throws IOException {
        Path refs = tmp.resolve("refs.json");
        Path res = tmp.resolve("results.json");
        Files.writeString(refs, ScoreJobTest.REFS, StandardCharsets.UTF_8);
        Files.writeString(res, ScoreJobTest.RESULTS, StandardCharsets.UTF_8);
        Path data = meteorData(tmp);
        Path out = tmp.resolve("out");
        ScoreJob.run(ScoreJobTest.spark, "--refs", refs.toString(), "--results", res.toString(), "--out", out.toString(),
                "--metrics", "bleu,meteor,rouge", "--meteor-data", data.toString(), "--partitions", "2");
        JsonNode written = ScoreJobTest.readJson(out.resolve("eval.json"));
        assertEquals(List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "METEOR", "ROUGE_L"),
                ScoreJobTest.fieldNames(written.get("eval")));
        assertEquals("exact+stem+synonym", written.get("meteor_stages").asText());
        assertTrue(written.get("signature").asText().contains("stages=exact+stem+synonym,paraphrase=none"),
                written.get("signature").asText());

        CocoEvaluator.Evaluation local = new CocoEvaluator(
                Meteor.configure(Metrics.parse("bleu,meteor,rouge"), data, null), CaptionTokenizer.ptb(), null)
                .evaluate(CocoReferences.read(refs), CocoResults.read(res));
        assertEquals(ScoreJobTest.JSON.readTree(local.evalJson().toString()), written, "Spark and local must agree");
        double meteor = written.get("eval").get("METEOR").asDouble();
        assertTrue(meteor > 0.3 && meteor < 1, "METEOR " + meteor);
        List<Row> rows = ScoreJobTest.perImageRows(out);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(local.row(i)[4], rows.get(i).getDouble(rows.get(i).fieldIndex("METEOR")), "image " + i);
        }
    }

    @Test
    void meteorWithoutDataFailsAtStartUp() throws IOException {
        Path out = tmp.resolve("never");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScoreJob.run(ScoreJobTest.spark,
                "--refs", "r.json", "--results", "c.json", "--out", out.toString(), "--metrics", "meteor"));
        assertTrue(e.getMessage().contains("--meteor-data"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> ScoreJob.run(ScoreJobTest.spark,
                "--refs", "r.json", "--results", "c.json", "--out", out.toString(), "--metrics", "meteor",
                "--meteor-data", tmp.resolve("missing").toString()));
        assertTrue(e2.getMessage().contains("does not exist"), e2.getMessage());
        Path data = meteorData(tmp);
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class, () -> ScoreJob.run(ScoreJobTest.spark,
                "--refs", "r.json", "--results", "c.json", "--out", out.toString(), "--metrics", "bleu",
                "--meteor-data", data.toString()));
        assertTrue(e3.getMessage().contains("meteor is not in --metrics"), e3.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void demoCaseWithoutParaphraseTable() throws IOException {
        Path dir = ScoreJobTest.sharedCase("real_fakecap_val2014").resolve("tok");
        Path data = dir.getParent().getParent().getParent().getParent().resolve("data/meteor");
        Path out = tmp.resolve("demo");
        ScoreJob.run(ScoreJobTest.spark, "--refs", dir.resolve("refs.json").toString(), "--results",
                dir.resolve("cands.json").toString(), "--out", out.toString(), "--pretokenized", "--partitions", "3",
                "--metrics", "meteor", "--meteor-data", data.toString());
        JsonNode eval = ScoreJobTest.readJson(out.resolve("eval.json"));
        // METEOR 1.5 with exact+stem+synonym (metrics/METEOR.md); the notebook's 0.195 needs the paraphrase table
        ScoreJobTest.close(0.18967223242926706, eval.get("eval").get("METEOR").asDouble(), "demo METEOR");
        assertEquals(1000, eval.get("n_images").asInt());
    }
}
