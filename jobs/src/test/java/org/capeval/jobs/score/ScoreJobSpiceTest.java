package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.capeval.metrics.CaptionTokenizer;
import org.capeval.spice.SpiceScorer;
import org.capeval.spice.parse.CoreNlpParser;
import org.capeval.spice.score.SpiceImageScore;
import org.capeval.spice.score.TupleCategory;
import org.capeval.spice.score.TupleScore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --metrics bleu,spice --spice-cache --format pycocoevalcap}: the job's SPICE equals the local
 * SpiceScorer on the same tokenized captions, stays with its image (per-image columns and
 * pycocoevalcap.json alike, with the full breakdown, consistent and hand-checked on one image), the
 * signature names SPICE's settings, and a rerun takes every caption from the cache.
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
          "--out", tmp.resolve("out").toString(), "--metrics", "bleu,spice", "--spice-cache", cache, "--format", "pycocoevalcap");

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

      assertTrue(eval.get("signature").asText().endsWith("|spice:1.0,synsets-wn3.0,parser=" + CoreNlpParser.VERSION),
          eval.get("signature").asText());

      List<Row> rows = ScoreJobTest.perImageRows(tmp.resolve("out"));
      assertEquals(List.of(30L, 10L, 20L), rows.stream().map(r -> r.getLong(0)).toList(), "COCO order kept");
      List<String> columns = new ArrayList<>(List.of("image_id", "Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "SPICE"));
      for (String c : List.of("All", "Object", "Attribute", "Relation", "Cardinality", "Color", "Size")) {
        for (String f : List.of("pr", "re", "f", "tp", "fp", "fn")) {
          columns.add("SPICE_" + c + "_" + f);
        }
      }
      assertEquals(columns, List.of(rows.get(0).schema().fieldNames()), "per-image columns");
      Map<Long, SpiceImageScore> parquet = new HashMap<>();
      for (int i = 0; i < rows.size(); i++) {
        Row row = rows.get(i);
        assertEquals(local.perImage().get(i).f(), row.getDouble(row.fieldIndex("SPICE")), 1e-15, "image " + row.getLong(0));
        parquet.put(row.getLong(0), SpiceStage.breakdown(row));
        assertEquals(local.perImage().get(i), parquet.get(row.getLong(0)), "breakdown of image " + row.getLong(0));
        assertConsistent(parquet.get(row.getLong(0)), "image " + row.getLong(0));
      }
      // Image 30 by hand: "two birds on a branch" gives bird, branch, (bird, two), (bird, on, branch);
      // the references "two birds in a tree", "birds perched on a branch" give bird, tree, branch,
      // (bird, two), (bird, in, tree), (bird, perch on, branch): 3 of 4 matched, 6 reference tuples.
      SpiceImageScore birds = parquet.get(30L);
      assertEquals(new TupleScore(3, 1, 3, 0.75, 0.5, 0.6), birds.get(TupleCategory.ALL));
      assertEquals(new TupleScore(2, 0, 1, 1.0, 2.0 / 3, 0.8), birds.get(TupleCategory.OBJECT));
      assertEquals(new TupleScore(1, 0, 0, 1.0, 1.0, 1.0), birds.get(TupleCategory.CARDINALITY));
      assertEquals(new TupleScore(0, 1, 2, 0.0, 0.0, 0.0), birds.get(TupleCategory.RELATION));
      assertTrue(Double.isNaN(birds.get(TupleCategory.COLOR).f()), "no colour among the references: NaN");

      // pycocoevalcap.json: the same breakdown under imgToEval[id]["SPICE"], keyed by image, in
      // evaluation order (30, 10, 20: pycocoevalcap would have put sorted 10's values on 30)
      JsonNode py = PY_JSON.readTree(tmp.resolve("out").resolve(PycocoevalcapJson.FILE).toFile());
      assertEquals(eval.get("eval").get("SPICE").asDouble(), py.get("eval").get("SPICE").asDouble());
      assertEquals(List.of("30", "10", "20"), ScoreJobTest.fieldNames(py.get("imgToEval")));
      for (Row row : rows) {
        JsonNode img = py.get("imgToEval").get(Long.toString(row.getLong(0)));
        assertEquals(List.of("image_id", "Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "SPICE"), ScoreJobTest.fieldNames(img));
        JsonNode spice = img.get("SPICE");
        assertEquals(List.of("All", "Relation", "Cardinality", "Attribute", "Size", "Color", "Object"), ScoreJobTest.fieldNames(spice));
        SpiceImageScore expected = parquet.get(row.getLong(0));
        for (TupleCategory c : TupleCategory.values()) {
          JsonNode t = spice.get(c.label());
          assertEquals(List.of("pr", "re", "f", "fn", "numImages", "fp", "tp"), ScoreJobTest.fieldNames(t));
          TupleScore e = expected.get(c);
          String what = "image " + row.getLong(0) + " " + c.label();
          assertEquals(new TupleScore(t.get("tp").asInt(), t.get("fp").asInt(), t.get("fn").asInt(),
              t.get("pr").asDouble(), t.get("re").asDouble(), t.get("f").asDouble()), e, what);
          assertTrue(t.get("tp").isDouble() && t.get("numImages").isDouble(), what + ": floats, as spice.py converts them");
          assertEquals(1.0, t.get("numImages").asDouble(), what);
        }
        assertEquals(row.getDouble(row.fieldIndex("SPICE")), spice.get("All").get("f").asDouble(), "All f is the image's SPICE");
      }
      String text = Files.readString(tmp.resolve("out").resolve(PycocoevalcapJson.FILE));
      assertTrue(text.contains("\"Color\": {\"pr\": NaN, \"re\": NaN, \"f\": NaN, \"fn\": 0.0, \"numImages\": 1.0"), text);

      JsonNode warm = ScoreJob.run(ScoreJobTest.spark, "--refs", refs.toString(), "--results", res.toString(),
          "--out", tmp.resolve("out2").toString(), "--metrics", "spice", "--spice-cache", cache);
      assertEquals(0, warm.get("spice").get("parsed_captions").asLong(), "warm cache: nothing parsed");
      assertTrue(warm.get("signature").asText().matches("capeval:[^|]+\\|tok:[^|]+\\|spice:[^|]+"), warm.get("signature").asText());
      assertEquals(local.spice(), warm.get("eval").get("SPICE").asDouble(), 1e-12);
    } finally {
      ScoreJobTest.stop();
    }
  }

  /** Reads NaN, as Python's json.load does. */
  private static final ObjectMapper PY_JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  /**
   * What must hold between the categories: All is Object + Attribute + Relation (tuples of one, two
   * and three words), the word-list subsets are parts of Attribute, and F is the harmonic mean.
   */
  private static void assertConsistent(SpiceImageScore s, String what) {
    TupleScore all = s.get(TupleCategory.ALL);
    int tp = 0, fp = 0, fn = 0;
    for (TupleCategory c : List.of(TupleCategory.OBJECT, TupleCategory.ATTRIBUTE, TupleCategory.RELATION)) {
      tp += s.get(c).tp();
      fp += s.get(c).fp();
      fn += s.get(c).fn();
    }
    assertEquals(List.of(all.tp(), all.fp(), all.fn()), List.of(tp, fp, fn), what + ": All = Object + Attribute + Relation");
    TupleScore attributes = s.get(TupleCategory.ATTRIBUTE);
    for (TupleCategory c : List.of(TupleCategory.CARDINALITY, TupleCategory.COLOR, TupleCategory.SIZE)) {
      assertTrue(s.get(c).tp() + s.get(c).fp() <= attributes.tp() + attributes.fp(), what + " " + c);
    }
    for (TupleCategory c : TupleCategory.values()) {
      TupleScore t = s.get(c);
      int refs = t.tp() + t.fn();
      int cands = t.tp() + t.fp();
      if (refs == 0) {
        assertTrue(c == TupleCategory.ALL ? t.f() == 0 : Double.isNaN(t.f()), what + " " + c + ": no reference tuple");
        continue;
      }
      assertEquals((double) t.tp() / refs, t.recall(), 1e-15, what + " " + c + " recall");
      assertEquals(cands == 0 ? 0 : (double) t.tp() / cands, t.precision(), 1e-15, what + " " + c + " precision");
      double p = t.precision(), r = t.recall();
      assertEquals(p > 0 && r > 0 ? 2 * p * r / (p + r) : 0, t.f(), 1e-15, what + " " + c + " F");
    }
  }
}
