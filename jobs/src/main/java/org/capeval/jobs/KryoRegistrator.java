package org.capeval.jobs;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.InvalidObjectException;
import org.capeval.metrics.ngram.NGramTable;

/**
 * Kryo serializers of the library's classes that Kryo's field-by-field default writes badly:
 * {@link NGramTable}, whose array is mostly empty slots (a partition's document-frequency table
 * of COCO captions, 10,000 images, is 25 MB that way, and 4.9 MB written by
 * {@link NGramTable#toBytes}). Set as {@code spark.kryo.registrator} by {@link SparkSessions}.
 */
public final class KryoRegistrator implements org.apache.spark.serializer.KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(NGramTable.class, new Serializer<NGramTable>() {
            @Override
            public void write(Kryo k, Output out, NGramTable table) {
                byte[] bytes = table.toBytes();
                out.writeVarInt(bytes.length, true);
                out.writeBytes(bytes);
            }

            @Override
            public NGramTable read(Kryo k, Input in, Class<NGramTable> type) {
                try {
                    return NGramTable.fromBytes(in.readBytes(in.readVarInt(true)));
                } catch (InvalidObjectException e) {
                    throw new KryoException(e);
                }
            }
        });
    }
}
