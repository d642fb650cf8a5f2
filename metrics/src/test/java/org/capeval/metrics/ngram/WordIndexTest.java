package org.capeval.metrics.ngram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WordIndexTest {
    @Test
    void idsInOrderOfFirstAppearanceFromRanges() {
        WordIndex index = new WordIndex();
        String s = "a man , a dog and a man";
        assertArrayEquals(new int[] {0, 1, 2, 0, 3, 4, 0, 1}, Words.splitWhitespace(s, index));
        assertEquals(5, index.size());
        assertEquals("dog", index.word(3));
        assertEquals(1, index.find("man"));
        assertEquals(1, index.find("the man", 4, 7));
        assertEquals(-1, index.find("ma"));
        assertEquals(-1, index.find(""));
        // split(" ") keeps empty tokens, which are a word too
        assertArrayEquals(new int[] {5, 0, 5, 5}, Words.splitSingleSpace(" a  ", index));
        assertEquals("", index.word(5));
    }

    @Test
    void agreesWithAHashMapOverManyWordsAndCollidingHashes() {
        // "Aa" and "BB" have the same String.hashCode: equal hashes must still be told apart
        WordIndex index = new WordIndex();
        Map<String, Integer> expected = new HashMap<>();
        List<String> order = new ArrayList<>();
        Random rnd = new Random(4);
        String[] parts = {"Aa", "BB", "x", "é", "\u2028"};
        for (int i = 0; i < 50_000; i++) {
            StringBuilder b = new StringBuilder("<");
            for (int n = rnd.nextInt(6); n > 0; n--) {
                b.append(parts[rnd.nextInt(parts.length)]);
            }
            String text = b.append(">").toString();
            String w = text.substring(1, text.length() - 1);
            Integer id = expected.putIfAbsent(w, expected.size());
            if (id == null) {
                order.add(w);
            }
            assertEquals(expected.get(w), index.intern(text, 1, text.length() - 1), w);
        }
        assertEquals(expected.size(), index.size());
        for (int id = 0; id < order.size(); id++) {
            assertEquals(order.get(id), index.word(id));
            assertEquals(id, index.find(order.get(id)));
        }
    }

    @Test
    void findsAnotherIndexsWordByItsStoredRange() {
        // words held as ranges of a longer string (never cut) and as whole strings; colliding hashes
        WordIndex image = new WordIndex();
        Words.splitWhitespace("a man Aa BB  rides é a", image);
        WordIndex table = new WordIndex();
        for (String w : new String[] {"zebra", "BB", "man", "é", "a"}) {
            table.intern(w);
        }
        int[] expected = new int[image.size()];
        for (int id = 0; id < image.size(); id++) {
            expected[id] = table.find(image.word(id));
        }
        assertArrayEquals(new int[] {4, 2, -1, 1, -1, 3}, expected);
        WordIndex again = new WordIndex();
        Words.splitWhitespace("a man Aa BB  rides é a", again); // not cut: find reads the ranges
        for (int id = 0; id < again.size(); id++) {
            assertEquals(expected[id], table.find(again, id), "word " + id);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> table.find(again, again.size()));
    }
}
