package org.capeval.jobs.leaderboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The history table as Parquet (one file; the table is small: submissions × nights rows). */
public final class HistoryParquet {
    private HistoryParquet() {}

    public static void write(SparkSession spark, List<HistoryRow> rows, Path dir) {
        write(spark, rows, dir.toUri().toString());
    }

    /** Writes the table to {@code dir}, any Hadoop URI. */
    public static void write(SparkSession spark, List<HistoryRow> rows, String dir) {
        List<HistoryTable.Column> cols = HistoryTable.columns(rows);
        List<StructField> fields = new ArrayList<>();
        for (HistoryTable.Column c : cols) fields.add(DataTypes.createStructField(c.name(), type(c.kind()), true));
        StructType schema = DataTypes.createStructType(fields);
        List<Row> data = new ArrayList<>();
        for (HistoryRow r : rows) {
            Object[] v = new Object[cols.size()];
            for (int i = 0; i < v.length; i++) v[i] = HistoryTable.value(r, cols.get(i).name());
            data.add(RowFactory.create(v));
        }
        spark.createDataFrame(data, schema).coalesce(1).write().parquet(dir);
    }

    /** Reads a history written by {@link #write}; an absent directory is an empty history. */
    public static List<HistoryRow> read(SparkSession spark, Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        return read(spark, dir.toUri().toString());
    }

    /** Reads a history written by {@link #write} from any Hadoop URI; an absent directory is an empty history. */
    public static List<HistoryRow> read(SparkSession spark, String dir) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
            if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) return List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the history " + dir + ": " + e.getMessage(), e);
        }
        Dataset<Row> df = spark.read().parquet(dir);
        List<String> names = Arrays.asList(df.columns());
        List<HistoryRow> out = new ArrayList<>();
        for (Row r : df.collectAsList()) {
            Map<String, Double> numbers = new LinkedHashMap<>();
            Map<String, Integer> ranks = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                String c = names.get(i);
                if (HistoryTable.TEXT_COLUMNS.contains(c) || c.equals(HistoryTable.N_IMAGES) || c.equals(HistoryTable.SIGNATURE) || r.isNullAt(i)) continue;
                if (c.startsWith("rank_")) ranks.put(c.substring(5), r.getInt(i));
                else numbers.put(c, r.getDouble(i));
            }
            out.add(new HistoryRow(str(r, names, "night"), str(r, names, "name"), str(r, names, "team"),
                    str(r, names, "submission_date"), str(r, names, "source"), str(r, names, "status"), str(r, names, "error"),
                    r.isNullAt(names.indexOf(HistoryTable.N_IMAGES)) ? null : r.getLong(names.indexOf(HistoryTable.N_IMAGES)),
                    str(r, names, HistoryTable.SIGNATURE), numbers, ranks));
        }
        return out;
    }

    private static String str(Row r, List<String> names, String c) {
        int i = names.indexOf(c);
        return i < 0 || r.isNullAt(i) ? null : r.getString(i);
    }

    private static DataType type(HistoryTable.Kind k) {
        return switch (k) {
            case TEXT -> DataTypes.StringType;
            case LONG -> DataTypes.LongType;
            case INT -> DataTypes.IntegerType;
            case DOUBLE -> DataTypes.DoubleType;
        };
    }
}
