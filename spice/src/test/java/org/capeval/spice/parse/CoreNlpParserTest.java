package org.capeval.spice.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.capeval.spice.SpiceScorer;
import org.capeval.spice.score.TupleCategory;
import org.junit.jupiter.api.Test;

/**
 * The real CoreNLP 3.6.0 parse followed by the rules, on sentences whose tuples were worked out by
 * hand; and WordNet synonym matching end to end. The models load once for the test JVM.
 */
class CoreNlpParserTest {

  private static Set<List<String>> tuples(String caption) {
    return new LinkedHashSet<>(CoreNlpParser.shared().tuples(caption));
  }

  private static List<String> t(String... w) {
    return List.of(w);
  }

  @Test
  void parsesCaptionsIntoHandCheckedTuples() {
    assertEquals(Set.of(t("man", "ride", "horse"), t("man"), t("horse")), tuples("a man is riding a horse"));
    assertEquals(Set.of(t("dog", "play with", "frisbee"), t("frisbee", "on", "grass"), t("dog", "two"),
        t("frisbee"), t("grass"), t("dog")), tuples("two dogs are playing with a frisbee on the grass"));
    assertEquals(Set.of(t("man", "eat", "pizza"), t("woman", "eat", "pizza"), t("man"), t("woman"), t("pizza")),
        tuples("a man and a woman are eating pizza"));
    assertEquals(Set.of(t("hat", "red"), t("boy", "have", "hat"), t("hat"), t("boy")), tuples("the boy's hat is red"));
    assertEquals(Set.of(t("man", "pick up", "bag"), t("man"), t("bag")), tuples("a man picks up a bag"));
    assertEquals(Set.of(t("cat", "on", "mat"), t("cat"), t("mat")), tuples("the cat is on the mat"));
    assertEquals(Set.of(t("woman", "have", "umbrella"), t("woman"), t("umbrella")), tuples("a woman holding her umbrella"));
  }

  @Test
  void overlongSentenceIsNotParsed() {
    String longCaption = String.join(" ", java.util.Collections.nCopies(CoreNlpParser.MAX_SENTENCE_TOKENS / 5 + 1,
        "a dog near a tree"));
    assertEquals(List.of(), CoreNlpParser.shared().tuples(longCaption));
    String shortCaption = String.join(" ", java.util.Collections.nCopies(4, "a dog near a tree"));
    assertTrue(CoreNlpParser.shared().tuples(shortCaption).contains(List.of("dog")));
  }

  @Test
  void emptyCaptionHasNoTuples() {
    assertEquals(List.of(), CoreNlpParser.shared().tuples(""));
  }

  @Test
  void wordNetSynonymsMatchAcrossCaptions() {
    List<SpiceScorer.Image> images = List.of(
        new SpiceScorer.Image("1", "a dog on a couch", List.of("a dog on a sofa")),
        new SpiceScorer.Image("2", "a dog on a couch", List.of("a cat on a table")));
    SpiceScorer.Result r = SpiceScorer.withWordNet().score(images, CoreNlpParser.shared());
    assertEquals(1.0, r.perImage().get(0).f(), 1e-12, "couch and sofa share a WordNet synset");
    assertEquals(1, r.perImage().get(1).get(TupleCategory.RELATION).fp());
    assertTrue(r.perImage().get(1).f() < 0.5);
  }
}
