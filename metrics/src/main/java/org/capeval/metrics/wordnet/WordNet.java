package org.capeval.metrics.wordnet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * WordNet 3.0 as METEOR 1.5's synonym module sees it (its {@code english.synsets} /
 * {@code english.exceptions}, derived here from the raw files of {@code extjwnl-data-wn30}):
 * one set of synset offsets per surface word over all parts of speech, the inflected-form to
 * base-form lists of the four {@code *.exc} files, and METEOR's morphy-like suffix rule. Loaded
 * once per JVM on first use ({@link #get()}); immutable afterwards, so safe to share between threads.
 */
public final class WordNet {
    private static final String DATA = "/net/sf/extjwnl/data/wordnet/wn30/";
    private static final String[] EXCEPTION_FILES = {"adj.exc", "adv.exc", "noun.exc", "verb.exc"};
    private static final int[] NONE = new int[0];
    private static final int CACHE_LIMIT = 1 << 20;

    /** WordNet 3.0's morphology suffix rules (nouns, verbs, adjectives), applied in this order. */
    private static final String[][] SUFFIX_RULES = {
        {"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"},
        {"men", "man"}, {"ies", "y"},
        {"s", ""}, {"ies", "y"}, {"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""},
        {"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"},
    };

    private final Map<String, int[]> synsetsByWord;
    private final Map<String, String[]> basesByForm;
    /** Memo of {@link #synonymSets}: captions reuse a small vocabulary. */
    private final Map<String, int[]> synonymSetCache = new ConcurrentHashMap<>();

    private WordNet(Map<String, int[]> synsetsByWord, Map<String, String[]> basesByForm) {
        this.synsetsByWord = synsetsByWord;
        this.basesByForm = basesByForm;
    }

    private static final class Holder {
        static final WordNet INSTANCE = loadFromClasspath();
    }

    /** The JVM-wide instance, loaded on first call (about 0.5 s); class-initialisation makes it thread-safe. */
    public static WordNet get() {
        return Holder.INSTANCE;
    }

    /** Sorted, distinct synset offsets of {@code word} (any part of speech); empty if WordNet lacks it. */
    public int[] synsets(String word) {
        int[] s = synsetsByWord.get(word);
        return s == null ? NONE : s;
    }

    /** Base forms listed for an irregular inflected form in the {@code *.exc} files, or an empty array. */
    public String[] exceptionBases(String form) {
        String[] b = basesByForm.get(form);
        return b == null ? new String[0] : b.clone();
    }

    /**
     * METEOR's base-form guess for a word that is not an exception form: the word itself when it
     * ends in "ss" or has at most two letters, else the first suffix-rule rewrite that is a WordNet
     * lemma, else "" (no base form).
     */
    public String morphBase(String word) {
        if (word.endsWith("ss") || word.length() <= 2) {
            return word;
        }
        for (String[] rule : SUFFIX_RULES) {
            if (word.endsWith(rule[0])) {
                String candidate = word.substring(0, word.length() - rule[0].length()) + rule[1];
                if (synsetsByWord.containsKey(candidate)) {
                    return candidate;
                }
            }
        }
        return "";
    }

    /**
     * The synset keys METEOR's synonym stage compares: the word's own synsets plus those of its base
     * forms (exception-list bases if the word is an exception form, else {@link #morphBase}).
     * Two different words are synonyms when these sets intersect. Sorted, distinct; memoised.
     */
    public int[] synonymSets(String word) {
        int[] cached = synonymSetCache.get(word);
        if (cached != null) {
            return cached;
        }
        int[] own = synsets(word);
        String[] bases = basesByForm.get(word);
        int[] result;
        if (bases != null) {
            result = own;
            for (String base : bases) {
                result = union(result, synsets(base));
            }
        } else {
            result = union(own, synsets(morphBase(word)));
        }
        if (synonymSetCache.size() < CACHE_LIMIT) {
            synonymSetCache.putIfAbsent(word, result);
        }
        return result;
    }

    /** True when two sorted int arrays share an element. */
    public static boolean intersects(int[] a, int[] b) {
        int i = 0;
        int j = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                return true;
            }
            if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return false;
    }

    private static int[] union(int[] a, int[] b) {
        if (b.length == 0) {
            return a;
        }
        if (a.length == 0) {
            return b;
        }
        int[] out = new int[a.length + b.length];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            int v;
            if (j == b.length || (i < a.length && a[i] < b[j])) {
                v = a[i++];
            } else if (i == a.length || b[j] < a[i]) {
                v = b[j++];
            } else {
                v = a[i++];
                j++;
            }
            out[n++] = v;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private static WordNet loadFromClasspath() {
        long t0 = System.nanoTime();
        Map<String, int[]> synsets = readSenseIndex();
        Map<String, String[]> bases = readExceptions();
        WordNet wn = new WordNet(synsets, bases);
        System.getLogger(WordNet.class.getName()).log(System.Logger.Level.DEBUG,
                "WordNet 3.0 loaded in {0} ms", (System.nanoTime() - t0) / 1_000_000);
        return wn;
    }

    /**
     * index.sense lines are {@code lemma%key offset senseNumber tagCount}; a lemma's senses are
     * contiguous (the file is sorted by sense key). Offsets are kept as METEOR keeps them: bare
     * numbers, without the part of speech.
     */
    private static Map<String, int[]> readSenseIndex() {
        Map<String, int[]> out = new HashMap<>(300_000);
        try (BufferedReader in = open("index.sense")) {
            String word = null;
            int[] buf = new int[64];
            int n = 0;
            String line;
            while ((line = in.readLine()) != null) {
                int pct = line.indexOf('%');
                int sp1 = line.indexOf(' ', pct);
                int sp2 = line.indexOf(' ', sp1 + 1);
                if (pct <= 0 || sp1 < 0 || sp2 < 0) {
                    throw new IllegalStateException("WordNet index.sense: malformed line: " + line);
                }
                String lemma = line.substring(0, pct);
                int offset = Integer.parseInt(line, sp1 + 1, sp2, 10);
                if (!lemma.equals(word)) {
                    if (word != null) {
                        out.merge(word, sortedDistinct(buf, n), WordNet::union);
                    }
                    word = lemma;
                    n = 0;
                }
                if (n == buf.length) {
                    buf = Arrays.copyOf(buf, n * 2);
                }
                buf[n++] = offset;
            }
            if (word != null) {
                out.merge(word, sortedDistinct(buf, n), WordNet::union);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("WordNet index.sense could not be read", e);
        }
        return out;
    }

    private static int[] sortedDistinct(int[] buf, int n) {
        int[] a = Arrays.copyOf(buf, n);
        Arrays.sort(a);
        int m = 0;
        for (int i = 0; i < a.length; i++) {
            if (m == 0 || a[m - 1] != a[i]) {
                a[m++] = a[i];
            }
        }
        return m == a.length ? a : Arrays.copyOf(a, m);
    }

    /** {@code *.exc} lines are {@code inflectedForm base1 [base2 ...]}. */
    private static Map<String, String[]> readExceptions() {
        Map<String, List<String>> acc = new HashMap<>(8192);
        for (String file : EXCEPTION_FILES) {
            try (BufferedReader in = open(file)) {
                String line;
                while ((line = in.readLine()) != null) {
                    String[] parts = line.trim().split("\\s+");
                    if (parts.length < 2) {
                        continue;
                    }
                    List<String> bases = acc.computeIfAbsent(parts[0], k -> new ArrayList<>(2));
                    bases.addAll(Arrays.asList(parts).subList(1, parts.length));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("WordNet " + file + " could not be read", e);
            }
        }
        Map<String, String[]> out = new HashMap<>(acc.size() * 2);
        acc.forEach((form, bases) -> out.put(form, new LinkedHashSet<>(bases).toArray(new String[0])));
        return out;
    }

    private static BufferedReader open(String file) {
        InputStream in = WordNet.class.getResourceAsStream(DATA + file);
        if (in == null) {
            throw new IllegalStateException("WordNet 3.0 file " + DATA + file
                    + " not on the classpath: add net.sf.extjwnl:extjwnl-data-wn30:1.2");
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }
}
