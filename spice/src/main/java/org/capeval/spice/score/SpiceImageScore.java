package org.capeval.spice.score;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.capeval.spice.graph.Concept;
import org.capeval.spice.graph.SceneGraph;

/** SPICE 1.0 for one image: candidate graph against the merged reference graph, per category. */
public record SpiceImageScore(Map<TupleCategory, TupleScore> scores) implements java.io.Serializable {

  public TupleScore get(TupleCategory c) {
    return scores.get(c);
  }

  /** The image's SPICE value: F1 over all tuples. */
  public double f() {
    return scores.get(TupleCategory.ALL).f();
  }

  /**
   * Scores a candidate graph against a reference graph. A candidate tuple is matched when some
   * reference tuple of the same length is similar at every position (shared word or synset).
   */
  public static SpiceImageScore of(SceneGraph candidate, SceneGraph references) {
    List<List<Concept>> cand = tuples(candidate);
    List<List<Concept>> refs = tuples(references);
    Map<TupleCategory, TupleScore> out = new EnumMap<>(TupleCategory.class);
    for (TupleCategory c : TupleCategory.values()) {
      List<List<Concept>> cs = cand.stream().filter(c::contains).toList();
      List<List<Concept>> rs = refs.stream().filter(c::contains).toList();
      int matched = 0;
      for (List<Concept> t : cs) {
        if (rs.stream().anyMatch(r -> similar(t, r))) {
          matched++;
        }
      }
      out.put(c, TupleScore.of(matched, cs.size(), rs.size(), c != TupleCategory.ALL));
    }
    return new SpiceImageScore(out);
  }

  /** A graph's tuples: each object, each (object, attribute), each (source, relation, target). */
  static List<List<Concept>> tuples(SceneGraph g) {
    List<List<Concept>> out = new ArrayList<>();
    for (SceneGraph.Node n : g.nodes()) {
      out.add(List.of(n.object()));
      for (Concept a : n.attributes()) {
        out.add(List.of(n.object(), a));
      }
    }
    for (SceneGraph.Relation r : g.relations()) {
      out.add(List.of(r.source().object(), r.relation(), r.target().object()));
    }
    return out;
  }

  private static boolean similar(List<Concept> a, List<Concept> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).similarTo(b.get(i))) {
        return false;
      }
    }
    return true;
  }
}
