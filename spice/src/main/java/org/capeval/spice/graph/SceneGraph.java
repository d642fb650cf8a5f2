package org.capeval.spice.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The scene graph SPICE 1.0 builds from parsed tuples: objects with attributes, and relations
 * between objects. With merging (SPICE's default), a new word joins the most similar existing
 * concept (a shared word, else the largest WordNet synset overlap), so the references of one image
 * form one graph in which "man" and "guy" are one object.
 *
 * <p>The original keeps nodes in identity-hashed maps, so its tie-breaks vary from run to run;
 * here the first node added wins a tie.
 */
public final class SceneGraph {

  /** An object and its attributes. */
  public static final class Node {
    final Concept object;
    final List<Concept> attributes = new ArrayList<>();

    Node(Concept object) {
      this.object = object;
    }

    public Concept object() {
      return object;
    }

    public List<Concept> attributes() {
      return java.util.Collections.unmodifiableList(attributes);
    }
  }

  /** A relation between two nodes. */
  public record Relation(Node source, Concept relation, Node target) {}

  private final SynonymSets synonyms;
  private final boolean mergeSimilar;
  private final List<Node> nodes = new ArrayList<>();
  private final List<Relation> relations = new ArrayList<>();

  public SceneGraph(SynonymSets synonyms) {
    this(synonyms, true);
  }

  public SceneGraph(SynonymSets synonyms, boolean mergeSimilar) {
    this.synonyms = synonyms;
    this.mergeSimilar = mergeSimilar;
  }

  /** Adds a parsed tuple: [object], [object, attribute] or [subject, relation, object]. */
  public void add(List<String> tuple) {
    switch (tuple.size()) {
      case 1 -> node(tuple.get(0));
      case 2 -> addAttribute(tuple.get(0), tuple.get(1));
      case 3 -> addRelation(tuple.get(0), tuple.get(1), tuple.get(2));
      default -> throw new IllegalArgumentException("a SPICE tuple has 1 to 3 words, got " + tuple);
    }
  }

  public void addAll(List<List<String>> tuples) {
    for (List<String> t : tuples) {
      add(t);
    }
  }

  public List<Node> nodes() {
    return java.util.Collections.unmodifiableList(nodes);
  }

  public List<Relation> relations() {
    return java.util.Collections.unmodifiableList(relations);
  }

  private void addAttribute(String object, String attribute) {
    Node n = node(object);
    Concept a = concept(attribute);
    for (Concept existing : n.attributes) {
      if (existing.sameAs(a)) {
        return;
      }
    }
    if (mergeSimilar) {
      for (Concept existing : n.attributes) {
        if (existing.similarTo(a)) {
          existing.merge(a);
          return;
        }
      }
    }
    n.attributes.add(a);
  }

  private void addRelation(String subject, String relation, String object) {
    Node source = node(subject);
    Node target = node(object);
    // A copula with a particle reaches here as "be up"; the original drops the "be ".
    Concept r = concept(relation.replaceAll("^be ", ""));
    for (Relation existing : relations) {
      if (existing.source == source && existing.target == target && existing.relation.sameAs(r)) {
        return;
      }
    }
    if (mergeSimilar) {
      for (Relation existing : relations) {
        if (existing.source == source && existing.target == target && existing.relation.similarTo(r)) {
          existing.relation.merge(r);
          return;
        }
      }
    }
    relations.add(new Relation(source, r, target));
  }

  private Node node(String word) {
    Concept c = concept(word);
    Node best = null;
    float bestSimilarity = 0f;
    for (Node n : nodes) {
      if (n.object.sameAs(c)) {
        return n;
      }
      float s = c.similarity(n.object);
      if (s > bestSimilarity) {
        bestSimilarity = s;
        best = n;
      }
    }
    if (mergeSimilar && best != null) {
      best.object.merge(c);
      return best;
    }
    Node n = new Node(c);
    nodes.add(n);
    return n;
  }

  /** Synsets are looked up for the lower-cased word with spaces as underscores ("sit_on"). */
  private Concept concept(String word) {
    String key = word.trim().toLowerCase(Locale.ROOT).replace(' ', '_');
    return new Concept(word, synonyms.of(key));
  }
}
