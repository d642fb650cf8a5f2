package org.capeval.metrics.meteor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The paraphrase-en.gz record format (probability / phrase / paraphrase) and the phrase trie. */
class ParaphraseTableTest {
    private static ParaphraseTable table(String text) throws IOException {
        return ParaphraseTable.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test");
    }

    private static int[] ids(ParaphraseTable t, String... words) {
        int[] out = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            out[i] = t.id(words[i]);
        }
        return out;
    }

    @Test
    void phrasesStartingAtAPositionShortestFirst() throws IOException {
        ParaphraseTable t = table("0.1\na man\nsomeone\n0.2\na\none\n0.3\na man\na guy\n0.4\nman riding\nrider\n");
        int[] sentence = ids(t, "a", "man", "riding", "unknownword");
        assertEquals(-1, sentence[3]);
        // at 0: "a" (record 1), then "a man" (records 0 and 2): pairs (length, paraphrase index)
        assertArrayEquals(new int[] {1, 1, 2, 0, 2, 2}, t.phrasesAt(sentence, 0));
        assertArrayEquals(ids(t, "a", "guy"), t.paraphrase(2));
        assertArrayEquals(new int[] {2, 3}, t.phrasesAt(sentence, 1));
        assertArrayEquals(new int[0], t.phrasesAt(sentence, 3));
    }

    @Test
    void largeTableGrowsItsTrie() throws IOException {
        StringBuilder sb = new StringBuilder();
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            sb.append("0.5\nw").append(i).append(" x").append(i % 7).append("\np").append(i).append('\n');
        }
        ParaphraseTable t = table(sb.toString());
        for (int i : new int[] {0, 1, 6, 7, 12_345, n - 1}) {
            int[] phrase = ids(t, "w" + i, "x" + (i % 7));
            assertArrayEquals(new int[] {2, i}, t.phrasesAt(phrase, 0), "record " + i);
            assertArrayEquals(ids(t, "p" + i), t.paraphrase(i));
        }
        assertArrayEquals(new int[0], t.phrasesAt(ids(t, "w5", "x6"), 0));
    }

    @Test
    void truncatedRecordIsAnError() {
        IOException e = assertThrows(IOException.class, () -> table("0.5\nphrase\n"));
        assertEquals("test: record starting at line 1 is incomplete (each record is three lines: probability, phrase,"
                + " paraphrase)", e.getMessage());
    }
}
