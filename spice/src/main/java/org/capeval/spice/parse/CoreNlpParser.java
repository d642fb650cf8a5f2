package org.capeval.spice.parse;

import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.IndexedWord;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import edu.stanford.nlp.semgraph.SemanticGraph;
import edu.stanford.nlp.semgraph.SemanticGraphCoreAnnotations;
import edu.stanford.nlp.semgraph.SemanticGraphEdge;
import edu.stanford.nlp.util.CoreMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * SPICE 1.0's parsing: Stanford CoreNLP 3.6.0 ({@code tokenize,ssplit,parse,lemma}; the English
 * PCFG constituency parser converted to collapsed, cc-processed Universal Dependencies v1), then
 * {@link TupleExtractor}. SPICE also runs NER, which changes no tuple, so it is left out.
 *
 * <p>The models take seconds and about 1 GB to load: use {@link #shared()}, one instance per JVM
 * (per Spark executor). Parsing is thread-safe.
 */
public final class CoreNlpParser implements CaptionParser {

  /**
   * Identifies everything that changes the tuples of a caption; part of the tuple-cache key.
   * Change the rules' suffix whenever {@link GraphEnhancer} or {@link TupleExtractor} changes.
   */
  public static final String VERSION = "corenlp-3.6.0/englishPCFG/ud1-ccprocessed/maxlen-100/spice-1.0-rules-r1";

  /**
   * Longer sentences are not parsed (CoreNLP's {@code parse.maxlen}; they yield no tuples). The PCFG
   * chart grows with the square of the length: a 300-word caption ran for over 9 minutes without
   * finishing (by estimate its chart exceeds even spice-1.0.jar's 8 GB heap); the guard keeps one
   * such caption from stalling or killing an executor. COCO captions are far shorter.
   */
  public static final int MAX_SENTENCE_TOKENS = 100;

  private final StanfordCoreNLP pipeline;

  private CoreNlpParser() {
    Properties props = new Properties();
    props.setProperty("annotators", "tokenize,ssplit,parse,lemma");
    props.setProperty("threads", "1");
    props.setProperty("parse.maxlen", Integer.toString(MAX_SENTENCE_TOKENS));
    this.pipeline = new StanfordCoreNLP(props);
  }

  private static final class Holder {
    static final CoreNlpParser INSTANCE = new CoreNlpParser();
  }

  /** The JVM-wide parser, loading the models on first use. */
  public static CoreNlpParser shared() {
    return Holder.INSTANCE;
  }

  @Override
  public List<List<String>> tuples(String caption) {
    List<List<String>> out = new ArrayList<>();
    for (DependencyGraph g : graphs(caption)) {
      out.addAll(TupleExtractor.extract(g));
    }
    return out;
  }

  /** One dependency graph per sentence CoreNLP finds in the caption. */
  public List<DependencyGraph> graphs(String caption) {
    Annotation doc = new Annotation(caption);
    pipeline.annotate(doc);
    List<DependencyGraph> out = new ArrayList<>();
    List<CoreMap> sentences = doc.get(CoreAnnotations.SentencesAnnotation.class);
    if (sentences == null) {
      return out;
    }
    for (CoreMap sentence : sentences) {
      if (sentence.get(CoreAnnotations.TokensAnnotation.class).size() > MAX_SENTENCE_TOKENS) {
        continue; // not parsed (parse.maxlen): CoreNLP's placeholder graph has no words
      }
      SemanticGraph sg = sentence.get(
          SemanticGraphCoreAnnotations.CollapsedCCProcessedDependenciesAnnotation.class);
      if (sg != null) {
        out.add(convert(sg));
      }
    }
    return out;
  }

  static DependencyGraph convert(SemanticGraph sg) {
    DependencyGraph g = new DependencyGraph();
    for (IndexedWord w : sg.vertexListSorted()) {
      if (!g.hasToken(w.index())) {
        String word = w.word() != null ? w.word() : "";
        g.addToken(w.index(), word, w.lemma() != null ? w.lemma() : word, w.tag() != null ? w.tag() : "");
      }
    }
    for (SemanticGraphEdge e : sg.edgeListSorted()) {
      g.addEdge(e.getGovernor().index(), e.getDependent().index(), e.getRelation().toString());
    }
    List<IndexedWord> roots = new ArrayList<>(sg.getRoots());
    roots.sort(null);
    for (IndexedWord r : roots) {
      g.addRoot(r.index());
    }
    return g;
  }
}
