package org.capeval.spice.parse;

/**
 * Builds hand-written dependency graphs for rule tests:
 * {@code Graphs.of("a/DT man/NN is/VBZ/be riding/VBG/ride", 4, "det 2 1", "nsubj 4 2", ...)}.
 * A token is word/TAG or word/TAG/lemma (the lemma defaults to the word); edges are
 * "relation governor dependent" with 1-based positions.
 */
final class Graphs {
  private Graphs() {}

  static DependencyGraph of(String tokens, int root, String... edges) {
    DependencyGraph g = new DependencyGraph();
    String[] ts = tokens.trim().split("\\s+");
    for (int i = 0; i < ts.length; i++) {
      String[] p = ts[i].split("/");
      g.addToken(i + 1, p[0], p.length > 2 ? p[2] : p[0], p[1]);
    }
    for (String e : edges) {
      String[] p = e.trim().split("\\s+");
      g.addEdge(Integer.parseInt(p[1]), Integer.parseInt(p[2]), p[0]);
    }
    g.addRoot(root);
    return g;
  }
}
