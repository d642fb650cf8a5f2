package org.capeval.spice.graph;

/**
 * WordNet synset keys of a word as METEOR 1.5's synonym dictionary gives them to SPICE: the word's
 * own synsets plus those of its base form. Two words are synonyms when their keys intersect.
 */
@FunctionalInterface
public interface SynonymSets {
  int[] of(String word);

  /** WordNet 3.0 as shared with METEOR (org.capeval.metrics.wordnet). */
  static SynonymSets wordNet() {
    return word -> org.capeval.metrics.wordnet.WordNet.get().synonymSets(word);
  }

  /** No synonyms: only identical words match (SPICE's -noSynsets). */
  static SynonymSets none() {
    return word -> new int[0];
  }
}
