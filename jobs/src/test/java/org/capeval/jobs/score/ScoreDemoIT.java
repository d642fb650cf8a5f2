package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The COCO demo end to end, as a user runs it: {@code submit.sh score} in local mode (both engines) on the demo's
 * 1,000 fake results (data/coco-val2014/captions_val2014_fakecap_results.json) against their
 * references, checked against the numbers cocoEvalCapDemo.ipynb prints (notebook_expected.json):
 * BLEU totals exactly, scores at the notebook's three decimals. METEOR and SPICE are not run here:
 * METEOR without the paraphrase table is documented as lower (metrics/METEOR.md) and SPICE's full
 * demo is a script (spice/run-demo.sh).
 */
class ScoreDemoIT {
    @TempDir Path work;

    /** Both engines: the default (auto: the local engine for this small local input) and Spark. */
    @ParameterizedTest
    @ValueSource(strings = {"auto", "spark"})
    void notebookNumbersThroughSubmitSh(String engine) throws Exception {
        Path refs = ScoreJobTest.sharedCase("real_fakecap_val2014").resolve("raw/refs.json");
        Path shared = refs.getParent().getParent().getParent().getParent().getParent();
        Path results = shared.resolve("data/coco-val2014/captions_val2014_fakecap_results.json");
        JsonNode notebook = Submit.JSON.readTree(shared.resolve("data/coco-val2014/notebook_expected.json").toFile());
        Path out = work.resolve("demo");

        Path log = work.resolve("demo.log");
        Submit.runOk(log, Duration.ofMinutes(10), "score",
                "--refs", refs.toString(), "--results", results.toString(), "--out", out.toString(), "--engine", engine);
        String text = Files.readString(log);
        assertEquals(engine.equals("auto"), text.contains("by the local engine"), "engine used; log:\n" + text);
        assertEquals(engine.equals("spark"), text.contains("ScoreJob: done: 1000 images scored"), "the Spark job ran only for --engine spark; log:\n" + text);
        // a successful run logs no warning or error (conf/log4j2.properties' pattern: TIME LEVEL LOGGER: MESSAGE)
        assertEquals(List.of(), text.lines().filter(l -> l.matches("\\S+ (WARN|ERROR) .*")).toList(), "log:\n" + text);

        JsonNode eval = Submit.eval(out);
        assertEquals(1000, eval.get("n_images").asInt());
        JsonNode totals = notebook.get("bleu_totals_printed");
        JsonNode stats = eval.get("bleu_stats");
        assertEquals(totals.get("testlen").asLong(), stats.get("testlen").asLong(), "testlen");
        assertEquals(totals.get("reflen").asLong(), stats.get("reflen").asLong(), "reflen");
        for (int n = 0; n < 4; n++) {
            assertEquals(totals.get("guess").get(n).asLong(), stats.get("guess").get(n).asLong(), "guess[" + n + "]");
            assertEquals(totals.get("correct").get(n).asLong(), stats.get("correct").get(n).asLong(), "correct[" + n + "]");
        }
        // python3 repr of the ratio, as the notebook prints it
        assertEquals(1.003855910705124, stats.get("ratio").asDouble(), 1e-15, "ratio");

        for (Map.Entry<String, JsonNode> e : notebook.get("scores_printed_3dp").properties()) {
            String key = e.getKey();
            if (key.equals("METEOR") || key.equals("SPICE")) continue;
            double ours = eval.get("eval").get(key).asDouble();
            assertEquals(String.format("%.3f", e.getValue().asDouble()), String.format("%.3f", ours),
                    key + " printed with the notebook's %0.3f (ours " + ours + ")");
        }
        Path perImage = out.resolve("per_image");
        assertEquals(true, Files.isDirectory(perImage), "per_image/ written");
    }
}
