package org.capeval.spice.parse;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.capeval.spice.parse.DependencyGraph.Edge;
import org.capeval.spice.parse.DependencyGraph.Token;

/**
 * The graph enhancements SPICE 1.0 applies before its rules (those of the Stanford Scene Graph
 * Parser): quantifier phrases ("a lot of", "lots of", "two of the") become a {@code det:qmod}
 * modifier of the counted noun, and pronouns are replaced by an earlier noun.
 *
 * <p>The parser's compound and particle "collapsing" only stores annotations that SPICE never reads,
 * so it has no counterpart here; plural nodes are not copied (SPICE turns numbers into attributes).
 */
public final class GraphEnhancer {

  /** Relation given to a quantifier phrase's first word, governed by the counted noun. */
  public static final String QMOD = "det:qmod";
  static final String MWE = "mwe";

  private static final Pattern SINGULAR_QUANTITY_NOUN = Pattern.compile(
      "(?i)lot|assortment|number|couple|bunch|handful|litany|sheaf|slew|dozen|series|variety"
          + "|multitude|wad|clutch|wave|mountain|array|spate|string|ton|range|plethora|heap|sort"
          + "|form|kind|type|version|bit|pair|triple|total");
  private static final Pattern PLURAL_QUANTITY_WORD = Pattern.compile(
      "(?i)lots|many|several|plenty|tons|dozens|multitudes|mountains|loads|pairs|tens|hundreds"
          + "|thousands|millions|billions|trillions|[0-9]+s");
  private static final Pattern PARTITIVE_WORD = Pattern.compile(
      "(?i)some|all|both|neither|everyone|nobody|one|two|three|four|five|six|seven|eight|nine|ten"
          + "|hundred|thousand|million|billion|trillion|[0-9]+");
  private static final Pattern A_OR_AN = Pattern.compile("(?i)an?");
  private static final Pattern OF = Pattern.compile("(?i)of");
  private static final Pattern NOUN_OR_PRONOUN_TAG = Pattern.compile("NN.*|PRP.*");

  /** Pronouns treated as singular when looking for their antecedent (CoreNLP's dcoref list). */
  private static final Set<String> SINGULAR_PRONOUNS = Set.of("i", "me", "myself", "mine", "my",
      "yourself", "he", "him", "himself", "his", "she", "her", "herself", "hers", "it", "itself",
      "its", "one", "oneself", "one's");

  private GraphEnhancer() {}

  /** Applies the enhancements in SPICE's order. */
  public static void enhance(DependencyGraph g) {
    rewriteQuantifiers(g);
    resolvePronouns(g);
  }

  // ---------------------------------------------------------------- quantifiers

  /** A matched quantifier phrase: its head word, the counted noun, the "of", extra words. */
  private record Quantifier(Token head, Token noun, List<Token> words) {}

  /**
   * Rewrites the three kinds of quantifier phrase, each kind matched on the graph as it was before
   * that kind's rewrites. Returns false when a quantifier had no way to the root; the original then
   * abandons the remaining quantifier rewrites of the sentence, and so do we.
   */
  static boolean rewriteQuantifiers(DependencyGraph g) {
    for (int kind = 0; kind < 3; kind++) {
      List<Quantifier> found = new ArrayList<>();
      for (int v : g.visitOrder()) {
        Quantifier q = matchQuantifier(g, g.token(v), kind);
        if (q != null) {
          found.add(q);
        }
      }
      for (Quantifier q : found) {
        if (!rewrite(g, q, kind)) {
          return false;
        }
      }
    }
    return true;
  }

  private static Quantifier matchQuantifier(DependencyGraph g, Token w, int kind) {
    switch (kind) {
      case 0: { // "a lot of X": an a/an determiner on the quantity noun, directly followed by "of"
        if (!SINGULAR_QUANTITY_NOUN.matcher(w.word()).matches()) {
          return null;
        }
        for (Token det : g.children(w.index(), "det")) {
          if (!A_OR_AN.matcher(det.word()).matches()) {
            continue;
          }
          Quantifier q = nounWithOf(g, w, NOUN_OR_PRONOUN_TAG, false);
          if (q != null) {
            return new Quantifier(w, q.noun(), List.of(det, w, q.words().get(0)));
          }
        }
        return null;
      }
      case 1: { // "lots of X"
        if (!PLURAL_QUANTITY_WORD.matcher(w.word()).matches()) {
          return null;
        }
        Quantifier q = nounWithOf(g, w, NOUN_OR_PRONOUN_TAG, false);
        return q == null ? null : new Quantifier(w, q.noun(), List.of(w, q.words().get(0)));
      }
      default: { // "two of the X", "some of them"
        if (!PARTITIVE_WORD.matcher(w.word()).matches()) {
          return null;
        }
        Quantifier q = nounWithOf(g, w, Pattern.compile("NN.*"), true);
        if (q == null) {
          q = nounWithOf(g, w, Pattern.compile("PRP.*"), false);
        }
        return q == null ? null : new Quantifier(w, q.noun(), List.of(w, q.words().get(0)));
      }
    }
  }

  /**
   * An {@code nmod*} dependent of {@code w} with a matching tag whose {@code case} marker is an "of"
   * right after {@code w}; with {@code determinerAfterOf}, the noun's determiner must follow the "of".
   */
  private static Quantifier nounWithOf(DependencyGraph g, Token w, Pattern nounTag, boolean determinerAfterOf) {
    for (Edge e : g.outgoing(w.index())) {
      if (!e.relation().startsWith("nmod")) {
        continue;
      }
      Token noun = g.token(e.dependent());
      if (!nounTag.matcher(noun.tag()).matches()) {
        continue;
      }
      for (Token of : g.children(noun.index(), "case")) {
        if (!OF.matcher(of.word()).matches() || of.index() != w.index() + 1) {
          continue;
        }
        if (determinerAfterOf && !hasDeterminerAt(g, noun, of.index() + 1)) {
          continue;
        }
        return new Quantifier(w, noun, List.of(of));
      }
    }
    return null;
  }

  private static boolean hasDeterminerAt(DependencyGraph g, Token noun, int index) {
    for (Token d : g.children(noun.index(), "det")) {
      if (d.index() == index) {
        return true;
      }
    }
    return false;
  }

  private static boolean rewrite(DependencyGraph g, Quantifier q, int kind) {
    Token head = q.head();
    Token noun = q.noun();
    // The counted noun takes the quantifier's place under its governor (or as root).
    if (!g.isRoot(head.index())) {
      Integer parent = g.parentTowardsRoot(head.index());
      if (parent == null) {
        return false;
      }
      Edge up = g.edge(parent, head.index());
      g.removeEdge(up);
      g.addEdge(parent, noun.index(), up.relation());
    } else {
      g.removeRoot(head.index());
      g.addRoot(noun.index());
    }
    Edge down = g.edge(head.index(), noun.index());
    if (down != null) {
      g.removeEdge(down);
    }
    // The phrase's words (plus modifiers left of the quantifier) become one multi-word modifier.
    List<Token> words = new ArrayList<>(q.words());
    List<Token> leftOfHead = kind == 0 ? g.children(head.index(), "amod") : g.children(head.index());
    for (Token t : leftOfHead) {
      if (t.index() < head.index() && !words.contains(t)) {
        words.add(t);
      }
    }
    words.sort((a, b) -> Integer.compare(a.index(), b.index()));
    if (g.roots().isEmpty()) {
      return true;
    }
    Token first = null;
    for (Token t : words) {
      for (Edge in : g.incoming(t.index())) {
        g.removeEdge(in);
      }
      if (first == null) {
        g.addEdge(noun.index(), t.index(), QMOD);
        first = t;
      } else {
        g.addEdge(first.index(), t.index(), MWE);
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- pronouns

  /**
   * Replaces each pronoun (after the first word, with a governor) by the first noun found
   * breadth-first from the root, if that noun comes earlier in the sentence; singular pronouns
   * only take singular nouns.
   */
  static void resolvePronouns(DependencyGraph g) {
    Map<Integer, Integer> antecedentOf = new TreeMap<>();
    List<Integer> roots = g.roots();
    for (Token t : g.tokens()) {
      if (t.index() <= 1 || !t.tag().startsWith("PRP") || roots.isEmpty()) {
        continue;
      }
      if (g.parentTowardsRoot(t.index()) == null) {
        continue;
      }
      Token antecedent = firstNoun(g, java.util.Collections.min(roots), SINGULAR_PRONOUNS.contains(t.word()));
      if (antecedent != null && antecedent.index() < t.index()) {
        antecedentOf.put(t.index(), antecedent.index());
      }
    }
    for (Map.Entry<Integer, Integer> pair : antecedentOf.entrySet()) {
      int pronoun = pair.getKey();
      int noun = pair.getValue();
      if (g.isRoot(pronoun)) {
        g.removeRoot(pronoun);
        g.addRoot(noun);
      } else {
        for (Edge in : g.incoming(pronoun)) {
          g.removeEdge(in);
          g.addEdge(in.governor(), noun, in.relation());
        }
      }
      for (Edge out : g.outgoing(pronoun)) {
        g.removeEdge(out);
        g.addEdge(noun, out.dependent(), out.relation());
      }
    }
  }

  /** Breadth-first search below {@code start}, then below its parents, for a (singular) noun. */
  private static Token firstNoun(DependencyGraph g, int start, boolean singular) {
    java.util.Set<Integer> expanded = new java.util.HashSet<>();
    Integer from = start;
    while (from != null) {
      LinkedList<Integer> queue = new LinkedList<>();
      queue.add(from);
      java.util.Set<Integer> seen = new java.util.HashSet<>();
      while (!queue.isEmpty()) {
        Token current = g.token(queue.removeFirst());
        String tag = current.tag();
        if (tag.equals("NN") || tag.equals("NNP") || (!singular && current.isNoun())) {
          return current;
        }
        // The original has no visited set; a cycle without a noun would never end there.
        if (!seen.add(current.index())) {
          continue;
        }
        for (Token child : g.children(current.index())) {
          queue.add(child.index());
        }
      }
      if (!expanded.add(from)) {
        return null;
      }
      from = g.parentTowardsRoot(from);
    }
    return null;
  }
}
