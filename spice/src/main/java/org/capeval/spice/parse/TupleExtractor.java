package org.capeval.spice.parse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.capeval.spice.parse.DependencyGraph.Edge;
import org.capeval.spice.parse.DependencyGraph.Token;

/**
 * Scene-graph rules of SPICE 1.0 (its modified Stanford Scene Graph Parser rules) on an enhanced
 * UD v1 collapsed, cc-processed dependency graph. Produces, in rule order, tuples of lower-cased
 * lemmas: {@code [object]}, {@code [object, attribute]} and {@code [subject, relation, object]}.
 *
 * <p>Deliberately reproduced quirks of the original: relation words keep the parser's lemma case;
 * a copular "be" with a particle leaves a leading space; the rule meant to copy relations between
 * conjoined nouns never fires in SPICE 1.0 (it compares a string with a token), so it is absent here
 * (cc-processing already gives conjoined subjects and objects their own edges).
 */
public final class TupleExtractor {

  private static final Pattern OBJECT_RELATION = Pattern.compile("iobj|dobj|nmod:.*");
  private static final Pattern DIRECT_OBJECT = Pattern.compile(".obj");
  private static final Pattern NMOD_NOT_AGENT = Pattern.compile("nmod:((?!agent).)*");
  private static final Pattern OBJECT_OR_NMOD = Pattern.compile(".obj|nmod.*");

  private TupleExtractor() {}

  /** Enhances a copy-free graph in place and returns its tuples. */
  public static List<List<String>> extract(DependencyGraph g) {
    GraphEnhancer.enhance(g);
    List<List<String>> out = new ArrayList<>();
    List<Integer> order = g.visitOrder();

    subjectVerbObject(g, order, out);
    clausalModifier(g, order, out);
    subjectPredicate(g, order, out);
    adjectives(g, order, out);
    prepositions(g, order, out);
    possessives(g, order, out);
    agents(g, order, out);
    numbers(g, order, out);
    Set<Integer> inCompound = compounds(g, order, out);
    for (int v : order) { // every remaining noun is an object
      Token t = g.token(v);
      if (t.isNoun() && !inCompound.contains(v)) {
        out.add(List.of(t.tupleWord()));
      }
    }
    return out;
  }

  /** "A man rides a horse", "a dog sits on a boat": subject, verb (+ preposition), object. */
  private static void subjectVerbObject(DependencyGraph g, List<Integer> order, List<List<String>> out) {
    for (int v : order) {
      if (g.hasChild(v, "cop")) {
        continue;
      }
      for (Token subj : g.children(v, "nsubj")) {
        if (!subj.isNoun()) {
          continue;
        }
        for (Edge e : g.outgoing(v)) {
          Token obj = g.token(e.dependent());
          if (OBJECT_RELATION.matcher(e.relation()).matches() && obj.isNoun()) {
            out.add(relation(subj, verbWithPreposition(g, g.token(v), e.relation()), obj));
          }
        }
      }
    }
  }

  /** "A cat sitting in a chair": a noun modified by a verb clause with an object. */
  private static void clausalModifier(DependencyGraph g, List<Integer> order, List<List<String>> out) {
    for (int v : order) {
      Token subj = g.token(v);
      for (Token verb : g.children(v, "acl")) {
        if (!verb.tag().startsWith("V")) {
          continue;
        }
        for (Edge e : g.outgoing(verb.index())) {
          Token obj = g.token(e.dependent());
          if (OBJECT_RELATION.matcher(e.relation()).matches() && obj.isNoun()) {
            out.add(relation(subj, verbWithPreposition(g, verb, e.relation()), obj));
          }
        }
      }
    }
  }

  /**
   * "A woman is smiling" (subject without object) and "the man is a rider" (copula): an attribute,
   * or a relation when the predicate carries a preposition ("the cat is on the mat").
   */
  private static void subjectPredicate(DependencyGraph g, List<Integer> order, List<List<String>> out) {
    for (boolean copular : new boolean[] {false, true}) {
      for (int v : order) {
        if (g.hasChild(v, "cop") != copular) {
          continue;
        }
        if (!copular && hasNounObject(g, v)) {
          continue;
        }
        Token pred = g.token(v);
        for (Token subj : g.children(v, "nsubj")) {
          if (!subj.isNoun()) {
            continue;
          }
          Token caseMarker = g.firstChild(v, "case");
          if (caseMarker != null) {
            StringBuilder prep = new StringBuilder(caseMarker.word());
            for (Token more : g.children(caseMarker.index(), GraphEnhancer.MWE)) {
              prep.append(' ').append(more.word());
            }
            out.add(List.of(subj.tupleWord(), prep.toString(), pred.tupleWord()));
          } else if (!pred.lemma().equals("be")) {
            out.add(List.of(subj.tupleWord(), pred.tupleWord()));
          }
        }
      }
    }
  }

  private static boolean hasNounObject(DependencyGraph g, int v) {
    for (Edge e : g.outgoing(v)) {
      if (OBJECT_RELATION.matcher(e.relation()).matches() && g.token(e.dependent()).isNoun()) {
        return true;
      }
    }
    return false;
  }

  /** "A smart woman" (amod) and "the man is tall" (adjective with a subject). */
  private static void adjectives(DependencyGraph g, List<Integer> order, List<List<String>> out) {
    for (int v : order) {
      for (Token adj : g.children(v, "amod")) {
        out.add(List.of(g.token(v).tupleWord(), adj.tupleWord()));
      }
    }
    for (int v : order) {
      Token adj = g.token(v);
      if (!adj.tag().startsWith("J")) {
        continue;
      }
      for (Token obj : g.children(v, "nsubj")) {
        out.add(List.of(obj.tupleWord(), adj.tupleWord()));
      }
    }
  }

  /** "A woman in the house": a noun's prepositional modifier. */
  private static void prepositions(DependencyGraph g, List<Integer> order, List<List<String>> out) {
    for (int v : order) {
      Token gov = g.token(v);
      if (!gov.isNoun()) {
        continue;
      }
      for (Edge e : g.outgoing(v)) {
        if (!e.relation().startsWith("nmod:")) {
          continue;
        }
        String prep = e.relation().replace("nmod:", "").replace('_', ' ');
        if (prep.equals("poss") || prep.equals("agent")) {
          continue;
        }
        out.add(relation(gov, prep, g.token(e.dependent())));
      }
    }
  }

  /** "The man's hat": (man, have, hat). */
  private static void possessives(DependencyGraph g, List<Integer> order, List<List<String>> out) {
    for (int v : order) {
      Token gov = g.token(v);
      if (!gov.isNoun()) {
        continue;
      }
      for (Token owner : g.children(v, "nmod:poss")) {
        if (owner.isNoun()) {
          out.add(relation(owner, "have", gov));
        }
      }
    }
  }

  /** "A ball thrown by a boy": (boy, throw, ball). */
  private static void agents(DependencyGraph g, List<Integer> order, List<List<String>> out) {
    for (int v : order) {
      Token verb = g.token(v);
      if (!verb.tag().startsWith("V")) {
        continue;
      }
      for (Token agent : g.children(v, "nmod:agent")) {
        if (!agent.isNoun()) {
          continue;
        }
        for (Token patient : g.children(v, "nsubjpass")) {
          if (patient.isNoun()) {
            out.add(relation(agent, predicate(g, verb), patient));
          }
        }
      }
    }
  }

  /**
   * "Two dogs", "a lot of people": the number or quantifier of a plural noun becomes its attribute.
   * SPICE looks at plural nouns in three situations (subject with a plural object, other
   * subjects and roots, everything else), taking the first match per predicate or noun.
   */
  private static void numbers(DependencyGraph g, List<Integer> order, List<List<String>> out) {
    for (int v : order) { // plural subject with a plural object: both
      Token[] pair = pluralSubjectAndObject(g, v);
      if (pair != null) {
        numericAttribute(g, pair[0], out);
        numericAttribute(g, pair[1], out);
      }
    }
    for (int v : order) { // plural root, or plural subject of a predicate without plural object
      Token t = g.token(v);
      if (!t.isPluralNoun()) {
        continue;
      }
      boolean match = g.isRoot(v);
      for (Edge in : g.incoming(v)) {
        if (in.relation().equals("nsubj") && !hasPluralObject(g, in.governor())) {
          match = true;
        }
      }
      if (match) {
        numericAttribute(g, t, out);
      }
    }
    for (int v : order) { // any other plural noun
      Token t = g.token(v);
      if (!t.isPluralNoun() || g.isRoot(v) || g.hasIncoming(v, "nsubj")) {
        continue;
      }
      boolean objectOfPluralSubject = false;
      for (Edge in : g.incoming(v)) {
        if (OBJECT_OR_NMOD.matcher(in.relation()).matches() && hasPluralSubject(g, in.governor())) {
          objectOfPluralSubject = true;
        }
      }
      if (!objectOfPluralSubject) {
        numericAttribute(g, t, out);
      }
    }
  }

  private static Token[] pluralSubjectAndObject(DependencyGraph g, int pred) {
    for (Token subj : g.children(pred, "nsubj")) {
      if (!subj.isPluralNoun()) {
        continue;
      }
      Token obj = firstPluralObject(g, pred);
      if (obj != null) {
        return new Token[] {subj, obj};
      }
    }
    return null;
  }

  /** A plural dobj/iobj, else a plural non-agent nmod that has a case marker. */
  private static Token firstPluralObject(DependencyGraph g, int pred) {
    for (Edge e : g.outgoing(pred)) {
      Token t = g.token(e.dependent());
      if (DIRECT_OBJECT.matcher(e.relation()).matches() && t.isPluralNoun()) {
        return t;
      }
    }
    for (Edge e : g.outgoing(pred)) {
      Token t = g.token(e.dependent());
      if (NMOD_NOT_AGENT.matcher(e.relation()).matches() && t.isPluralNoun() && g.hasChild(t.index(), "case")) {
        return t;
      }
    }
    return null;
  }

  private static boolean hasPluralObject(DependencyGraph g, int pred) {
    return firstPluralObject(g, pred) != null;
  }

  private static boolean hasPluralSubject(DependencyGraph g, int pred) {
    for (Token s : g.children(pred, "nsubj")) {
      if (s.isPluralNoun()) {
        return true;
      }
    }
    return false;
  }

  /** A number before the noun ("two dogs", not "number 5"), else a quantifier phrase. */
  private static void numericAttribute(DependencyGraph g, Token noun, List<List<String>> out) {
    Token number = g.firstChild(noun.index(), "nummod");
    if (number != null) {
      if (number.index() < noun.index()) {
        out.add(List.of(noun.tupleWord(), number.tupleWord()));
      }
      return;
    }
    Token quantifier = g.firstChild(noun.index(), GraphEnhancer.QMOD);
    if (quantifier != null) {
      out.add(List.of(noun.tupleWord(), quantifier.tupleWord()));
    }
  }

  /** "A tennis racket": (racket, tennis); both nouns then stop being objects of their own. */
  private static Set<Integer> compounds(DependencyGraph g, List<Integer> order, List<List<String>> out) {
    Set<Integer> inCompound = new HashSet<>();
    for (int v : order) {
      Token head = g.token(v);
      if (!head.isNoun()) {
        continue;
      }
      for (Token modifier : g.children(v, "compound")) {
        if (modifier.isNoun()) {
          inCompound.add(v);
          inCompound.add(modifier.index());
          out.add(List.of(head.tupleWord(), modifier.tupleWord()));
        }
      }
    }
    return inCompound;
  }

  /** The verb's lemma with its particle, and the preposition of an nmod object. */
  private static String verbWithPreposition(DependencyGraph g, Token verb, String objectRelation) {
    String p = predicate(g, verb);
    if (objectRelation.startsWith("nmod:") && !objectRelation.equals("nmod:poss")
        && !objectRelation.equals("nmod:agent")) {
      p += objectRelation.replace("nmod:", " ").replace('_', ' ');
    }
    return p;
  }

  /** "Pick up": the verb lemma and its particle ("be" is dropped, leaving a leading space). */
  private static String predicate(DependencyGraph g, Token verb) {
    Token particle = g.firstChild(verb.index(), "compound:prt");
    if (particle == null) {
      return verb.lemma();
    }
    return (verb.lemma().equals("be") ? "" : verb.lemma()) + " " + particle.word();
  }

  private static List<String> relation(Token subject, String relation, Token object) {
    return List.of(subject.tupleWord(), relation, object.tupleWord());
  }
}
