package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.capeval.jobs.KryoRegistrator;
import org.capeval.jobs.SparkSessions;
import org.capeval.metrics.ImageTokens;
import org.capeval.metrics.cider.DocumentFrequencies;
import org.capeval.metrics.core.EvalImage;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/** A tokenized range survives Spark's Kryo (as the engine's persist writes and reads it) image for image. */
class TokenizedRangeTest {
    private static TokenizedRange range(long firstPosition, int n) {
        List<EvalImage> images = new ArrayList<>();
        List<ImageTokens> tokens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String[] refs = new String[i % 4]; // 0 to 3 references
            for (int r = 0; r < refs.length; r++) {
                refs[r] = "ref " + r + " of " + i + (i % 3 == 0 ? " caf\u00e9 \u00fcber \u65e5\u672c" : "");
            }
            long id = i % 2 == 0 ? 1000L * i + 7 : -(1L << 40) - i; // negative and large ids too
            images.add(new EvalImage(firstPosition + 2L * i, id, "raw " + i, new String[] {"raw"}));
            tokens.add(new ImageTokens(id, i == 5 ? "" : "candidate " + i, refs));
        }
        return new TokenizedRange(images, tokens);
    }

    @Test
    void sparkKryoRoundTrip() {
        SparkConf conf = new SparkConf().set("spark.kryo.registrationRequired", "true")
                .set("spark.kryo.classesToRegister", TokenizedRange.class.getName());
        SerializerInstance kryo = new KryoSerializer(conf).newInstance();
        TokenizedRange written = range(1_000_000_000_000L, 50);
        ByteBuffer bytes = kryo.serialize(written, ClassTag$.MODULE$.apply(TokenizedRange.class));
        TokenizedRange read = kryo.deserialize(bytes, ClassTag$.MODULE$.apply(TokenizedRange.class));
        assertEquals(50, read.size());
        for (int i = 0; i < 50; i++) {
            EvalImage a = written.image(i);
            EvalImage b = read.image(i);
            assertEquals(1_000_000_000_000L + 2L * i, b.position(), "position " + i);
            assertEquals(a.imageId(), b.imageId(), "image id " + i);
            assertEquals(a.candidate(), b.candidate(), "candidate " + i);
            assertArrayEquals(a.references(), b.references(), "references " + i);
            assertEquals(i % 4, b.references().length);
        }
    }

    @Test
    void documentFrequenciesTravelAsTheirOccupiedSlotsWithTheJobsRegistrator() {
        DocumentFrequencies df = new DocumentFrequencies(DocumentFrequencies.FROM_EVALUATED_REFERENCES);
        for (int i = 0; i < 3000; i++) {
            df.addReferences(new String[] {"a photo of thing " + i + " on a table", "thing " + (i % 97) + " near thing " + (i % 89)});
        }
        ClassTag<DocumentFrequencies> tag = ClassTag$.MODULE$.apply(DocumentFrequencies.class);
        SerializerInstance byField = new KryoSerializer(new SparkConf()).newInstance();
        ByteBuffer plain = byField.serialize(df, tag);
        assertEquals(df.asMap(), byField.deserialize(plain, tag).asMap()); // without the registrator: correct, larger
        plain.rewind();
        SerializerInstance kryo = new KryoSerializer(new SparkConf().set(SparkSessions.KRYO_REGISTRATOR, KryoRegistrator.class.getName())).newInstance();
        ByteBuffer compact = kryo.serialize(df, tag);
        DocumentFrequencies read = kryo.deserialize(compact, tag);
        assertEquals(df.asMap(), read.asMap());
        assertEquals(df.documents(), read.documents());
        assertArrayEquals(df.countsByEntry(), read.countsByEntry());
        // the field-by-field default writes every slot, empty or not
        assertTrue(compact.remaining() * 3 < plain.remaining() * 2, compact.remaining() + " bytes vs " + plain.remaining());
    }

    @Test
    void tokensRunAcrossRangesInOrder() {
        Iterator<ImageTokens> it = TokenizedRange.tokens(List.of(range(0, 3), range(10, 0), range(20, 2)).iterator());
        String[] expected = {"candidate 0", "candidate 1", "candidate 2", "candidate 0", "candidate 1"};
        for (String e : expected) {
            assertEquals(e, it.next().candidate());
        }
        assertFalse(it.hasNext());
    }
}
