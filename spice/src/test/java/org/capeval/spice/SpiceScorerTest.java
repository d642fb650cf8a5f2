package org.capeval.spice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.capeval.spice.graph.SynonymSets;
import org.capeval.spice.parse.CaptionParser;
import org.junit.jupiter.api.Test;

/** Corpus scoring without a real parser: deduplication, image keys, the mean of per-image F1. */
class SpiceScorerTest {

  /** "word word ..." into one object tuple per word; records every call. */
  static final class WordsParser implements CaptionParser {
    final List<String> calls = new ArrayList<>();

    @Override
    public List<List<String>> tuples(String caption) {
      calls.add(caption);
      return Arrays.stream(caption.split(" ")).filter(w -> !w.isEmpty()).map(List::of).toList();
    }
  }

  @Test
  void parsesEachDistinctCaptionOnceAndKeepsScoresWithTheirImages() {
    WordsParser parser = new WordsParser();
    List<SpiceScorer.Image> images = List.of(
        new SpiceScorer.Image("391895", "dog cat", List.of("dog cat", "dog")),   // candidate equals a reference
        new SpiceScorer.Image("42", "bird", List.of("dog cat", "fish")),         // nothing in common
        new SpiceScorer.Image("100", "dog", List.of("dog", "cat")));
    SpiceScorer.Result r = new SpiceScorer(SynonymSets.none()).score(images, parser);

    assertEquals(List.of("dog cat", "dog", "bird", "fish", "cat"), parser.calls);
    assertEquals(List.of("391895", "42", "100"), r.imageIds());
    assertEquals(1.0, r.perImage().get(0).f(), 1e-15);
    assertEquals(0.0, r.perImage().get(1).f(), 0.0);
    // image 100: candidate {dog}, refs {dog, cat}: P = 1, R = 1/2
    assertEquals(2.0 / 3.0, r.perImage().get(2).f(), 1e-15);
    assertEquals((1.0 + 0.0 + 2.0 / 3.0) / 3.0, r.spice(), 1e-15);
  }

  @Test
  void missingTuplesNameTheCaptionAndImage() {
    List<SpiceScorer.Image> images = List.of(new SpiceScorer.Image("7", "a", List.of("b")));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new SpiceScorer(SynonymSets.none()).scoreParsed(images, c -> null));
    assertEquals("no parsed tuples for caption \"a\" of image 7", e.getMessage());
  }
}
