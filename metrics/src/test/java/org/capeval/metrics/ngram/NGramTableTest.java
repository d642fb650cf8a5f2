package org.capeval.metrics.ngram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
    void getAllGivesWhatGetGivesKeyByKey() {
        NGramTable t = filled(5000);
        Random r = new Random(11);
        int n = 3000;
        long[] his = new long[n], los = new long[n];
        int[] counts = new int[n];
        int present = 0, absent = 0;
        for (int i = 0; i < n; i++) {
            if (i % 10 == 9) {
                his[i] = 0; // a key with a word the table lacks: 0, and never probed
                los[i] = r.nextLong();
                continue;
            }
            int[] w = {1 + r.nextInt(40), 1 + r.nextInt(40), 1 + r.nextInt(40), 1 + r.nextInt(40)};
            int order = 1 + r.nextInt(4);
            his[i] = NGramTable.hi(w, 0, order);
            los[i] = NGramTable.lo(w, 0, order);
        }
        t.getAll(his, los, n, counts);
        for (int i = 0; i < n; i++) {
            int expected = his[i] == 0 ? 0 : t.get(his[i], los[i]);
            assertEquals(expected, counts[i], "key " + i);
            if (his[i] != 0) {
                if (expected > 0) present++;
                else absent++;
            }
        }
        assertTrue(present > 100 && absent > 100, present + " present, " + absent + " absent: both kinds are tried");
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
        // word ids below 128, small gaps and counts: 7-9 bytes per entry and a small header, where
        // the whole slot array is 24 bytes per slot
        assertTrue(bytes.size() < 10L * t.size() + 300, bytes.size() + " bytes for " + t.size() + " entries");
        // and it still grows and counts after the trip
        int[] w = {41, 42};
        read.add(NGramTable.hi(w, 0, 2), 0, 5);
        assertEquals(5, read.get(NGramTable.hi(w, 0, 2), 0));
    }

    @Test
    void largeIdsCountsAndEntryNumbersSurviveTheVarints() throws Exception {
        NGramTable t = new NGramTable(4);
        int[][] keys = {{Integer.MAX_VALUE, 1, 2, 3}, {1 << 21, 1 << 14, 1 << 7, 127}, {5, 0, 0, 0}, {-1 >>> 1, -1 >>> 1, 9, 1}};
        int[] orders = {4, 4, 1, 3};
        for (int k = 0; k < keys.length; k++) {
            t.add(NGramTable.hi(keys[k], 0, orders[k]), NGramTable.lo(keys[k], 0, orders[k]), (1 << 30) + k);
        }
        NGramTable read = NGramTable.fromBytes(t.toBytes());
        assertEquals(t, read);
        assertArrayEquals(t.countsByEntry(), read.countsByEntry());
        assertEquals(visitOrder(t).size(), visitOrder(read).size());
        for (int k = 0; k < keys.length; k++) {
            assertEquals((1 << 30) + k, read.get(NGramTable.hi(keys[k], 0, orders[k]), NGramTable.lo(keys[k], 0, orders[k])));
        }
    }

    @Test
    void aCorruptTableIsRefusedBeforeAnythingIsAllocatedForIt() throws IOException {
        NGramTable t = new NGramTable(4); // 8 slots: capacity, size, gap and word ids each fit one byte
        for (int k = 1; k <= 4; k++) {
            t.add(NGramTable.hi(new int[] {k, k + 1}, 0, 2), 0, k);
        }
        byte[] b = t.toBytes();
        assertEquals(8, b[0]);
        assertEquals(4, b[1]);
        assertEquals(t, NGramTable.fromBytes(b));
        byte[] capacity = b.clone();
        capacity[0] = 0x7f; // not a power of two
        assertThrows(InvalidObjectException.class, () -> NGramTable.fromBytes(capacity));
        byte[] size = b.clone();
        size[1] = 0x7f; // more entries than the capacity's load factor allows
        assertThrows(InvalidObjectException.class, () -> NGramTable.fromBytes(size));
        byte[] slot = b.clone();
        slot[2] = 0x7f; // a gap past the last slot
        assertThrows(InvalidObjectException.class, () -> NGramTable.fromBytes(slot));
        byte[] noWord = b.clone();
        noWord[3] = 0; // the first slot's first word id
        assertThrows(InvalidObjectException.class, () -> NGramTable.fromBytes(noWord));
        assertThrows(InvalidObjectException.class, () -> NGramTable.fromBytes(java.util.Arrays.copyOf(b, b.length - 1)));
        assertThrows(InvalidObjectException.class, () -> NGramTable.fromBytes(java.util.Arrays.copyOf(b, b.length + 1)));
        byte[] overlong = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1};
        assertThrows(InvalidObjectException.class, () -> NGramTable.fromBytes(overlong));
    }
}
