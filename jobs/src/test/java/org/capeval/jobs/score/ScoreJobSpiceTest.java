package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.capeval.metrics.CaptionTokenizer;
import org.capeval.spice.SpiceScorer;
import org.capeval.spice.parse.CoreNlpParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --metrics bleu,spice --spice-cache}: the job's SPICE equals the local SpiceScorer on the
 * same tokenized captions, stays with its image, and a rerun takes every caption from the cache.
 * Uses ScoreJobTest's Spark session settings and fixture; loads the CoreNLP models once.
 */
class ScoreJobSpiceTest {

  @TempDir
  Path tmp;

  @Test
  void spiceColumnAndCorpusMatchLocalScorerAndCacheIsReused() throws IOException {
    ScoreJobTest.start();
    try {
      Path refs = tmp.resolve("refs.json");
      Path res = tmp.resolve("results.json");
      Files.writeString(refs, ScoreJobTest.REFS, StandardCharsets.UTF_8);
      Files.writeString(res, ScoreJobTest.RESULTS, StandardCharsets.UTF_8);
      String cache = tmp.resolve("spice-cache").toString();

      JsonNode eval = ScoreJob.run(ScoreJobTest.spark, "--refs", refs.toString(), "--results", res.toString(),
          "--out", tmp.resolve("out").toString(), "--metrics", "bleu,spice", "--spice-cache", cache);

      // Local expectation: the same PTB tokenization, then SpiceScorer, images in COCO order.
      CaptionTokenizer ptb = CaptionTokenizer.ptb();
      Map<Long, List<String>> refCaptions = Map.of(
          10L, List.of("A dog lies on a couch.", "a brown dog sleeping"),
          20L, List.of("A cat sits on the bed.", "a black cat on a white bed"),
          30L, List.of("Two birds in a tree.", "birds perched on a branch"));
      Map<Long, String> cands = Map.of(10L, "a dog on a couch", 20L, "a cat on a bed", 30L, "two birds on a branch");
      List<SpiceScorer.Image> images = new ArrayList<>();
      for (long id : List.of(30L, 10L, 20L)) {
        images.add(new SpiceScorer.Image(Long.toString(id), ptb.tokenize(cands.get(id)),
            refCaptions.get(id).stream().map(ptb::tokenize).toList()));
      }
      SpiceScorer.Result local = SpiceScorer.withWordNet().score(images, CoreNlpParser.shared());

      assertEquals(local.spice(), eval.get("eval").get("SPICE").asDouble(), 1e-12);
      assertTrue(eval.get("eval").has("Bleu_4"));
      assertEquals(CoreNlpParser.VERSION, eval.get("spice").get("parser").asText());
      assertEquals(eval.get("spice").get("distinct_captions").asLong(), eval.get("spice").get("parsed_captions").asLong());

      List<Row> rows = ScoreJobTest.perImageRows(tmp.resolve("out"));
      assertEquals(List.of(30L, 10L, 20L), rows.stream().map(r -> r.getLong(0)).toList(), "COCO order kept");
      for (int i = 0; i < rows.size(); i++) {
        assertEquals(local.perImage().get(i).f(), rows.get(i).getDouble(rows.get(i).fieldIndex("SPICE")), 1e-15,
            "image " + rows.get(i).getLong(0));
      }

      JsonNode warm = ScoreJob.run(ScoreJobTest.spark, "--refs", refs.toString(), "--results", res.toString(),
          "--out", tmp.resolve("out2").toString(), "--metrics", "spice", "--spice-cache", cache);
      assertEquals(0, warm.get("spice").get("parsed_captions").asLong(), "warm cache: nothing parsed");
      assertEquals(local.spice(), warm.get("eval").get("SPICE").asDouble(), 1e-12);
    } finally {
      ScoreJobTest.stop();
    }
  }
}
