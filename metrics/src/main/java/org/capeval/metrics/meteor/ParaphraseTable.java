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

    private final Map<String, Integer> vocabulary;
    /** Trie edges: (node << 32 | word id) → child node; node 0 is the root. */
    private final Map<Long, Integer> edges;
    /** Paraphrase indices emitted at each node (a phrase ends there). */
    private final int[][] emits;
    private final int[][] paraphrases;

    private ParaphraseTable(Map<String, Integer> vocabulary, Map<Long, Integer> edges, int[][] emits,
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
        Map<Long, Integer> edges = new HashMap<>();
        List<int[]> emitLists = new ArrayList<>();
        emitLists.add(new int[0]);
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
                Integer child = edges.get(key);
                if (child == null) {
                    child = emitLists.size();
                    emitLists.add(new int[0]);
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
            Integer child = edges.get(((long) node << 32) | (words[i] & 0xffffffffL));
            if (child == null) {
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
}
