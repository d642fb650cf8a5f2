package org.capeval.jobs.score;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.capeval.jobs.DoubleRowsParquet;

/**
 * Writes {@code per_image/} part files, the same content whichever engine writes them (JSON byte for
 * byte; Parquet page for page, but parquet-mr lists a column's encodings in its footer in a hash
 * set's order, which can differ between two JVMs — seen on val2014's files): one row per
 * image, {@code image_id} (bigint) then one double per metric key, none nullable, in the order
 * given. Both formats read back as Spark's own writers' output did: Parquet with Spark's schema
 * and row metadata (so Spark reads back {@code image_id: bigint not null, <key>: double not null}),
 * snappy as Spark's default; JSON lines as Spark's JSON writer prints them (Jackson's generator,
 * which Spark's writer uses too: keys in column order, doubles as {@link Double#toString}, one
 * object per line, each line ending in a newline).
 */
abstract sealed class PerImageWriter implements Closeable {
    /** Marks a complete {@code per_image/} directory, as Spark's committer does. */
    static final String SUCCESS = "_SUCCESS";

    /** Writes one image's row: its id and one value per key, in the keys' order. */
    abstract void write(long imageId, double[] row) throws IOException;

    /** {@code part-00003.parquet}: part files sort in evaluation order. */
    static String partFile(int index, String format) {
        return String.format(Locale.ROOT, "part-%05d.%s", index, format);
    }

    /** A writer of {@code --per-image-format} ("parquet" or "json") into {@code file}. */
    static PerImageWriter open(String format, OutputFile file, List<String> keys) throws IOException {
        return switch (format) {
            case "parquet" -> parquet(file, keys);
            case "json" -> json(new java.io.BufferedOutputStream(file.create(0), 1 << 16), keys);
            default -> throw new IllegalArgumentException("--per-image-format: unknown format " + format);
        };
    }

    /**
     * A Parquet file (not overwritten if it exists). Parquet's settings are its defaults, not read
     * from a Hadoop configuration, so both engines write the same file.
     */
    static PerImageWriter parquet(OutputFile file, List<String> keys) throws IOException {
        return new Parquet(new DoubleRowsParquet(file, schema(keys), Map.of("org.apache.spark.sql.parquet.row.metadata", sparkRowMetadata(keys)))
                .withConf(new PlainParquetConfiguration())
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriteMode(ParquetFileWriter.Mode.CREATE)
                .build());
    }

    /**
     * Runs the format's write path once, into a file that is thrown away, so the first real rows
     * do not wait for it: parquet-hadoop's codec reads Hadoop's default configuration (XML) when it
     * compresses its first page, and snappy-java loads its native library; on another thread while
     * the run scores, this took ~0.05 s off the writing of val2014's rows.
     */
    static void warmUp(String format, List<String> keys) {
        if (format.equals("parquet")) {
            try (PerImageWriter w = parquet(DoubleRowsParquet.streaming(OutputStream.nullOutputStream()), keys)) {
                w.write(0, new double[keys.size()]);
            } catch (IOException | RuntimeException e) {
                // nothing is lost: a real failure shows again, naming its file, when the rows are written
            }
        }
    }

    /** JSON lines into {@code out}, which {@link #close} closes. */
    static PerImageWriter json(OutputStream out, List<String> keys) throws IOException {
        return new Json(out, keys);
    }

    /** The Parquet schema Spark gives the rows (its root is always named spark_schema). */
    static MessageType schema(List<String> keys) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        b.required(PrimitiveTypeName.INT64).named("image_id");
        for (String k : keys) {
            b.required(PrimitiveTypeName.DOUBLE).named(k);
        }
        return b.named("spark_schema");
    }

    /** Spark's own description of the rows (its StructType as JSON), kept in the file's metadata. */
    static String sparkRowMetadata(List<String> keys) {
        ObjectMapper json = new ObjectMapper();
        StringBuilder s = new StringBuilder("{\"type\":\"struct\",\"fields\":[")
                .append("{\"name\":\"image_id\",\"type\":\"long\",\"nullable\":false,\"metadata\":{}}");
        try {
            for (String k : keys) {
                s.append(",{\"name\":").append(json.writeValueAsString(k))
                        .append(",\"type\":\"double\",\"nullable\":false,\"metadata\":{}}");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e); // a String always serializes
        }
        return s.append("]}").toString();
    }

    private static final class Parquet extends PerImageWriter {
        private final ParquetWriter<DoubleRowsParquet.Row> writer;

        Parquet(ParquetWriter<DoubleRowsParquet.Row> writer) {
            this.writer = writer;
        }

        @Override
        void write(long imageId, double[] row) throws IOException {
            writer.write(new DoubleRowsParquet.Row(imageId, row, 0));
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }

    private static final class Json extends PerImageWriter {
        private final JsonGenerator g;
        private final String[] keys;

        Json(OutputStream out, List<String> keys) throws IOException {
            g = new ObjectMapper().getFactory().createGenerator(out); // closes out when closed
            g.setRootValueSeparator(new SerializedString("\n"));
            this.keys = keys.toArray(new String[0]);
        }

        @Override
        void write(long imageId, double[] row) throws IOException {
            g.writeStartObject();
            g.writeNumberField("image_id", imageId);
            for (int k = 0; k < keys.length; k++) {
                g.writeNumberField(keys[k], row[k]);
            }
            g.writeEndObject();
        }

        @Override
        public void close() throws IOException {
            try (g) {
                g.writeRaw('\n'); // the last line ends too
            }
        }
    }
}
