package org.capeval.spice.graph;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/** A node, attribute or relation of a scene graph: the words merged into it and their WordNet synsets. */
public final class Concept {
  private final Set<String> words = new LinkedHashSet<>();
  private final Set<Integer> synsets = new HashSet<>();

  Concept(String word, int[] wordSynsets) {
    words.add(word);
    for (int s : wordSynsets) {
      synsets.add(s);
    }
  }

  public Set<String> words() {
    return java.util.Collections.unmodifiableSet(words);
  }

  /** Same words and same synsets. */
  boolean sameAs(Concept o) {
    return words.equals(o.words) && synsets.equals(o.synsets);
  }

  /** Shares a synset or a word: what counts as a match between tuples. */
  public boolean similarTo(Concept o) {
    for (Integer s : synsets) {
      if (o.synsets.contains(s)) {
        return true;
      }
    }
    for (String w : words) {
      if (o.words.contains(w)) {
        return true;
      }
    }
    return false;
  }

  /** 1 for a shared word, else the Jaccard overlap of the synsets (0 when both have none). */
  float similarity(Concept o) {
    for (String w : words) {
      if (o.words.contains(w)) {
        return 1f;
      }
    }
    int common = 0;
    for (Integer s : synsets) {
      if (o.synsets.contains(s)) {
        common++;
      }
    }
    int union = synsets.size() + o.synsets.size() - common;
    return union == 0 ? 0f : (float) common / (float) union;
  }

  void merge(Concept o) {
    words.addAll(o.words);
    synsets.addAll(o.synsets);
  }

  /** The single word of an unmerged concept, or the merged words joined by "/". */
  @Override
  public String toString() {
    return String.join("/", words);
  }
}
