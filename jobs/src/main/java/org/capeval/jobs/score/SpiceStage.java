package org.capeval.jobs.score;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.capeval.metrics.core.EvalImage;
import org.capeval.spice.SpiceScorer;
import org.capeval.spice.parse.CoreNlpParser;
import org.capeval.spice.spark.ParserFactory;
import org.capeval.spice.spark.SparkSpice;

/**
 * SPICE in the scoring job ({@code --metrics ...,spice}, {@code --spice-cache PATH}): the
 * tokenized images go to {@link SparkSpice} (distinct captions parsed once on the executors, cached
 * across runs), and its per-image value joins the per-image output by image id.
 */
final class SpiceStage {
  static final String NAME = "spice";
  static final String KEY = "SPICE";

  final double value;
  final Dataset<Row> perImage;
  final long distinctCaptions;
  final long parsedCaptions;

  private SpiceStage(double value, Dataset<Row> perImage, long distinctCaptions, long parsedCaptions) {
    this.value = value;
    this.perImage = perImage;
    this.distinctCaptions = distinctCaptions;
    this.parsedCaptions = parsedCaptions;
  }

  /** Whether a --metrics list asks for SPICE. */
  static boolean requested(String metricsList) {
    return names(metricsList).contains(NAME);
  }

  /** The --metrics list without SPICE, for the metrics module's parser. */
  static String withoutSpice(String metricsList) {
    List<String> rest = new ArrayList<>(names(metricsList));
    rest.remove(NAME);
    return String.join(",", rest);
  }

  private static List<String> names(String list) {
    return Arrays.stream(list.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
  }

  /** Scores the evaluated (tokenized) images. */
  static SpiceStage run(SparkSession spark, JavaRDD<EvalImage> tokenized, String cachePath) {
    JavaRDD<SpiceScorer.Image> images = tokenized.map(
        r -> new SpiceScorer.Image(Long.toString(r.imageId()), r.candidate(), Arrays.asList(r.references())));
    org.apache.spark.SparkContext sc = spark.sparkContext(); // progress lines for each SPICE step
    SparkSpice.Result r = SparkSpice.score(spark, images, cachePath, ParserFactory.coreNlp(),
        (name, unit, total, counted) -> org.capeval.jobs.SparkProgress.phase(sc, name, unit, total, counted)::close);
    double value = r.spice(); // np.mean in evaluation order: tokenized (hence images) is in that order
    JavaRDD<Row> rows = r.perImage().map(e -> RowFactory.create(Long.parseLong(e._1()), e._2().spice()));
    StructType schema = new StructType()
        .add("image_id", DataTypes.LongType, false)
        .add(KEY, DataTypes.DoubleType, false);
    return new SpiceStage(value, spark.createDataFrame(rows, schema), r.distinctCaptions(), r.parsedCaptions());
  }

  /** Adds the SPICE column; the broadcast join keeps the per-image rows in their order. */
  Dataset<Row> join(Dataset<Row> perImageRows) {
    return perImageRows.join(functions.broadcast(perImage), "image_id");
  }

  /** SPICE's corpus value and what produced it, into eval.json. */
  void addTo(ObjectNode evalJson) {
    ((ObjectNode) evalJson.get("eval")).put(KEY, value);
    ObjectNode s = evalJson.putObject("spice");
    s.put("parser", CoreNlpParser.VERSION);
    s.put("distinct_captions", distinctCaptions);
    s.put("parsed_captions", parsedCaptions);
  }
}
