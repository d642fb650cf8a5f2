package org.capeval.spice.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.capeval.spice.SpiceScorer;
import org.capeval.spice.parse.CaptionParser;
import org.capeval.spice.score.TupleCategory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * Real local Spark with a counting stand-in parser (one object tuple per word): the distributed
 * scores equal the local ones, each distinct caption is parsed once, and the Parquet cache makes a
 * rerun parse only new captions.
 */
class SparkSpiceTest {

  static final AtomicInteger PARSES = new AtomicInteger();

  static final class CountingWords implements ParserFactory {
    private final String version;

    CountingWords() {
      this("words-test-1");
    }

    CountingWords(String version) {
      this.version = version;
    }

    @Override
    public CaptionParser parser() {
      return caption -> {
        PARSES.incrementAndGet();
        return Arrays.stream(caption.split(" ")).filter(w -> !w.isEmpty()).map(List::of).toList();
      };
    }

    @Override
    public String version() {
      return version;
    }
  }

  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("SparkSpiceTest")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer") // as conf/spark-defaults.conf
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static List<SpiceScorer.Image> images() {
    List<SpiceScorer.Image> out = new ArrayList<>();
    // Descending, non-contiguous ids: a score must stay with its own image.
    out.add(new SpiceScorer.Image("900", "dog sofa", List.of("dog couch", "puppy sofa")));
    out.add(new SpiceScorer.Image("45", "man horse", List.of("man horse", "man horse")));
    out.add(new SpiceScorer.Image("7", "cat", List.of("dog couch", "bird")));
    out.add(new SpiceScorer.Image("3", "dog couch", List.of("cat")));
    return out;
  }

  private static SpiceScorer.Result local(List<SpiceScorer.Image> images) {
    // Same stand-in parser, WordNet synonyms as on the executors.
    return SpiceScorer.withWordNet().score(images, new CountingWords().parser());
  }

  @Test
  void matchesLocalScoresAndCachesAcrossRuns(@TempDir Path dir) {
    String cache = dir.resolve("spice-cache").toString();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<SpiceScorer.Image> images = images();

    PARSES.set(0);
    SparkSpice.Result first = SparkSpice.score(spark, jsc.parallelize(images, 3), cache, new CountingWords());
    assertEquals(6, first.distinctCaptions());
    assertEquals(6, first.parsedCaptions());
    assertEquals(6, PARSES.get(), "each distinct caption parsed once");

    SpiceScorer.Result expected = local(images);
    Map<String, ImageSpice> got = first.perImage().collectAsMap();
    assertEquals(images.size(), got.size());
    for (int i = 0; i < images.size(); i++) {
      String id = expected.imageIds().get(i);
      assertEquals(id, got.get(id).imageId);
      assertEquals(expected.perImage().get(i), got.get(id).toScore(), "image " + id);
    }
    assertEquals(1.0, got.get("45").spice(), 0.0);
    assertEquals(0.0, got.get("3").spice(), 0.0);
    assertEquals(expected.spice(), first.spice(), 0.0);

    PARSES.set(0);
    SparkSpice.Result warm = SparkSpice.score(spark, jsc.parallelize(images, 2), cache, new CountingWords());
    assertEquals(0, warm.parsedCaptions());
    assertEquals(0, PARSES.get(), "a warm cache parses nothing");
    assertEquals(first.spice(), warm.spice(), 0.0);

    List<SpiceScorer.Image> more = new ArrayList<>(images);
    more.add(new SpiceScorer.Image("8", "bird tree", List.of("bird")));
    PARSES.set(0);
    SparkSpice.Result grown = SparkSpice.score(spark, jsc.parallelize(more, 2), cache, new CountingWords());
    assertEquals(1, grown.parsedCaptions(), "only the new caption is parsed");
    assertEquals(local(more).spice(), grown.spice(), 0.0);
  }

  /** What SparkSpice reports: each step as a phase, with the totals and counts of its run. */
  @Test
  void eachStepIsAProgressPhase(@TempDir Path dir) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<String> phases = new ArrayList<>();
    SparkSpice.Phases recording = (name, unit, total, counted) -> {
      long before = counted == null ? 0 : counted.sum();
      return () -> phases.add(name + " | " + unit + " | " + total + " | "
          + (counted == null ? "-" : Long.toString(counted.sum() - before)));
    };
    SparkSpice.score(spark, jsc.parallelize(images(), 3), null, new CountingWords(), recording);
    assertEquals(List.of(
        "SPICE distinct captions | captions | -1 | -",
        "SPICE parsing | captions | 6 | 6",
        "SPICE scoring | images | 4 | 4"), phases);

    // with a cache: its lookup tells how many captions the parse has to do, then the new ones are written
    String cache = dir.resolve("cache").toString();
    SparkSpice.score(spark, jsc.parallelize(images(), 3), cache, new CountingWords());
    List<SpiceScorer.Image> more = new ArrayList<>(images());
    more.add(new SpiceScorer.Image("8", "bird tree", List.of("bird", "tree")));
    phases.clear();
    SparkSpice.score(spark, jsc.parallelize(more, 2), cache, new CountingWords(), recording);
    assertEquals(List.of(
        "SPICE distinct captions | captions | -1 | -",
        "SPICE cache lookup | captions | -1 | -",
        "SPICE parsing | captions | 2 | 2",
        "SPICE cache write | captions | -1 | -",
        "SPICE scoring | images | 5 | 5"), phases);
  }

  @Test
  void otherParserVersionDoesNotReuseCache(@TempDir Path dir) {
    String cache = dir.resolve("c").toString();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<SpiceScorer.Image> images = List.of(new SpiceScorer.Image("1", "a b", List.of("a")));
    SparkSpice.score(spark, jsc.parallelize(images), cache, new CountingWords());
    ParserFactory v2 = new CountingWords("words-test-2");
    assertEquals(2, SparkSpice.score(spark, jsc.parallelize(images), cache, v2).parsedCaptions());
  }

  @Test
  void corpusValueIsNumpysPairwiseMeanInImageOrder() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int n = 3001; // several of numpy's 128-value blocks, split over partitions mid-block
    java.util.Random random = new java.util.Random(42);
    List<SpiceScorer.Image> images = new ArrayList<>();
    List<Tuple2<String, ImageSpice>> perImage = new ArrayList<>();
    double[] inOrder = new double[n];
    for (int i = 0; i < n; i++) {
      String id = Long.toString(1_000_000L - 7L * i); // ids not in image order
      images.add(new SpiceScorer.Image(id, "c", List.of("r")));
      ImageSpice s = new ImageSpice();
      s.f = new double[TupleCategory.values().length];
      s.f[TupleCategory.ALL.ordinal()] = inOrder[i] = random.nextDouble() * Math.pow(10, random.nextInt(6) - 3);
      perImage.add(new Tuple2<>(id, s));
    }
    java.util.Collections.shuffle(perImage, random); // per-image scores come back in any order
    double mean = SparkSpice.orderedMean(jsc.parallelize(images, 7), jsc.parallelizePairs(perImage, 5));
    double expected = org.capeval.metrics.stats.PairwiseSum.mean(inOrder);
    assertEquals(expected, mean, 0.0);
    // the fixture can tell the difference: a sequential mean (a plain loop, or Spark's mean) is off
    double sequential = 0;
    for (double v : inOrder) {
      sequential += v;
    }
    org.junit.jupiter.api.Assertions.assertNotEquals(expected, sequential / n, "fixture too easy");
    assertEquals(Double.NaN, SparkSpice.orderedMean(jsc.parallelize(List.<SpiceScorer.Image>of(), 2),
        jsc.parallelizePairs(List.<Tuple2<String, ImageSpice>>of(), 2)), 0.0);
  }
}
