package org.capeval.spice.spark;

import java.io.File;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.capeval.spice.SpiceScorer;

/**
 * SPICE on Spark for one annotation/results pair, for benchmarks:
 * {@code SparkSpiceCli REFS.json CANDS.json [--tokenized] [--spice-cache PATH]} (master from
 * spark.master, e.g. {@code -Dspark.master=local[2]}). Prints the corpus value and timings.
 *
 * <p>{@code PATH} goes to Hadoop as given, as in {@link SparkSpice#score}: a plain path resolves
 * against {@code fs.defaultFS}, a local directory only where that is {@code file:} (the default here;
 * on a cluster give a full URI). The score job's {@code --spice-cache} makes a plain path a local file.
 */
public final class SparkSpiceCli {

  public static void main(String[] args) throws Exception {
    boolean tokenized = false;
    String cache = null;
    for (int i = 2; i < args.length; i++) {
      switch (args[i]) {
        case "--tokenized" -> tokenized = true;
        case "--spice-cache" -> cache = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<SpiceScorer.Image> images = org.capeval.spice.SpiceCli.readImages(new File(args[0]), new File(args[1]), tokenized);
    SparkSession spark = SparkSession.builder().appName("capeval-spice").getOrCreate();
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      long t0 = System.nanoTime();
      SparkSpice.Result r = SparkSpice.score(spark, jsc.parallelize(images), cache, ParserFactory.coreNlp());
      long t1 = System.nanoTime();
      System.out.printf("images %d, distinct captions %d, parsed %d (rest from cache)%n",
          images.size(), r.distinctCaptions(), r.parsedCaptions());
      System.out.printf("SPICE %.6f in %.1f s (%s)%n", r.spice(), (t1 - t0) / 1e9, spark.sparkContext().master());
    } finally {
      spark.stop();
    }
  }

  private SparkSpiceCli() {}
}
