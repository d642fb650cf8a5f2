package org.capeval.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * A Parquet writer of rows made of one integer id column and double columns (score's per-image
 * files, the leaderboard's kept statistics), handing each value to Parquet's column writers by
 * field index: Parquet's example object model makes an object per row and finds every field by
 * name, which cost the leaderboard most of the time it spent storing a submission.
 */
public final class DoubleRowsParquet extends ParquetWriter.Builder<DoubleRowsParquet.Row, DoubleRowsParquet> {
    /** One row: its id, then the schema's double columns read from {@code values[from..]}. */
    public record Row(long id, double[] values, int from) {}

    private final MessageType schema;
    private final Map<String, String> metadata;

    /**
     * @param schema   an {@code INT64} or {@code INT32} id column, then {@code DOUBLE} columns, all required
     * @param metadata the file's key-value metadata
     */
    public DoubleRowsParquet(OutputFile file, MessageType schema, Map<String, String> metadata) {
        super(file);
        this.schema = schema;
        this.metadata = metadata;
    }

    /** A Parquet output file that is the stream {@code out} (a file made in memory, or thrown away). */
    public static OutputFile streaming(OutputStream out) {
        return new OutputFile() {
            @Override
            public PositionOutputStream create(long blockSizeHint) {
                return new PositionOutputStream() {
                    private long pos;

                    @Override
                    public long getPos() {
                        return pos;
                    }

                    @Override
                    public void write(int b) throws IOException {
                        out.write(b);
                        pos++;
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                        pos += len;
                    }
                };
            }

            @Override
            public PositionOutputStream createOrOverwrite(long blockSizeHint) {
                return create(blockSizeHint);
            }

            @Override
            public boolean supportsBlockSize() {
                return false;
            }

            @Override
            public long defaultBlockSize() {
                return 0;
            }
        };
    }

    @Override
    protected DoubleRowsParquet self() {
        return this;
    }

    @Override
    @SuppressWarnings("deprecation") // still abstract in Parquet's builder, beside the ParquetConfiguration form
    protected WriteSupport<Row> getWriteSupport(Configuration conf) {
        return new Support();
    }

    @Override
    protected WriteSupport<Row> getWriteSupport(ParquetConfiguration conf) {
        return new Support();
    }

    private final class Support extends WriteSupport<Row> {
        private final String id = schema.getFieldName(0);
        private final boolean longId = schema.getType(0).asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT64;
        private final String[] columns = new String[schema.getFieldCount() - 1];
        private RecordConsumer out;

        Support() {
            for (int c = 0; c < columns.length; c++) columns[c] = schema.getFieldName(c + 1);
        }

        @Override
        @SuppressWarnings("deprecation") // still abstract in Parquet's WriteSupport
        public WriteContext init(Configuration conf) {
            return new WriteContext(schema, metadata);
        }

        @Override
        public WriteContext init(ParquetConfiguration conf) {
            return new WriteContext(schema, metadata); // no Hadoop Configuration needed (the local engine never loads one)
        }

        @Override
        public String getName() {
            return "capeval";
        }

        @Override
        public void prepareForWrite(RecordConsumer consumer) {
            out = consumer;
        }

        @Override
        public void write(Row r) {
            out.startMessage();
            out.startField(id, 0);
            if (longId) out.addLong(r.id());
            else out.addInteger(Math.toIntExact(r.id()));
            out.endField(id, 0);
            double[] v = r.values();
            for (int c = 0; c < columns.length; c++) {
                out.startField(columns[c], c + 1);
                out.addDouble(v[r.from() + c]);
                out.endField(columns[c], c + 1);
            }
            out.endMessage();
        }
    }
}
