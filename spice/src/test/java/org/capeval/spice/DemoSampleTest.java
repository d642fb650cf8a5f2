package org.capeval.spice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.capeval.spice.parse.CoreNlpParser;
import org.capeval.spice.score.TupleCategory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A few images of the COCO demo (real_fakecap_val2014) through the real parser. The full demo
 * (compared with the notebook's 0.133) is spice/run-demo.sh; here: the raw and pre-tokenized
 * variants agree, scores stay with their images in evaluation order, and a reference used as the
 * candidate is fully precise against the merged references.
 */
class DemoSampleTest {

  private static final int SAMPLE = 4;

  /** Both tests parse the same captions: parse each once per test JVM. */
  private static final java.util.Map<String, List<List<String>>> PARSED = new java.util.concurrent.ConcurrentHashMap<>();
  private static final org.capeval.spice.parse.CaptionParser MEMO =
      c -> PARSED.computeIfAbsent(c, CoreNlpParser.shared()::tuples);

  private static Path demoCase() {
    String prop = System.getProperty("capeval.shared");
    Path dir = prop == null ? null : Path.of(prop, "cases", "caption", "real_fakecap_val2014");
    if (dir == null || !Files.isDirectory(dir)) {
      if ("1".equals(System.getenv("CAPEVAL_REQUIRE_SHARED"))) {
        fail("CAPEVAL_REQUIRE_SHARED=1 but the shared demo case is missing: " + dir);
      }
      Assumptions.abort("shared data not found (" + dir + "); skipping the demo sample");
    }
    return dir;
  }

  private static List<SpiceScorer.Image> sample(Path dir, String variant) throws Exception {
    List<SpiceScorer.Image> all = SpiceCli.readImages(new File(dir.resolve(variant + "/refs.json").toString()),
        new File(dir.resolve(variant + "/cands.json").toString()), variant.equals("tok"));
    return all.subList(0, SAMPLE);
  }

  @Test
  void rawAndTokenizedAgreeAndScoresStayWithTheirImages() throws Exception {
    Path dir = demoCase();
    List<SpiceScorer.Image> tok = sample(dir, "tok");
    List<SpiceScorer.Image> raw = sample(dir, "raw");
    SpiceScorer scorer = SpiceScorer.withWordNet();
    SpiceScorer.Result a = scorer.score(tok, MEMO);
    SpiceScorer.Result b = scorer.score(raw, MEMO);

    assertEquals(tok.stream().map(SpiceScorer.Image::imageId).toList(), a.imageIds());
    assertEquals(a.imageIds(), b.imageIds());
    assertEquals(a.perImage(), b.perImage(), "raw captions through the PTB tokenizer give the same tuples");
    for (int i = 0; i < SAMPLE; i++) {
      double f = a.perImage().get(i).f();
      assertTrue(f >= 0 && f <= 1, "image " + a.imageIds().get(i) + ": F " + f);
    }
    assertTrue(a.spice() > 0, "fakecap captions share some tuples with their references");
  }

  @Test
  void aReferenceAsCandidateIsFullyPrecise() throws Exception {
    List<SpiceScorer.Image> own = new ArrayList<>();
    for (SpiceScorer.Image i : sample(demoCase(), "tok")) {
      own.add(new SpiceScorer.Image(i.imageId(), i.references().get(0), i.references()));
    }
    SpiceScorer.Result r = SpiceScorer.withWordNet().score(own, MEMO);
    for (int i = 0; i < SAMPLE; i++) {
      var all = r.perImage().get(i).get(TupleCategory.ALL);
      assertEquals(1.0, all.precision(), 0.0, "image " + r.imageIds().get(i));
      assertTrue(all.recall() > 0 && all.recall() <= 1);
    }
  }
}
