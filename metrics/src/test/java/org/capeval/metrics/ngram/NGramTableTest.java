package org.capeval.metrics.ngram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NGramTableTest {
    /** A table grown past its first capacity, with collisions, counts above 1 and entry numbers in add order. */
    static NGramTable filled(int keys) {
        NGramTable t = new NGramTable();
        Random r = new Random(7);
        for (int i = 0; i < keys * 2; i++) {
            int[] w = {1 + r.nextInt(40), 1 + r.nextInt(40), 1 + r.nextInt(40), 1 + r.nextInt(40)};
            int order = 1 + r.nextInt(4);
            t.add(NGramTable.hi(w, 0, order), NGramTable.lo(w, 0, order), 1 + r.nextInt(3));
        }
        return t;
    }

    private static List<long[]> visitOrder(NGramTable t) {
        List<long[]> out = new ArrayList<>();
        t.forEachNumbered((hi, lo, count, entry) -> out.add(new long[] {hi, lo, count, entry}));
        return out;
    }

    @Test
    void javaSerializationWritesTheOccupiedSlotsAndReadsBackTheSameLayout() throws Exception {
        NGramTable t = filled(5000);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(t);
        }
        NGramTable read;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            read = (NGramTable) in.readObject();
        }
        assertEquals(t, read);
        assertArrayEquals(t.countsByEntry(), read.countsByEntry());
        List<long[]> a = visitOrder(t), b = visitOrder(read);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "slot order " + i);
        }
        // 28 bytes per entry and a small header, where the whole slot array is 24 bytes per slot
        assertTrue(bytes.size() < 28L * t.size() + 300, bytes.size() + " bytes for " + t.size() + " entries");
        // and it still grows and counts after the trip
        int[] w = {41, 42};
        read.add(NGramTable.hi(w, 0, 2), 0, 5);
        assertEquals(5, read.get(NGramTable.hi(w, 0, 2), 0));
    }

    @Test
    void aCorruptTableIsRefusedBeforeAnythingIsAllocatedForIt() throws IOException {
        NGramTable t = filled(10);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.writeTo(new DataOutputStream(bytes));
        byte[] b = bytes.toByteArray();
        assertEquals(t, NGramTable.readFrom(new DataInputStream(new ByteArrayInputStream(b))));
        for (int at : new int[] {0, 4, 8}) { // capacity, size, the first slot number
            byte[] bad = b.clone();
            bad[at] = 0x7f;
            assertThrows(InvalidObjectException.class, () -> NGramTable.readFrom(new DataInputStream(new ByteArrayInputStream(bad))));
        }
    }
}
