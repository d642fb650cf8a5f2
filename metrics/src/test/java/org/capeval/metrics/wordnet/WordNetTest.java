package org.capeval.metrics.wordnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** WordNet 3.0 from extjwnl-data-wn30, checked against entries looked up by hand in the WordNet files. */
class WordNetTest {
    private final WordNet wn = WordNet.get();

    @Test
    void synsetsOfAWordCoverAllPartsOfSpeech() {
        int[] dog = wn.synsets("dog");
        // dog%1:05:00:: (domestic dog) and dog%2:38:00:: (to chase) are both there
        assertTrue(Arrays.binarySearch(dog, 2084071) >= 0, Arrays.toString(dog));
        assertTrue(Arrays.binarySearch(dog, 2001858) >= 0, Arrays.toString(dog));
        assertEquals(8, dog.length); // 7 noun senses + 1 verb sense
        int[] sorted = dog.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, dog);
        assertEquals(0, wn.synsets("xyzzyq").length);
    }

    @Test
    void exceptionFormsAndSuffixRules() {
        assertArrayEquals(new String[] {"mouse"}, wn.exceptionBases("mice"));
        assertArrayEquals(new String[] {"sit"}, wn.exceptionBases("sat"));
        assertEquals(0, wn.exceptionBases("dogs").length);
        assertEquals("dog", wn.morphBase("dogs"));
        assertEquals("box", wn.morphBase("boxes"));
        assertEquals("city", wn.morphBase("cities"));
        assertEquals("glass", wn.morphBase("glass")); // ends in "ss": itself
        assertEquals("", wn.morphBase("xyzzyqs"));
    }

    @Test
    void synonymSetsJoinBaseForms() {
        assertTrue(WordNet.intersects(wn.synonymSets("small"), wn.synonymSets("little")));
        assertTrue(WordNet.intersects(wn.synonymSets("mice"), wn.synonymSets("mouse")));
        assertTrue(WordNet.intersects(wn.synonymSets("dogs"), wn.synonymSets("dog")));
        assertFalse(WordNet.intersects(wn.synonymSets("dog"), wn.synonymSets("cat")));
        assertFalse(WordNet.intersects(wn.synonymSets("generously"), wn.synonymSets("generous")));
    }

    @Test
    void loadedOnceAndSharedAcrossThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Callable<WordNet> task = WordNet::get;
            Future<WordNet> a = pool.submit(task);
            Future<WordNet> b = pool.submit(task);
            assertSame(a.get(), b.get());
            assertSame(wn, a.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
