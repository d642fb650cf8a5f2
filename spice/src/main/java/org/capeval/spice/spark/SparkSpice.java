package org.capeval.spice.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.capeval.metrics.stats.PairwiseSum;
import org.capeval.spice.SpiceScorer;
import org.capeval.spice.graph.SynonymSets;
import org.capeval.spice.score.SpiceImageScore;
import scala.Tuple2;

/**
 * SPICE on Spark: every distinct caption of the run is parsed once, on the executors (one parser
 * per executor JVM), optionally skipping captions already in a Parquet tuple cache keyed by caption
 * and parser version; then each image is scored on the executors with the same
 * {@link SpiceScorer} code as the local path. Scores stay keyed by image id.
 */
public final class SparkSpice {

  /** Cache rows: caption text, parser version, tuples. */
  public static final StructType CACHE_SCHEMA = new StructType()
      .add("caption", DataTypes.StringType, false)
      .add("parser", DataTypes.StringType, false)
      .add("tuples", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.StringType, false), false), false);

  /** Per-image scores, the corpus value, and how many captions were parsed rather than cached. */
  public record Result(JavaPairRDD<String, ImageSpice> perImage, double spice, long distinctCaptions,
      long parsedCaptions) {}

  /**
   * Progress reporting around each step's Spark actions: {@code open} starts a phase ({@code total}
   * -1 = unknown; {@code counted} null = count tasks), {@code close} ends it. The jobs pass
   * {@code org.capeval.jobs.SparkProgress} (this module does not depend on the jobs module):
   * {@code (name, unit, total, counted) -> SparkProgress.phase(sc, name, unit, total, counted)::close}.
   */
  @FunctionalInterface
  public interface Phases {
    /** No progress lines. */
    Phases NONE = (name, unit, total, counted) -> () -> { };

    Phase open(String name, String unit, long total, LongAccumulator counted);

    /** An open phase. */
    interface Phase extends AutoCloseable {
      @Override
      void close();
    }
  }

  private SparkSpice() {}

  /** {@link #score(SparkSession, JavaRDD, String, ParserFactory, Phases)} without progress lines. */
  public static Result score(SparkSession spark, JavaRDD<SpiceScorer.Image> images, String cachePath,
      ParserFactory parsers) {
    return score(spark, images, cachePath, parsers, Phases.NONE);
  }

  /**
   * Scores {@code images}. With a {@code cachePath} (any Hadoop path, read as Hadoop reads it: a
   * plain one against fs.defaultFS; the score job passes its --spice-cache already made a local
   * {@code file:} path when plain, as all its paths are), tuples of captions parsed in this run are
   * appended there and reused by later runs with the same parser version. Each step runs in a
   * {@code phases} phase: "SPICE distinct captions", "SPICE cache lookup" (with a
   * cache), "SPICE parsing" (captions, counted per caption on the executors), "SPICE cache write",
   * "SPICE scoring" (images).
   */
  public static Result score(SparkSession spark, JavaRDD<SpiceScorer.Image> images, String cachePath,
      ParserFactory parsers, Phases phases) {
    images = images.persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<String> distinct = images.flatMap(SparkSpice::captionsOf).distinct().persist(StorageLevel.MEMORY_AND_DISK());
    long distinctCount;
    try (Phases.Phase p = phases.open("SPICE distinct captions", "captions", -1, null)) {
      distinctCount = distinct.count();
    }

    String version = parsers.version();
    JavaPairRDD<String, String[][]> cached = readCache(spark, cachePath, version);
    JavaRDD<String> toParse = distinct;
    long toParseCount = distinctCount;
    if (cachePath != null) {
      // counted first, so that the parse (the slow step) shows a percentage
      toParse = distinct.subtract(cached.keys()).persist(StorageLevel.MEMORY_AND_DISK());
      try (Phases.Phase p = phases.open("SPICE cache lookup", "captions", -1, null)) {
        toParseCount = toParse.count();
      }
    }
    int slices = Math.max(spark.sparkContext().defaultParallelism() * 2, 1);
    LongAccumulator parsedCaptions = spark.sparkContext().longAccumulator("SPICE captions parsed");
    JavaPairRDD<String, String[][]> parsed = toParse.repartition(slices)
        .mapPartitionsToPair(captions -> parse(parsers, captions, parsedCaptions))
        .persist(StorageLevel.MEMORY_AND_DISK());
    long parsedCount;
    try (Phases.Phase p = phases.open("SPICE parsing", "captions", toParseCount, parsedCaptions)) {
      parsedCount = parsed.count();
    }
    if (toParse != distinct) {
      toParse.unpersist(false);
    }
    if (cachePath != null && parsedCount > 0) {
      try (Phases.Phase p = phases.open("SPICE cache write", "captions", -1, null)) {
        appendToCache(spark, parsed, cachePath, version);
      }
    }

    // Tuples of the captions this run needs, then grouped per image for scoring.
    JavaPairRDD<String, String[][]> tuples = parsed.union(
        cached.join(distinct.mapToPair(c -> new Tuple2<>(c, Boolean.TRUE))).mapValues(Tuple2::_1));
    JavaPairRDD<String, Iterable<Tuple2<String, String[][]>>> tuplesPerImage = images
        .flatMapToPair(SparkSpice::imageCaptions)
        .join(tuples)
        .mapToPair(e -> new Tuple2<>(e._2()._1(), new Tuple2<>(e._1(), e._2()._2())))
        .groupByKey();
    LongAccumulator scoredImages = spark.sparkContext().longAccumulator("SPICE images scored");
    JavaPairRDD<String, ImageSpice> perImage = images
        .mapToPair(i -> new Tuple2<>(i.imageId(), i))
        .join(tuplesPerImage)
        .mapToPair(e -> {
          scoredImages.add(1);
          return new Tuple2<>(e._1(), scoreImage(e._2()._1(), e._2()._2()));
        })
        .persist(StorageLevel.MEMORY_AND_DISK());
    double spice;
    try (Phases.Phase p = phases.open("SPICE scoring", "images", images.count(), scoredImages)) {
      spice = orderedMean(images, perImage); // computes perImage
    }
    return new Result(perImage, spice, distinctCount, parsedCount);
  }

  /**
   * np.mean of the per-image SPICE values in the order of {@code images}, as pycocoevalcap's spice.py
   * averages them: numpy's pairwise sum, rebuilt from per-partition shares ({@link PairwiseSum}), not
   * Spark's mean, whose summation order follows the partitioning. NaN when there is no image.
   */
  static double orderedMean(JavaRDD<SpiceScorer.Image> images, JavaPairRDD<String, ImageSpice> perImage) {
    JavaRDD<Tuple2<Long, Double>> ordered = images.zipWithIndex()
        .mapToPair(e -> new Tuple2<>(e._1().imageId(), e._2()))
        .join(perImage.mapValues(ImageSpice::spice))
        .mapToPair(Tuple2::_2)
        .sortByKey(true, Math.max(1, images.getNumPartitions()))
        .map(t -> t)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long n = ordered.count();
      if (n == 0) {
        return Double.NaN;
      }
      // every image has a value, so the positions are 0..n-1 and a partition starts at its first one
      List<PairwiseSum.Partial> shares = ordered.mapPartitions(it -> {
        List<Long> positions = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        it.forEachRemaining(t -> {
          positions.add(t._1());
          values.add(t._2());
        });
        if (values.isEmpty()) {
          return java.util.Collections.<PairwiseSum.Partial>emptyIterator();
        }
        long start = positions.get(0);
        if (positions.get(positions.size() - 1) != start + positions.size() - 1) {
          throw new IllegalStateException("SPICE: an image without a score (positions not contiguous)");
        }
        return List.of(PairwiseSum.partial(n, start, values.stream().mapToDouble(Double::doubleValue).toArray())).iterator();
      }).collect();
      return PairwiseSum.mean(n, shares);
    } finally {
      ordered.unpersist(false);
    }
  }

  private static Iterator<String> captionsOf(SpiceScorer.Image image) {
    List<String> out = new ArrayList<>(image.references().size() + 1);
    out.add(image.candidate());
    out.addAll(image.references());
    return out.iterator();
  }

  /** (caption, image id) once per distinct caption of the image. */
  private static Iterator<Tuple2<String, String>> imageCaptions(SpiceScorer.Image image) {
    List<Tuple2<String, String>> out = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    Iterator<String> it = captionsOf(image);
    while (it.hasNext()) {
      String c = it.next();
      if (seen.add(c)) {
        out.add(new Tuple2<>(c, image.imageId()));
      }
    }
    return out.iterator();
  }

  private static Iterator<Tuple2<String, String[][]>> parse(ParserFactory parsers, Iterator<String> captions,
      LongAccumulator parsed) {
    var parser = parsers.parser();
    List<Tuple2<String, String[][]>> out = new ArrayList<>();
    while (captions.hasNext()) {
      String c = captions.next();
      out.add(new Tuple2<>(c, toArrays(parser.tuples(c))));
      parsed.add(1);
    }
    return out.iterator();
  }

  private static ImageSpice scoreImage(SpiceScorer.Image image, Iterable<Tuple2<String, String[][]>> tuples) {
    Map<String, List<List<String>>> byCaption = new HashMap<>();
    for (Tuple2<String, String[][]> t : tuples) {
      byCaption.put(t._1(), toLists(t._2()));
    }
    SpiceImageScore s = new SpiceScorer(SynonymSets.wordNet()).scoreImage(image, byCaption::get);
    return ImageSpice.of(image.imageId(), s);
  }

  // Tuples travel as String[][]: the jobs' Kryo serializer cannot rebuild immutable lists.
  private static String[][] toArrays(List<List<String>> tuples) {
    String[][] out = new String[tuples.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = tuples.get(i).toArray(new String[0]);
    }
    return out;
  }

  private static List<List<String>> toLists(String[][] tuples) {
    List<List<String>> out = new ArrayList<>(tuples.length);
    for (String[] t : tuples) {
      out.add(List.of(t));
    }
    return out;
  }

  private static JavaPairRDD<String, String[][]> readCache(SparkSession spark, String cachePath, String version) {
    JavaPairRDD<String, String[][]> empty = JavaPairRDD.fromJavaRDD(
        JavaSparkContext.fromSparkContext(spark.sparkContext()).<Tuple2<String, String[][]>>emptyRDD());
    if (cachePath == null || !exists(spark, cachePath)) {
      return empty;
    }
    Dataset<Row> rows = spark.read().schema(CACHE_SCHEMA).parquet(cachePath)
        .filter(org.apache.spark.sql.functions.col("parser").equalTo(version));
    // Two runs may have added the same caption; their tuples are equal, keep one.
    return rows.javaRDD()
        .mapToPair(r -> new Tuple2<>(r.getString(0), toArrays(fromRow(r.getList(2)))))
        .reduceByKey((a, b) -> a);
  }

  private static void appendToCache(SparkSession spark, JavaPairRDD<String, String[][]> parsed,
      String cachePath, String version) {
    JavaRDD<Row> rows = parsed.map(e -> RowFactory.create(e._1(), version, toRow(toLists(e._2()))));
    spark.createDataFrame(rows, CACHE_SCHEMA).write().mode(SaveMode.Append).parquet(cachePath);
  }

  private static List<List<String>> fromRow(List<Object> tuples) {
    List<List<String>> out = new ArrayList<>(tuples.size());
    for (Object t : tuples) {
      @SuppressWarnings("unchecked")
      scala.collection.Seq<String> words = t instanceof scala.collection.Seq<?> s ? (scala.collection.Seq<String>) s : null;
      if (words != null) {
        out.add(List.copyOf(scala.jdk.javaapi.CollectionConverters.asJava(words)));
      } else {
        @SuppressWarnings("unchecked")
        List<String> list = (List<String>) t;
        out.add(List.copyOf(list));
      }
    }
    return out;
  }

  /** Rows take Scala sequences for array columns. */
  private static scala.collection.immutable.Seq<scala.collection.immutable.Seq<String>> toRow(List<List<String>> tuples) {
    List<scala.collection.immutable.Seq<String>> out = new ArrayList<>(tuples.size());
    for (List<String> t : tuples) {
      out.add(scala.jdk.javaapi.CollectionConverters.asScala(t).toList());
    }
    return scala.jdk.javaapi.CollectionConverters.asScala(out).toList();
  }

  private static boolean exists(SparkSession spark, String path) {
    try {
      Configuration conf = spark.sparkContext().hadoopConfiguration();
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      return fs.exists(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot check SPICE cache path " + path, e);
    }
  }
}
