package org.capeval.metrics.meteor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * METEOR 1.5's paraphrase table ({@code paraphrase-en.gz}: records of three lines, probability /
 * phrase / paraphrase; the probability is ignored as METEOR ignores it) held as a trie over the
 * phrase words. Immutable; one instance per file per JVM ({@link #load}).
 */
final class ParaphraseTable {
    private static final Map<Path, ParaphraseTable> LOADED = new ConcurrentHashMap<>();
    private static final int[] NO_EMITS = new int[0];

    private final Map<String, Integer> vocabulary;
    /** Trie edges: (node << 32 | word id) → child node; node 0 is the root. */
    private final Edges edges;
    /** Paraphrase indices emitted at each node (a phrase ends there). */
    private final int[][] emits;
    private final int[][] paraphrases;

    private ParaphraseTable(Map<String, Integer> vocabulary, Edges edges, int[][] emits,
            int[][] paraphrases) {
        this.vocabulary = vocabulary;
        this.edges = edges;
        this.emits = emits;
        this.paraphrases = paraphrases;
    }

    /** The table at {@code path}, read once per JVM. */
    static ParaphraseTable load(Path path) {
        return LOADED.computeIfAbsent(path.toAbsolutePath().normalize(), ParaphraseTable::read);
    }

    private static ParaphraseTable read(Path path) {
        try (InputStream raw = Files.newInputStream(path)) {
            return read(new GZIPInputStream(raw, 1 << 16), path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("METEOR paraphrase table " + path + " could not be read"
                    + " (expected the gzip file paraphrase-en.gz of the METEOR 1.5 distribution)", e);
        }
    }

    /** Parses the three-line records from a decompressed stream; {@code name} is used in errors. */
    static ParaphraseTable read(InputStream in, String name) throws IOException {
        Map<String, Integer> vocab = new HashMap<>();
        Edges edges = new Edges();
        List<int[]> emitLists = new ArrayList<>();
        emitLists.add(NO_EMITS);
        List<int[]> paras = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        long lineNo = 0;
        String probability;
        while ((probability = r.readLine()) != null) {
            lineNo++;
            String phrase = r.readLine();
            String paraphrase = r.readLine();
            if (phrase == null || paraphrase == null) {
                throw new IOException(name + ": record starting at line " + lineNo
                        + " is incomplete (each record is three lines: probability, phrase, paraphrase)");
            }
            lineNo += 2;
            int[] from = ids(phrase, vocab);
            int[] to = ids(paraphrase, vocab);
            int node = 0;
            for (int w : from) {
                long key = ((long) node << 32) | (w & 0xffffffffL);
                int child = edges.get(key);
                if (child < 0) {
                    child = emitLists.size();
                    emitLists.add(NO_EMITS);
                    edges.put(key, child);
                }
                node = child;
            }
            int[] e = emitLists.get(node);
            e = Arrays.copyOf(e, e.length + 1);
            e[e.length - 1] = paras.size();
            emitLists.set(node, e);
            paras.add(to);
        }
        return new ParaphraseTable(vocab, edges, emitLists.toArray(new int[0][]), paras.toArray(new int[0][]));
    }

    private static int[] ids(String phrase, Map<String, Integer> vocab) {
        String[] words = MeteorNormalizer.splitWhitespace(phrase);
        int[] ids = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            ids[i] = vocab.computeIfAbsent(words[i], k -> vocab.size());
        }
        return ids;
    }

    /** Word id, or -1 for a word the table never mentions. */
    int id(String word) {
        Integer i = vocabulary.get(word);
        return i == null ? -1 : i;
    }

    /**
     * Phrases of the table that start at {@code words[start]}: pairs (phrase length, paraphrase
     * index), shortest phrases first, as a flat array.
     */
    int[] phrasesAt(int[] words, int start) {
        int[] out = new int[0];
        int node = 0;
        for (int i = start; i < words.length; i++) {
            int child = edges.get(((long) node << 32) | (words[i] & 0xffffffffL));
            if (child < 0) {
                break;
            }
            node = child;
            for (int p : emits[node]) {
                out = Arrays.copyOf(out, out.length + 2);
                out[out.length - 2] = i - start + 1;
                out[out.length - 1] = p;
            }
        }
        return out;
    }

    int[] paraphrase(int index) {
        return paraphrases[index];
    }

    /** Open-addressing long → int map (the official table has millions of edges; boxed maps waste memory). */
    private static final class Edges {
        private long[] keys = new long[1 << 16];
        private int[] values = new int[1 << 16];
        private boolean[] used = new boolean[1 << 16];
        private int size;

        int get(long key) {
            int mask = keys.length - 1;
            for (int i = slot(key, mask); used[i]; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return values[i];
                }
            }
            return -1;
        }

        void put(long key, int value) {
            if (2 * (size + 1) > keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            int i = slot(key, mask);
            while (used[i] && keys[i] != key) {
                i = (i + 1) & mask;
            }
            if (!used[i]) {
                used[i] = true;
                keys[i] = key;
                size++;
            }
            values[i] = value;
        }

        private void grow() {
            long[] k = keys;
            int[] v = values;
            boolean[] u = used;
            keys = new long[k.length * 2];
            values = new int[k.length * 2];
            used = new boolean[k.length * 2];
            size = 0;
            for (int i = 0; i < k.length; i++) {
                if (u[i]) {
                    put(k[i], v[i]);
                }
            }
        }

        private static int slot(long key, int mask) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32)) & mask;
        }
    }
}
