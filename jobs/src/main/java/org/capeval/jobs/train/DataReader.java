package org.capeval.jobs.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.InputSplit;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaHadoopRDD;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.capeval.jobs.InputFiles;
import scala.Tuple2;

/**
 * Reads training rows from Parquet, LIBSVM or CSV on any Hadoop path into cached
 * {@link RowBlock}s. Each row gets its global index in read order (files and splits in order,
 * rows in file order), which fixes the epochs' batch orders independently of partitioning.
 * Rows within a partition are kept sorted by index, so a recomputed partition (after a lost
 * executor) gives back the same block, bit for bit.
 */
public final class DataReader {
    /** The column Spark's JSON reader fills with a line it cannot parse. */
    private static final String CORRUPT_RECORD = "_corrupt_record";

    /** Rows per block: large enough that per-block overhead vanishes, small enough to allocate easily. */
    static final int BLOCK_ROWS = 16384;

    private DataReader() {}

    /**
     * The rows as blocks. Bad input is reported on the driver, as a {@link BadInputException}
     * naming --data, the file and, for a row, the record and field: paths and formats are checked
     * before Spark reads anything ({@link DataSources}), and a row that cannot be used ends its
     * partition as a {@link RowParser.Row#failed} row, found by the pass that counts the rows of
     * each partition (which numbering the rows needs anyway), so no task fails on bad data.
     */
    public static JavaRDD<RowBlock> read(SparkSession spark, TrainConfig cfg) {
        DataSources.check(spark.sparkContext().hadoopConfiguration(), cfg);
        RowParser parser = new RowParser(cfg.model);
        JavaRDD<RowParser.Row> rows = switch (cfg.format) {
            case "libsvm" -> text(spark, hadoopPaths(cfg), parser, false, false);
            case "csv" -> text(spark, hadoopPaths(cfg), parser, true, cfg.csvHeader);
            default -> tabular(spark, cfg, parser);
        };
        // what zipWithIndex does (count each partition, then number), with the first bad row found on the way
        List<Tuple2<Long, String>> counts = rows.mapPartitions(it -> {
            long n = 0;
            while (it.hasNext()) {
                RowParser.Row r = it.next();
                if (r.error() != null) {
                    return List.of(new Tuple2<Long, String>(n, r.error())).iterator();
                }
                n++;
            }
            return List.of(new Tuple2<Long, String>(n, null)).iterator();
        }).collect();
        long[] offsets = new long[counts.size() + 1];
        for (int p = 0; p < counts.size(); p++) {
            if (counts.get(p)._2() != null) {
                throw new BadInputException(counts.get(p)._2());
            }
            offsets[p + 1] = offsets[p] + counts.get(p)._1();
        }
        JavaPairRDD<Long, RowParser.Row> indexed = JavaPairRDD.fromJavaRDD(rows.mapPartitionsWithIndex((p, it) -> {
            long[] next = {offsets[p]};
            return new Iterator<Tuple2<Long, RowParser.Row>>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Tuple2<Long, RowParser.Row> next() {
                    RowParser.Row r = it.next();
                    if (r.error() != null) { // not on a rerun of the same data: the counting pass found none
                        throw new BadInputException(r.error());
                    }
                    return new Tuple2<>(next[0]++, r);
                }
            };
        }, true));
        if (cfg.partitions > 0) {
            indexed = indexed.repartitionAndSortWithinPartitions(new HashPartitioner(cfg.partitions));
        }
        int d = cfg.model.numFeatures();
        return indexed.mapPartitions(it -> toBlocks(it, d));
    }

    private static Iterator<RowBlock> toBlocks(Iterator<Tuple2<Long, RowParser.Row>> it, int numFeatures) {
        List<RowBlock> blocks = new ArrayList<>();
        RowBlock.Builder b = new RowBlock.Builder(numFeatures, BLOCK_ROWS);
        while (it.hasNext()) {
            Tuple2<Long, RowParser.Row> t = it.next();
            b.add(t._1(), t._2().features(), t._2().label());
            if (b.isFull()) {
                blocks.add(b.build());
            }
        }
        if (!b.isEmpty()) {
            blocks.add(b.build());
        }
        return blocks.iterator(); // an empty partition simply has no blocks
    }

    /** --data's paths as Hadoop reads them (a plain one local), comma-separated as Hadoop's text input takes a list. */
    private static String hadoopPaths(TrainConfig cfg) {
        return cfg.sources().stream().map(s -> InputFiles.hadoopPath(s.path()).toString()).collect(java.util.stream.Collectors.joining(","));
    }

    @SuppressWarnings("unchecked")
    private static JavaRDD<RowParser.Row> text(SparkSession spark, String path, RowParser parser, boolean csv,
            boolean header) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaHadoopRDD<LongWritable, Text> lines = (JavaHadoopRDD<LongWritable, Text>) sc.hadoopFile(
                path, TextInputFormat.class, LongWritable.class, Text.class, sc.defaultMinPartitions());
        return lines.mapPartitionsWithInputSplit((InputSplit split, Iterator<Tuple2<LongWritable, Text>> it) -> {
            String file = split instanceof FileSplit fs ? InputFiles.shown(fs.getPath()) : path;
            List<RowParser.Row> out = new ArrayList<>();
            try {
                while (it.hasNext()) {
                    Tuple2<LongWritable, Text> t = it.next();
                    long offset = t._1().get();
                    if (header && offset == 0) {
                        continue;
                    }
                    String where = file + " (line at byte " + offset + ")";
                    RowParser.Row r = csv ? parser.csv(t._2().toString(), where) : parser.libsvm(t._2().toString(), where);
                    if (r != null) {
                        out.add(r);
                    }
                }
            } catch (BadInputException e) {
                out.add(RowParser.Row.failed(e.getMessage()));
            }
            return out.iterator();
        }, true);
    }

    /** A file as {@code input_file_name()} gives it (a URI's text), named as messages name files. */
    private static String shownUri(String uri) {
        try {
            return InputFiles.shown(new java.net.URI(uri));
        } catch (java.net.URISyntaxException e) {
            return uri;
        }
    }

    /** Parquet or JSON sources, in --data order, each with its label column or its PATH=LABEL constant. */
    private static JavaRDD<RowParser.Row> tabular(SparkSession spark, TrainConfig cfg, RowParser parser) {
        Dataset<org.apache.spark.sql.Row> all = null;
        for (TrainConfig.Source src : cfg.sources()) {
            Dataset<org.apache.spark.sql.Row> df = cfg.format.equals("json")
                    ? spark.read().json(InputFiles.hadoopPath(src.path()).toString())
                    : spark.read().parquet(InputFiles.hadoopPath(src.path()).toString());
            // Spark's JSON reader puts a line it cannot parse into _corrupt_record (its other columns null)
            org.apache.spark.sql.Column corrupt = List.of(df.schema().fieldNames()).contains(CORRUPT_RECORD)
                    ? functions.col(CORRUPT_RECORD) : functions.lit(null).cast("string");
            Dataset<org.apache.spark.sql.Row> sel = df.select(featuresColumn(df, src.path(), cfg.featureCols),
                    labelColumn(df, src, cfg.labelCol), functions.input_file_name().as("file"), corrupt.as(CORRUPT_RECORD));
            all = all == null ? sel : all.union(sel);
        }
        return all.javaRDD().mapPartitions(it -> {
            List<RowParser.Row> out = new ArrayList<>();
            long n = 0;
            String fileUri = null;
            String file = null;
            try {
                while (it.hasNext()) {
                    org.apache.spark.sql.Row r = it.next();
                    if (!r.getString(2).equals(fileUri)) { // Spark packs small files into one partition: count each file's records
                        fileUri = r.getString(2);
                        file = shownUri(fileUri);
                        n = 0;
                    }
                    String where = file + " (record " + ++n + " of its split)";
                    if (!r.isNullAt(3)) {
                        String text = r.getString(3);
                        throw new BadInputException(where + ": not a JSON object on one line: '"
                                + (text.length() > 60 ? text.substring(0, 60) + "..." : text) + "'");
                    }
                    if (r.isNullAt(0) || r.isNullAt(1)) {
                        throw new BadInputException(where + ": " + (r.isNullAt(0) ? "features" : "label") + " is null");
                    }
                    out.add(parser.check(features(r.get(0), where), r.getDouble(1), where));
                }
            } catch (BadInputException e) {
                out.add(RowParser.Row.failed(e.getMessage()));
            }
            return out.iterator();
        });
    }

    private static org.apache.spark.sql.Column featuresColumn(Dataset<org.apache.spark.sql.Row> df, String path,
            List<String> featureCols) {
        StructType schema = df.schema();
        List<String> names = List.of(schema.fieldNames());
        if (featureCols != null) {
            org.apache.spark.sql.Column[] cols = new org.apache.spark.sql.Column[featureCols.size()];
            for (int i = 0; i < cols.length; i++) {
                String c = featureCols.get(i);
                if (!names.contains(c)) {
                    throw new BadInputException(path + ": --features-cols names '" + c + "', which is not a column (columns: "
                            + String.join(", ", names) + ")");
                }
                if (!(schema.apply(c).dataType() instanceof NumericType)) {
                    throw new BadInputException(path + ": column '" + c + "' has type "
                            + schema.apply(c).dataType().simpleString() + ", expected a number");
                }
                cols[i] = functions.col(c).cast("double");
            }
            return functions.array(cols).as("features");
        }
        if (!names.contains("features")) {
            throw new BadInputException(path + ": no column 'features' (columns: " + String.join(", ", names)
                    + "); name the feature columns with --features-cols");
        }
        DataType ft = schema.apply("features").dataType();
        if (!(ft instanceof ArrayType a && a.elementType() instanceof NumericType) && !isVectorType(ft)) {
            throw new BadInputException(path + ": column 'features' has type " + ft.simpleString()
                    + ", expected array<double> (or an ML vector)");
        }
        return functions.col("features");
    }

    private static org.apache.spark.sql.Column labelColumn(Dataset<org.apache.spark.sql.Row> df, TrainConfig.Source src,
            String labelCol) {
        if (src.label() != null) {
            return functions.lit(src.label()).as("label");
        }
        List<String> names = List.of(df.schema().fieldNames());
        if (!names.contains(labelCol)) {
            throw new BadInputException(src.path() + ": no label column '" + labelCol + "' (columns: "
                    + String.join(", ", names) + "); use --label-col, or PATH=LABEL to label all rows of a path");
        }
        DataType lt = df.schema().apply(labelCol).dataType();
        if (!(lt instanceof NumericType)) {
            throw new BadInputException(src.path() + ": column '" + labelCol + "' has type " + lt.simpleString()
                    + ", expected a number");
        }
        return functions.col(labelCol).cast("double").as("label");
    }

    /** An ML vector's physical form: struct(type, size, indices, values), or its UDT when MLlib is present. */
    private static boolean isVectorType(DataType t) {
        if (t.getClass().getSimpleName().equals("VectorUDT")) {
            return true;
        }
        if (t instanceof StructType s) {
            List<String> f = List.of(s.fieldNames());
            return f.contains("type") && f.contains("values");
        }
        return false;
    }

    private static double[] features(Object v, String where) {
        if (v instanceof scala.collection.Seq<?> seq) {
            double[] x = new double[seq.size()];
            for (int i = 0; i < x.length; i++) {
                Object e = seq.apply(i);
                if (e == null) {
                    throw new BadInputException(where + ": feature " + (i + 1) + " is null");
                }
                x[i] = ((Number) e).doubleValue();
            }
            return x;
        }
        if (v instanceof org.apache.spark.sql.Row s) { // vector struct: type 0 sparse, 1 dense
            int type = ((Number) s.getAs("type")).intValue();
            double[] values = toDoubles(s.getAs("values"));
            if (type == 1) {
                return values;
            }
            int size = s.<Integer>getAs("size");
            int[] idx = toInts(s.getAs("indices"));
            double[] x = new double[size];
            for (int i = 0; i < idx.length; i++) {
                x[idx[i]] = values[i];
            }
            return x;
        }
        try { // org.apache.spark.ml.linalg.Vector, without a compile-time dependency on MLlib
            return (double[]) v.getClass().getMethod("toArray").invoke(v);
        } catch (ReflectiveOperationException e) {
            throw new BadInputException(where + ": features of class " + v.getClass().getName() + " are not readable");
        }
    }

    private static double[] toDoubles(Object seq) {
        scala.collection.Seq<?> s = (scala.collection.Seq<?>) seq;
        double[] d = new double[s.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = ((Number) s.apply(i)).doubleValue();
        }
        return d;
    }

    private static int[] toInts(Object seq) {
        scala.collection.Seq<?> s = (scala.collection.Seq<?>) seq;
        int[] d = new int[s.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = ((Number) s.apply(i)).intValue();
        }
        return d;
    }
}
