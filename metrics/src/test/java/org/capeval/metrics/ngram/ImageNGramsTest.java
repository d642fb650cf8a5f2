package org.capeval.metrics.ngram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageNGramsTest {
    /** Each distinct n-gram (as its words) with [order, sentence, position] of its first occurrence, in walk order. */
    private static Map<List<Integer>, int[]> firstOccurrences(int[][] sentences, int maxOrder) {
        Map<List<Integer>, int[]> out = new LinkedHashMap<>();
        for (int s = 0; s < sentences.length; s++) {
            for (int k = 1; k <= maxOrder; k++) {
                for (int i = 0; i + k <= sentences[s].length; i++) {
                    List<Integer> words = new ArrayList<>();
                    for (int j = i; j < i + k; j++) {
                        words.add(sentences[s][j]);
                    }
                    out.putIfAbsent(words, new int[] {k, s, i});
                }
            }
        }
        return out;
    }

    /** [order, sentence, position] of n-grams from..to-1 as {@link ImageNGrams#firstOccurrences} finds them. */
    private static List<int[]> visited(ImageNGrams ng, int from, int to) {
        int n = to - from;
        int[] sentence = new int[n + 1], order = new int[n + 1], position = new int[n + 1];
        sentence[n] = -7; // arrays may be longer than the range: the rest is left alone
        ng.firstOccurrences(from, to, sentence, order, position);
        assertEquals(-7, sentence[n]);
        List<int[]> out = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            out.add(new int[] {order[j], sentence[j], position[j]});
        }
        return out;
    }

    private static void check(ImageNGrams ng, int[][] sentences) {
        Map<List<Integer>, int[]> expected = firstOccurrences(sentences, ng.maxOrder());
        assertEquals(expected.size(), ng.count());
        List<int[]> found = visited(ng, 0, ng.count());
        int g = 0;
        for (Map.Entry<List<Integer>, int[]> e : expected.entrySet()) {
            int[] at = found.get(g);
            assertArrayEquals(e.getValue(), at, "n-gram " + g + " " + e.getKey());
            // the located words are the n-gram's, and the id at that position is g
            int[] w = sentences[at[1]];
            assertEquals(e.getKey().size(), at[0]);
            for (int j = 0; j < at[0]; j++) {
                assertEquals(e.getKey().get(j), w[at[2] + j]);
            }
            assertEquals(g, ng.ids(at[1], at[0])[at[2]]);
            g++;
        }
    }

    @Test
    void locatesEachNGramsFirstOccurrenceForReferencesAndCandidates() {
        Random rnd = new Random(11);
        for (int round = 0; round < 300; round++) {
            int refs = 1 + rnd.nextInt(5);
            int vocab = 1 + rnd.nextInt(6);
            int[][] sentences = new int[refs + 1][];
            for (int s = 0; s <= refs; s++) {
                sentences[s] = new int[rnd.nextInt(12)];
                for (int i = 0; i < sentences[s].length; i++) {
                    sentences[s][i] = rnd.nextInt(vocab + (s == 0 ? 2 : 0)); // the candidate has words the references lack
                }
            }
            int[][] references = Arrays.copyOfRange(sentences, 1, sentences.length);
            ImageNGrams base = new ImageNGrams(references, 4);
            check(base, references);
            ImageNGrams withCandidate = ImageNGrams.withCandidate(sentences[0], base);
            // the references' ids first (sentences 1..), then the candidate's n-grams they lack
            int[][] refsThenCandidate = new int[sentences.length][];
            System.arraycopy(sentences, 1, refsThenCandidate, 0, refs);
            refsThenCandidate[refs] = sentences[0];
            Map<List<Integer>, int[]> expected = firstOccurrences(refsThenCandidate, 4);
            assertEquals(expected.size(), withCandidate.count());
            assertEquals(base.count(), withCandidate.referenceCount());
            List<int[]> found = visited(withCandidate, 0, withCandidate.count());
            int g = 0;
            for (Map.Entry<List<Integer>, int[]> e : expected.entrySet()) {
                int[] v = e.getValue();
                int sentence = v[1] == refs ? 0 : v[1] + 1;
                assertArrayEquals(new int[] {v[0], sentence, v[2]}, found.get(g), "n-gram " + g);
                g++;
            }
            // any range visits what the whole walk found for it: the references' part, the candidate's, across both
            int n = withCandidate.count();
            int from = rnd.nextInt(n + 1), to = from + rnd.nextInt(n - from + 1);
            List<int[]> part = visited(withCandidate, from, to);
            for (int i = from; i < to; i++) {
                assertArrayEquals(found.get(i), part.get(i - from), "n-gram " + i + " of range " + from + ".." + to);
            }
        }
    }
}
