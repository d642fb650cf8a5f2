package org.capeval.spice.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each scene-graph rule on a hand-written UD v1 cc-processed graph (shaped like CoreNLP 3.6.0's
 * output for the sentence), with the tuples worked out by hand from the rule.
 */
class TupleExtractorTest {

  private static Set<List<String>> tuples(DependencyGraph g) {
    return new LinkedHashSet<>(TupleExtractor.extract(g));
  }

  private static List<String> t(String... w) {
    return List.of(w);
  }

  @Test
  void subjectVerbObject() {
    // a man is riding a horse
    DependencyGraph g = Graphs.of("a/DT man/NN is/VBZ/be riding/VBG/ride a/DT horse/NN", 4,
        "det 2 1", "nsubj 4 2", "aux 4 3", "det 6 5", "dobj 4 6");
    assertEquals(Set.of(t("man", "ride", "horse"), t("man"), t("horse")), tuples(g));
  }

  @Test
  void verbWithPrepositionalObjectAndNumber() {
    // two dogs are playing with a frisbee on the grass
    DependencyGraph g = Graphs.of("two/CD dogs/NNS/dog are/VBP/be playing/VBG/play with/IN a/DT frisbee/NN"
            + " on/IN the/DT grass/NN", 4,
        "nummod 2 1", "nsubj 4 2", "aux 4 3", "case 7 5", "det 7 6", "nmod:with 4 7",
        "case 10 8", "det 10 9", "nmod:on 7 10");
    assertEquals(Set.of(t("dog", "play with", "frisbee"), t("frisbee", "on", "grass"), t("dog", "two"),
        t("frisbee"), t("grass"), t("dog")), tuples(g));
  }

  @Test
  void numberAfterNounIsNotCardinality() {
    // players number 5 : "number 5" must not make 5 an attribute of the noun it follows
    DependencyGraph g = Graphs.of("players/NNS/player number/NN 5/CD", 1, "dep 1 2", "nummod 2 3");
    Set<List<String>> out = tuples(g);
    assertFalse(out.contains(t("number", "5")));
    DependencyGraph g2 = Graphs.of("dogs/NNS/dog 5/CD", 1, "nummod 1 2");
    assertFalse(tuples(g2).contains(t("dog", "5")), "a number after a plural noun is ignored");
  }

  @Test
  void adjectivesModifierAndPredicate() {
    // a smart woman ; the man is tall
    DependencyGraph a = Graphs.of("a/DT smart/JJ woman/NN", 3, "det 3 1", "amod 3 2");
    assertEquals(Set.of(t("woman", "smart"), t("woman")), tuples(a));
    DependencyGraph b = Graphs.of("the/DT man/NN is/VBZ/be tall/JJ", 4, "det 2 1", "nsubj 4 2", "cop 4 3");
    assertEquals(Set.of(t("man", "tall"), t("man")), tuples(b));
  }

  @Test
  void copulaWithNounAndWithPreposition() {
    // the man is a rider ; the cat is on the mat
    DependencyGraph a = Graphs.of("the/DT man/NN is/VBZ/be a/DT rider/NN", 5,
        "det 2 1", "nsubj 5 2", "cop 5 3", "det 5 4");
    assertEquals(Set.of(t("man", "rider"), t("man"), t("rider")), tuples(a));
    DependencyGraph b = Graphs.of("the/DT cat/NN is/VBZ/be on/IN the/DT mat/NN", 6,
        "det 2 1", "nsubj 6 2", "cop 6 3", "case 6 4", "det 6 5");
    assertEquals(Set.of(t("cat", "on", "mat"), t("cat"), t("mat")), tuples(b));
  }

  @Test
  void intransitiveVerbBecomesAttribute() {
    // a woman is smiling
    DependencyGraph g = Graphs.of("a/DT woman/NN is/VBZ/be smiling/VBG/smile", 4,
        "det 2 1", "nsubj 4 2", "aux 4 3");
    assertEquals(Set.of(t("woman", "smile"), t("woman")), tuples(g));
  }

  @Test
  void nounPrepositionsIncludingMultiWord() {
    // a dog in front of a building
    DependencyGraph g = Graphs.of("a/DT dog/NN in/IN front/NN of/IN a/DT building/NN", 2,
        "det 2 1", "case 7 3", "mwe 3 4", "mwe 3 5", "det 7 6", "nmod:in_front_of 2 7");
    assertEquals(Set.of(t("dog", "in front of", "building"), t("dog"), t("front"), t("building")), tuples(g));
  }

  @Test
  void clausalModifierWithObject() {
    // a cat sitting in a chair (acl)
    DependencyGraph g = Graphs.of("a/DT cat/NN sitting/VBG/sit in/IN a/DT chair/NN", 2,
        "det 2 1", "acl 2 3", "case 6 4", "det 6 5", "nmod:in 3 6");
    assertEquals(Set.of(t("cat", "sit in", "chair"), t("cat"), t("chair")), tuples(g));
  }

  @Test
  void compoundNounIsNounWithAttribute() {
    // a tennis racket
    DependencyGraph g = Graphs.of("a/DT tennis/NN racket/NN", 3, "det 3 1", "compound 3 2");
    assertEquals(Set.of(t("racket", "tennis")), tuples(g), "neither part of a compound is an object tuple of its own");
  }

  @Test
  void conjoinedSubjectsEachGetTheRelation() {
    // a man and a woman are eating pizza (cc-processed: nsubj to both conjuncts)
    DependencyGraph g = Graphs.of("a/DT man/NN and/CC a/DT woman/NN are/VBP/be eating/VBG/eat pizza/NN", 7,
        "det 2 1", "nsubj 7 2", "cc 2 3", "det 5 4", "conj:and 2 5", "nsubj 7 5", "aux 7 6", "dobj 7 8");
    assertEquals(Set.of(t("man", "eat", "pizza"), t("woman", "eat", "pizza"), t("man"), t("woman"), t("pizza")),
        tuples(g));
  }

  @Test
  void possessiveNounAndPronoun() {
    // the boy's hat
    DependencyGraph a = Graphs.of("the/DT boy/NN 's/POS hat/NN", 4, "det 2 1", "nmod:poss 4 2", "case 2 3");
    assertEquals(Set.of(t("boy", "have", "hat"), t("boy"), t("hat")), tuples(a));
    // a woman holding her umbrella: "her" resolves to the woman
    DependencyGraph b = Graphs.of("a/DT woman/NN holding/VBG/hold her/PRP$/she umbrella/NN", 2,
        "det 2 1", "dep 2 3", "nmod:poss 5 4", "dobj 3 5");
    assertEquals(Set.of(t("woman", "have", "umbrella"), t("woman"), t("umbrella")), tuples(b));
  }

  @Test
  void passiveAgent() {
    // a ball is thrown by a boy
    DependencyGraph g = Graphs.of("a/DT ball/NN is/VBZ/be thrown/VBN/throw by/IN a/DT boy/NN", 4,
        "det 2 1", "nsubjpass 4 2", "auxpass 4 3", "case 7 5", "det 7 6", "nmod:agent 4 7");
    assertEquals(Set.of(t("boy", "throw", "ball"), t("ball"), t("boy")), tuples(g));
  }

  @Test
  void verbParticleJoinsPredicate() {
    // a man picks up a bag
    DependencyGraph g = Graphs.of("a/DT man/NN picks/VBZ/pick up/RP a/DT bag/NN", 3,
        "det 2 1", "nsubj 3 2", "compound:prt 3 4", "det 6 5", "dobj 3 6");
    assertEquals(Set.of(t("man", "pick up", "bag"), t("man"), t("bag")), tuples(g));
  }

  @Test
  void quantifierPhraseBecomesModifierOfCountedNoun() {
    // a lot of people are standing near a bus
    DependencyGraph g = Graphs.of("a/DT lot/NN of/IN people/NNS are/VBP/be standing/VBG/stand near/IN a/DT bus/NN", 6,
        "det 2 1", "nsubj 6 2", "case 4 3", "nmod:of 2 4", "aux 6 5", "case 9 7", "det 9 8", "nmod:near 6 9");
    Set<List<String>> out = tuples(g);
    assertTrue(out.contains(t("people", "stand near", "bus")), out.toString());
    assertTrue(out.contains(t("people", "a")), "the quantifier's first word is the plural noun's attribute: " + out);
    assertFalse(out.contains(t("lot", "of", "people")), out.toString());
    // the rewrite itself
    DependencyGraph h = Graphs.of("lots/NNS/lot of/IN dogs/NNS/dog", 1, "case 3 2", "nmod:of 1 3");
    GraphEnhancer.enhance(h);
    assertEquals(List.of(3), h.roots());
    assertEquals("lots", h.firstChild(3, GraphEnhancer.QMOD).word());
    assertEquals("of", h.firstChild(1, "mwe").word());
  }

  @Test
  void pluralObjectOfPluralSubjectGetsItsNumber() {
    // two men carrying three bags: both plural, both counted
    DependencyGraph g = Graphs.of("two/CD men/NNS/man are/VBP/be carrying/VBG/carry three/CD bags/NNS/bag", 4,
        "nummod 2 1", "nsubj 4 2", "aux 4 3", "nummod 6 5", "dobj 4 6");
    assertEquals(Set.of(t("man", "carry", "bag"), t("man", "two"), t("bag", "three"), t("bag"), t("man")), tuples(g));
  }
}
