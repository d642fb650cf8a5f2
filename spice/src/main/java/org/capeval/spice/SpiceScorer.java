package org.capeval.spice;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.capeval.metrics.Progress;
import org.capeval.metrics.stats.PairwiseSum;
import org.capeval.spice.graph.SceneGraph;
import org.capeval.spice.graph.SynonymSets;
import org.capeval.spice.parse.CaptionParser;
import org.capeval.spice.score.SpiceImageScore;

/**
 * SPICE 1.0 as the COCO toolkit runs it ({@code spice-1.0.jar -subset}): each caption parsed into
 * tuples, the references of an image merged into one scene graph, candidate tuples matched by word
 * or WordNet synset, per-image F1 in seven categories, corpus value = mean of per-image All F1.
 * Per-image scores stay with their own image id (the toolkit's zip misassigns them, see
 * coco-caption-metrics.md §7).
 *
 * <p>Captions are expected PTB-tokenized, lower-cased, punctuation removed (the toolkit's input).
 */
public final class SpiceScorer {

  /**
   * One image: its id, the candidate caption and the reference captions. A plain class with an
   * array (not a record, not a List) so that Spark's Kryo serializer can ship it.
   */
  public static final class Image implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private String imageId;
    private String candidate;
    private String[] references;

    public Image(String imageId, String candidate, List<String> references) {
      this.imageId = imageId;
      this.candidate = candidate;
      this.references = references.toArray(new String[0]);
    }

    public String imageId() {
      return imageId;
    }

    public String candidate() {
      return candidate;
    }

    public List<String> references() {
      return List.of(references);
    }
  }

  /** Per-image scores in input order, and the corpus value. */
  public record Result(List<String> imageIds, List<SpiceImageScore> perImage, double spice) {}

  private final SynonymSets synonyms;

  public SpiceScorer(SynonymSets synonyms) {
    this.synonyms = synonyms;
  }

  /**
   * What changes SPICE's numbers, as a part of the job's signature: the rules reproduced
   * (spice-1.0.jar with its defaults: WordNet 3.0 synsets in merging and matching, the seven
   * categories of {@code -subset}) and the parser ({@code parserVersion}, the tuple cache's key: CoreNLP
   * version, model, dependencies, sentence length limit, rules revision). The tuple cache and the
   * number of threads or executors change no number, so they are not in it.
   */
  public static String signature(String parserVersion) {
    return "spice:1.0,synsets-wn3.0,parser=" + parserVersion;
  }

  /** With WordNet 3.0 synonyms, as SPICE's default. */
  public static SpiceScorer withWordNet() {
    return new SpiceScorer(SynonymSets.wordNet());
  }

  /**
   * Parses each distinct caption once with {@code parser}, then scores. Long runs print progress
   * lines to stderr ({@link Progress}: "SPICE parsing", "SPICE scoring").
   */
  public Result score(List<Image> images, CaptionParser parser) {
    Map<String, List<List<String>>> tuples = new LinkedHashMap<>();
    Set<String> captions = distinctCaptions(images);
    try (Progress.Phase p = Progress.start("SPICE parsing", "captions", captions.size())) {
      for (String caption : captions) {
        tuples.put(caption, parser.tuples(caption));
        p.add(1);
      }
    }
    return scoreParsed(images, tuples::get);
  }

  /** Scores with already-parsed tuples (from a cache or a distributed parse). */
  public Result scoreParsed(List<Image> images, Function<String, List<List<String>>> tuplesOf) {
    List<String> ids = new ArrayList<>(images.size());
    List<SpiceImageScore> scores = new ArrayList<>(images.size());
    double[] f = new double[images.size()];
    try (Progress.Phase p = Progress.start("SPICE scoring", "images", images.size())) {
      for (Image image : images) {
        SpiceImageScore s = scoreImage(image, tuplesOf);
        f[ids.size()] = s.f();
        ids.add(image.imageId());
        scores.add(s);
        p.add(1);
      }
    }
    // np.mean, as pycocoevalcap's spice.py averages (NaN for no image, as numpy)
    return new Result(List.copyOf(ids), List.copyOf(scores), PairwiseSum.mean(f));
  }

  /** One image: candidate graph against the references merged in their given order. */
  public SpiceImageScore scoreImage(Image image, Function<String, List<List<String>>> tuplesOf) {
    SceneGraph candidate = new SceneGraph(synonyms);
    candidate.addAll(require(tuplesOf, image.candidate(), image.imageId()));
    SceneGraph references = new SceneGraph(synonyms);
    for (String ref : image.references()) {
      references.addAll(require(tuplesOf, ref, image.imageId()));
    }
    return SpiceImageScore.of(candidate, references);
  }

  /** Every caption (candidates and references) once, in first-seen order. */
  public static Set<String> distinctCaptions(List<Image> images) {
    Set<String> out = new LinkedHashSet<>();
    for (Image image : images) {
      out.add(image.candidate());
      out.addAll(image.references());
    }
    return out;
  }

  private static List<List<String>> require(Function<String, List<List<String>>> tuplesOf, String caption, String imageId) {
    List<List<String>> t = tuplesOf.apply(caption);
    if (t == null) {
      throw new IllegalStateException("no parsed tuples for caption \"" + caption + "\" of image " + imageId);
    }
    return t;
  }
}
