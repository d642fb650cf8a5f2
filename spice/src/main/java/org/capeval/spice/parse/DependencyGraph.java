package org.capeval.spice.parse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A mutable dependency graph of one sentence: tokens keyed by their 1-based index, labelled edges,
 * and roots. The scene-graph rules work on this plain structure, so they can be tested on
 * hand-written graphs without loading a parser.
 *
 * <p>Neighbours are always visited in token order; CoreNLP 3.6.0's hash-ordered maps give the same
 * order for sentences of up to 16 tokens, which is where "the first child" decides a rule.
 */
public final class DependencyGraph {

  /** One token: its position, surface form, lemma and Penn Treebank tag. */
  public record Token(int index, String word, String lemma, String tag) {
    public boolean isNoun() {
      return tag.equals("NN") || tag.equals("NNS") || tag.equals("NNP") || tag.equals("NNPS");
    }

    public boolean isPluralNoun() {
      return tag.equals("NNS") || tag.equals("NNPS");
    }

    /** The form SPICE puts in a tuple: the lemma, trimmed and lower-cased. */
    public String tupleWord() {
      return lemma.trim().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A labelled edge, e.g. {@code nmod:on} from governor "sit" to dependent "bench". */
  public record Edge(int governor, int dependent, String relation) {}

  private static final Comparator<Edge> BY_DEPENDENT =
      Comparator.comparingInt(Edge::dependent).thenComparingInt(Edge::governor);
  private static final Comparator<Edge> BY_GOVERNOR =
      Comparator.comparingInt(Edge::governor).thenComparingInt(Edge::dependent);

  private final TreeMap<Integer, Token> tokens = new TreeMap<>();
  private final List<Edge> edges = new ArrayList<>();
  private final Set<Integer> roots = new LinkedHashSet<>();

  public DependencyGraph addToken(int index, String word, String lemma, String tag) {
    tokens.put(index, new Token(index, word, lemma, tag));
    return this;
  }

  public DependencyGraph addEdge(int governor, int dependent, String relation) {
    requireToken(governor);
    requireToken(dependent);
    edges.add(new Edge(governor, dependent, relation));
    return this;
  }

  public boolean removeEdge(Edge edge) {
    return edges.remove(edge);
  }

  public DependencyGraph addRoot(int index) {
    requireToken(index);
    roots.add(index);
    return this;
  }

  public void removeRoot(int index) {
    roots.remove(index);
  }

  public boolean isRoot(int index) {
    return roots.contains(index);
  }

  /** Roots in the order they were added; the first is the sentence's main root. */
  public List<Integer> roots() {
    return List.copyOf(roots);
  }

  public Token token(int index) {
    return requireToken(index);
  }

  public boolean hasToken(int index) {
    return tokens.containsKey(index);
  }

  /** Token indices in sentence order. */
  public List<Integer> indices() {
    return List.copyOf(tokens.keySet());
  }

  public List<Token> tokens() {
    return List.copyOf(tokens.values());
  }

  public List<Edge> edges() {
    return List.copyOf(edges);
  }

  /** Edges leaving {@code governor}, by dependent position. */
  public List<Edge> outgoing(int governor) {
    return select(e -> e.governor() == governor, BY_DEPENDENT);
  }

  /** Edges entering {@code dependent}, by governor position. */
  public List<Edge> incoming(int dependent) {
    return select(e -> e.dependent() == dependent, BY_GOVERNOR);
  }

  /** Dependents of {@code governor} reached by exactly {@code relation}, in sentence order. */
  public List<Token> children(int governor, String relation) {
    List<Token> out = new ArrayList<>();
    for (Edge e : outgoing(governor)) {
      if (e.relation().equals(relation)) {
        out.add(tokens.get(e.dependent()));
      }
    }
    return out;
  }

  /** Distinct dependents of {@code governor} over any relation, in sentence order. */
  public List<Token> children(int governor) {
    List<Token> out = new ArrayList<>();
    for (Edge e : outgoing(governor)) {
      Token t = tokens.get(e.dependent());
      if (!out.contains(t)) {
        out.add(t);
      }
    }
    return out;
  }

  public Token firstChild(int governor, String relation) {
    List<Token> c = children(governor, relation);
    return c.isEmpty() ? null : c.get(0);
  }

  public boolean hasChild(int governor, String relation) {
    return firstChild(governor, relation) != null;
  }

  public boolean hasIncoming(int dependent, String relation) {
    for (Edge e : edges) {
      if (e.dependent() == dependent && e.relation().equals(relation)) {
        return true;
      }
    }
    return false;
  }

  public Edge edge(int governor, int dependent) {
    for (Edge e : outgoing(governor)) {
      if (e.dependent() == dependent) {
        return e;
      }
    }
    return null;
  }

  /**
   * The governor through which {@code index} first reaches a root (CoreNLP's getParent), or
   * null for a root or a node cut off from every root.
   */
  public Integer parentTowardsRoot(int index) {
    List<Integer> path = pathToRoot(index, new java.util.HashSet<>());
    return path == null || path.isEmpty() ? null : path.get(0);
  }

  private List<Integer> pathToRoot(int index, Set<Integer> seen) {
    if (roots.contains(index)) {
      return new ArrayList<>();
    }
    seen.add(index);
    for (Edge e : incoming(index)) {
      int parent = e.governor();
      if (seen.contains(parent)) {
        continue;
      }
      List<Integer> rest = pathToRoot(parent, seen);
      if (rest != null) {
        rest.add(0, parent);
        return rest;
      }
    }
    return null;
  }

  /**
   * The order in which patterns visit nodes: parents before children (reverse post-order of a
   * depth-first walk in token order), or plain token order when the graph has a cycle.
   */
  public List<Integer> visitOrder() {
    List<Integer> post = new ArrayList<>();
    Set<Integer> temporary = new java.util.HashSet<>();
    Set<Integer> permanent = new java.util.HashSet<>();
    for (int v : tokens.keySet()) {
      if (!temporary.contains(v) && !topoVisit(v, temporary, permanent, post)) {
        return indices();
      }
    }
    java.util.Collections.reverse(post);
    return post;
  }

  private boolean topoVisit(int v, Set<Integer> temporary, Set<Integer> permanent, List<Integer> post) {
    temporary.add(v);
    for (Edge e : outgoing(v)) {
      int t = e.dependent();
      if (permanent.contains(t)) {
        continue;
      }
      if (temporary.contains(t)) {
        return false;
      }
      if (!topoVisit(t, temporary, permanent, post)) {
        return false;
      }
    }
    post.add(v);
    permanent.add(v);
    return true;
  }

  private List<Edge> select(Predicate<Edge> p, Comparator<Edge> order) {
    List<Edge> out = new ArrayList<>();
    for (Edge e : edges) {
      if (p.test(e)) {
        out.add(e);
      }
    }
    out.sort(order);
    return out;
  }

  private Token requireToken(int index) {
    Token t = tokens.get(index);
    if (t == null) {
      throw new IllegalArgumentException("no token " + index + " in graph " + this);
    }
    return t;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Edge e : edges) {
      b.append(e.relation()).append('(').append(tokens.get(e.governor()).word()).append('-')
          .append(e.governor()).append(", ").append(tokens.get(e.dependent()).word()).append('-')
          .append(e.dependent()).append(") ");
    }
    return b.append("roots=").append(roots).toString().trim();
  }
}
