package org.capeval.jobs.leaderboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.capeval.jobs.Storage;

/**
 * The history table as a Parquet directory ({@code history.parquet/part-00000.snappy.parquet}, the
 * layout Spark, pandas and DuckDB read as one table). Written and read with parquet-hadoop on the
 * driver, as the statistics cache is, not through Spark SQL: the table is small (submissions ×
 * nights rows) and Spark SQL's first query in a driver costs seconds of planning and code generation,
 * most of a night's publishing time when only a few submissions are new.
 */
public final class HistoryParquet {
    static final String FILE = "part-00000.snappy.parquet";

    private HistoryParquet() {}

    public static void write(List<HistoryRow> rows, java.nio.file.Path dir) {
        write(rows, dir.toUri().toString());
    }

    /** Writes the table to the directory {@code dir}, any Hadoop URI (it must not exist). */
    public static void write(List<HistoryRow> rows, String dir) {
        List<HistoryTable.Column> cols = HistoryTable.columns(rows);
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (HistoryTable.Column c : cols) {
            switch (c.kind()) {
                case TEXT -> b.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(c.name());
                case LONG -> b.optional(PrimitiveTypeName.INT64).named(c.name());
                case INT -> b.optional(PrimitiveTypeName.INT32).named(c.name());
                case DOUBLE -> b.optional(PrimitiveTypeName.DOUBLE).named(c.name());
            }
        }
        MessageType schema = b.named("history");
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        Path file = new Path(dir, FILE);
        Configuration conf = Storage.hadoopConf();
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(file, conf)).withType(schema)
                .withCompressionCodec(CompressionCodecName.SNAPPY).withConf(conf).build()) {
            for (HistoryRow r : rows) {
                Group g = groups.newGroup();
                for (HistoryTable.Column c : cols) {
                    Object v = HistoryTable.value(r, c.name());
                    if (v instanceof String s) g.append(c.name(), s);
                    else if (v instanceof Long l) g.append(c.name(), l);
                    else if (v instanceof Integer i) g.append(c.name(), i);
                    else if (v instanceof Double d) g.append(c.name(), d);
                }
                w.write(g);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the history " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a history written by {@link #write}; an absent directory is an empty history. */
    public static List<HistoryRow> read(java.nio.file.Path dir) {
        return read(dir.toUri().toString());
    }

    /**
     * Reads a history from any Hadoop URI: every visible {@code .parquet} file of the directory in
     * name order (boards written by Spark SQL have one {@code part-00000-<uuid>.snappy.parquet});
     * an absent directory is an empty history.
     */
    public static List<HistoryRow> read(String dir) {
        Path p = new Path(dir);
        Configuration conf = Storage.hadoopConf();
        List<HistoryRow> out = new ArrayList<>();
        try {
            FileSystem fs = p.getFileSystem(conf);
            if (!fs.exists(p)) return List.of();
            FileStatus[] files = fs.listStatus(p, f -> f.getName().endsWith(".parquet") && !f.getName().startsWith("_")
                    && !f.getName().startsWith("."));
            Arrays.sort(files);
            for (FileStatus f : files) {
                try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), f.getPath()).withConf(conf).build()) {
                    for (Group g; (g = r.read()) != null; ) out.add(row(g));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the history " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** One row: text columns by name, numbers and ranks by their column names (absent when null). */
    private static HistoryRow row(Group g) {
        GroupType type = g.getType();
        Map<String, Object> v = new LinkedHashMap<>();
        Map<String, Double> numbers = new LinkedHashMap<>();
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (int i = 0; i < type.getFieldCount(); i++) {
            if (g.getFieldRepetitionCount(i) == 0) continue; // null
            String c = type.getFieldName(i);
            switch (type.getType(i).asPrimitiveType().getPrimitiveTypeName()) {
                case BINARY -> v.put(c, g.getString(i, 0));
                case INT64 -> v.put(c, g.getLong(i, 0));
                case INT32 -> {
                    if (c.startsWith("rank_")) ranks.put(c.substring(5), g.getInteger(i, 0));
                }
                case DOUBLE -> numbers.put(c, g.getDouble(i, 0));
                default -> throw new IllegalArgumentException("history column " + c + ": unexpected type " + type.getType(i));
            }
        }
        return new HistoryRow((String) v.get("night"), (String) v.get("name"), (String) v.get("team"), (String) v.get("submission_date"),
                (String) v.get("source"), (String) v.get("status"), (String) v.get("error"), (Long) v.get(HistoryTable.N_IMAGES),
                (String) v.get(HistoryTable.SIGNATURE), numbers, ranks);
    }
}
