package org.capeval.jobs.score;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
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
import org.capeval.spice.score.SpiceImageScore;
import org.capeval.spice.score.TupleCategory;
import org.capeval.spice.score.TupleScore;
import org.capeval.spice.spark.ImageSpice;
import org.capeval.spice.spark.ParserFactory;
import org.capeval.spice.spark.SparkSpice;

/**
 * SPICE in the scoring job ({@code --metrics ...,spice}, {@code --spice-cache PATH}): the
 * tokenized images go to {@link SparkSpice} (distinct captions parsed once on the executors, cached
 * across runs), and its per-image values join the per-image output by image id: the {@code SPICE}
 * column (All F1) and the breakdown {@code SPICE_<category>_<field>} ({@link #COLUMNS}).
 */
final class SpiceStage {
  static final String NAME = "spice";
  static final String KEY = "SPICE";

  /** A breakdown field: its name (pycocoevalcap's key), whether it is a count, its value. */
  private record Field(String name, boolean count, Function<TupleScore, Object> value) {}

  /** Per category, in column order: pycocoevalcap's keys but numImages (always 1 for one image). */
  private static final List<Field> FIELDS = List.of(new Field("pr", false, TupleScore::precision),
      new Field("re", false, TupleScore::recall), new Field("f", false, TupleScore::f),
      new Field("tp", true, TupleScore::tp), new Field("fp", true, TupleScore::fp), new Field("fn", true, TupleScore::fn));

  /** The breakdown's columns after {@code SPICE}, category by category ({@link TupleCategory} order). */
  static final List<String> COLUMNS = Arrays.stream(TupleCategory.values())
      .flatMap(c -> FIELDS.stream().map(f -> column(c, f.name()))).toList();

  final double value;
  final Dataset<Row> perImage;
  final long distinctCaptions;
  final long parsedCaptions;
  final String parser;

  private SpiceStage(double value, Dataset<Row> perImage, long distinctCaptions, long parsedCaptions, String parser) {
    this.value = value;
    this.perImage = perImage;
    this.distinctCaptions = distinctCaptions;
    this.parsedCaptions = parsedCaptions;
    this.parser = parser;
  }

  private static String column(TupleCategory c, String field) {
    return KEY + "_" + c.label() + "_" + field;
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

  /** The job's signature with SPICE's part added. */
  static String signature(String signature) {
    return signature + "|" + SpiceScorer.signature(ParserFactory.coreNlp().version());
  }

  /** Scores the evaluated (tokenized) images. */
  static SpiceStage run(SparkSession spark, JavaRDD<EvalImage> tokenized, String cachePath) {
    JavaRDD<SpiceScorer.Image> images = tokenized.map(
        r -> new SpiceScorer.Image(Long.toString(r.imageId()), r.candidate(), Arrays.asList(r.references())));
    org.apache.spark.SparkContext sc = spark.sparkContext(); // progress lines for each SPICE step
    ParserFactory parsers = ParserFactory.coreNlp();
    SparkSpice.Result r = SparkSpice.score(spark, images, cachePath, parsers,
        (name, unit, total, counted) -> org.capeval.jobs.SparkProgress.phase(sc, name, unit, total, counted)::close);
    double value = r.spice(); // np.mean in evaluation order: tokenized (hence images) is in that order
    JavaRDD<Row> rows = r.perImage().map(e -> row(Long.parseLong(e._1()), e._2()));
    StructType schema = new StructType()
        .add("image_id", DataTypes.LongType, false)
        .add(KEY, DataTypes.DoubleType, false);
    for (TupleCategory c : TupleCategory.values()) {
      for (Field f : FIELDS) {
        schema = schema.add(column(c, f.name()), f.count() ? DataTypes.IntegerType : DataTypes.DoubleType, false);
      }
    }
    return new SpiceStage(value, spark.createDataFrame(rows, schema), r.distinctCaptions(), r.parsedCaptions(),
        parsers.version());
  }

  private static Row row(long imageId, ImageSpice image) {
    SpiceImageScore s = image.toScore();
    List<Object> v = new ArrayList<>(2 + COLUMNS.size());
    v.add(imageId);
    v.add(s.f());
    for (TupleCategory c : TupleCategory.values()) {
      for (Field f : FIELDS) {
        v.add(f.value().apply(s.get(c)));
      }
    }
    return RowFactory.create(v.toArray());
  }

  /** The breakdown back from a per-image row holding the {@link #COLUMNS}. */
  static SpiceImageScore breakdown(Row row) {
    Map<TupleCategory, TupleScore> m = new EnumMap<>(TupleCategory.class);
    for (TupleCategory c : TupleCategory.values()) {
      m.put(c, new TupleScore(row.getAs(column(c, "tp")), row.getAs(column(c, "fp")), row.getAs(column(c, "fn")),
          row.getAs(column(c, "pr")), row.getAs(column(c, "re")), row.getAs(column(c, "f"))));
    }
    return new SpiceImageScore(m);
  }

  /**
   * {@code --format pycocoevalcap}'s rows from the joined per-image table, streamed to the driver a
   * partition at a time, in its (evaluation) order: the metric {@code keys}' values and the breakdown.
   */
  static java.util.Iterator<PycocoevalcapJson.Row> pycocoevalcapRows(Dataset<Row> joined, List<String> keys) {
    java.util.Iterator<Row> rows = joined.toLocalIterator();
    return new java.util.Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public PycocoevalcapJson.Row next() {
        Row r = rows.next();
        double[] values = new double[keys.size()];
        for (int k = 0; k < values.length; k++) {
          values[k] = r.getAs(keys.get(k));
        }
        return new PycocoevalcapJson.Row(r.getAs("image_id"), values, breakdown(r));
      }
    };
  }

  /** Adds the SPICE columns; the broadcast join keeps the per-image rows in their order. */
  Dataset<Row> join(Dataset<Row> perImageRows) {
    return perImageRows.join(functions.broadcast(perImage), "image_id");
  }

  /** SPICE's corpus value and what produced it, into eval.json. */
  void addTo(ObjectNode evalJson) {
    ((ObjectNode) evalJson.get("eval")).put(KEY, value);
    ObjectNode s = evalJson.putObject("spice");
    s.put("parser", parser);
    s.put("distinct_captions", distinctCaptions);
    s.put("parsed_captions", parsedCaptions);
  }
}
