package org.capeval.spice.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.capeval.spice.graph.SceneGraph;
import org.capeval.spice.graph.SynonymSets;
import org.junit.jupiter.api.Test;

/** Scene-graph merging and tuple matching with a small hand-made synonym table. */
class SpiceImageScoreTest {

  /** dog~puppy (synset 1), couch~sofa (2); everything else has no synsets. */
  static final SynonymSets SYNONYMS = word -> Map.of(
      "dog", new int[] {1}, "puppy", new int[] {1}, "couch", new int[] {2}, "sofa", new int[] {2})
      .getOrDefault(word, new int[0]);

  private static List<String> t(String... w) {
    return List.of(w);
  }

  private static SceneGraph graph(List<List<String>> tuples) {
    SceneGraph g = new SceneGraph(SYNONYMS);
    g.addAll(tuples);
    return g;
  }

  @Test
  void referencesMergeBySynsetAndCandidatesMatchBySynonym() {
    SceneGraph refs = graph(List.of(
        t("puppy"), t("puppy", "brown"), t("puppy", "sit on", "sofa"), t("sofa"), // reference 1
        t("dog"), t("dog", "black")));                                            // reference 2
    assertEquals(2, refs.nodes().size(), "dog joins the puppy node");
    assertEquals("puppy/dog", refs.nodes().get(0).object().toString());

    SceneGraph cand = graph(List.of(t("dog"), t("dog", "brown"), t("dog", "on", "couch"), t("couch")));
    SpiceImageScore s = SpiceImageScore.of(cand, refs);

    // candidate: (dog) (dog,brown) (couch) (dog,on,couch); refs: (puppy/dog) (…,brown) (…,black) (sofa) (…,sit on,sofa)
    assertEquals(new TupleScore(3, 1, 2, 0.75, 0.6, 2 * 0.75 * 0.6 / 1.35), s.get(TupleCategory.ALL));
    assertEquals(new TupleScore(2, 0, 0, 1, 1, 1), s.get(TupleCategory.OBJECT));
    assertEquals(new TupleScore(1, 0, 1, 1, 0.5, 2 * 0.5 / 1.5), s.get(TupleCategory.ATTRIBUTE));
    assertEquals(new TupleScore(0, 1, 1, 0, 0, 0), s.get(TupleCategory.RELATION), "'on' is not 'sit on'");
    assertEquals(new TupleScore(1, 0, 1, 1, 0.5, 2 * 0.5 / 1.5), s.get(TupleCategory.COLOR));
    assertTrue(Double.isNaN(s.get(TupleCategory.CARDINALITY).f()), "no reference tuple: NaN for a subset");
    assertTrue(Double.isNaN(s.get(TupleCategory.SIZE).precision()));
    assertEquals(s.get(TupleCategory.ALL).f(), s.f());
  }

  @Test
  void allIsZeroNotNanWithoutReferenceTuples() {
    SpiceImageScore s = SpiceImageScore.of(graph(List.of(t("dog"))), graph(List.of()));
    assertEquals(new TupleScore(0, 1, 0, 0, 0, 0), s.get(TupleCategory.ALL));
    assertTrue(Double.isNaN(s.get(TupleCategory.OBJECT).f()));
  }

  @Test
  void withoutSynonymsOnlyWordsMatch() {
    SceneGraph refs = new SceneGraph(SynonymSets.none());
    refs.addAll(List.of(t("sofa")));
    SceneGraph cand = new SceneGraph(SynonymSets.none());
    cand.addAll(List.of(t("couch"), t("sofa")));
    assertEquals(1, SpiceImageScore.of(cand, refs).get(TupleCategory.ALL).tp());
  }

  @Test
  void duplicateTuplesCollapseAndSimilarAttributesMerge() {
    SceneGraph g = graph(List.of(t("man", "tall"), t("man", "tall"), t("man"), t("man", "ride", "horse"),
        t("man", "ride", "horse"), t("dog", "couch"), t("dog", "sofa")));
    assertEquals(3, g.nodes().size());
    assertEquals(1, g.relations().size());
    assertEquals(List.of("couch/sofa"), g.nodes().get(2).attributes().stream().map(Object::toString).toList());
    assertEquals(6, SpiceImageScore.tuples(g).size());
  }

  @Test
  void cardinalityAndSizeSubsets() {
    SceneGraph refs = graph(List.of(t("man", "two"), t("dog", "small")));
    SceneGraph cand = graph(List.of(t("man", "two"), t("dog", "big")));
    SpiceImageScore s = SpiceImageScore.of(cand, refs);
    assertEquals(new TupleScore(1, 0, 0, 1, 1, 1), s.get(TupleCategory.CARDINALITY));
    assertEquals(new TupleScore(0, 1, 1, 0, 0, 0), s.get(TupleCategory.SIZE));
  }
}
