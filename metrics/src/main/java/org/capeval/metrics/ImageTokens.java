package org.capeval.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.capeval.metrics.ngram.ImageNGrams;
import org.capeval.metrics.ngram.Words;

/**
 * One evaluated image after tokenization: its candidate and references as tokenized text (words
 * joined by spaces, as COCO's tokenizer step produces them), plus the encodings metrics share,
 * computed once on first use. Sentence 0 is the candidate, sentences 1..m the references.
 *
 * <p>Words get per-image dense ids (0..{@link #wordCount()}-1) so the metrics work on int arrays
 * and packed n-gram ids instead of strings. Both splits of the original are kept: Python's
 * {@code split()} (BLEU, CIDEr) and {@code split(" ")} (ROUGE-L, which counts empty tokens).
 */
public final class ImageTokens {
    /** The n-gram order of BLEU and CIDEr. */
    public static final int MAX_ORDER = 4;

    private final long imageId;
    private final String candidate;
    private final String[] references;

    private Map<String, Integer> ids;
    private String[] vocab;
    private int[][] words;
    private int[][] spaceTokens;
    private ImageNGrams ngrams;

    public ImageTokens(long imageId, String candidate, String[] references) {
        this.imageId = imageId;
        this.candidate = candidate;
        this.references = references;
    }

    public long imageId() {
        return imageId;
    }

    public String candidate() {
        return candidate;
    }

    public String[] references() {
        return references;
    }

    /** Number of sentences: 1 + number of references. */
    public int sentenceCount() {
        return 1 + references.length;
    }

    public String sentence(int s) {
        return s == 0 ? candidate : references[s - 1];
    }

    /** Word ids of sentence s split like Python's {@code str.split()}. */
    public int[] words(int s) {
        if (words == null) {
            words = new int[sentenceCount()][];
            for (int i = 0; i < words.length; i++) {
                words[i] = encode(Words.splitWhitespace(sentence(i)));
            }
        }
        return words[s];
    }

    /** Token ids of sentence s split like Python's {@code str.split(" ")}. */
    public int[] spaceTokens(int s) {
        if (spaceTokens == null) {
            spaceTokens = new int[sentenceCount()][];
            for (int i = 0; i < spaceTokens.length; i++) {
                spaceTokens[i] = encode(Words.splitSingleSpace(sentence(i)));
            }
        }
        return spaceTokens[s];
    }

    /** The distinct n-grams (orders 1..4) of all sentences' {@link #words(int)}. */
    public ImageNGrams ngrams() {
        if (ngrams == null) {
            int[][] all = new int[sentenceCount()][];
            for (int s = 0; s < all.length; s++) {
                all[s] = words(s);
            }
            ngrams = new ImageNGrams(all, MAX_ORDER);
        }
        return ngrams;
    }

    /** Number of distinct words/tokens seen so far by {@link #words} and {@link #spaceTokens}. */
    public int wordCount() {
        return ids == null ? 0 : ids.size();
    }

    /** The word with per-image id {@code id}. */
    public String word(int id) {
        if (vocab == null || vocab.length != ids.size()) {
            vocab = new String[ids.size()];
            ids.forEach((w, i) -> vocab[i] = w);
        }
        return vocab[id];
    }

    private int[] encode(List<String> tokens) {
        if (ids == null) {
            ids = new HashMap<>();
        }
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            Integer id = ids.putIfAbsent(tokens.get(i), ids.size());
            out[i] = id == null ? ids.size() - 1 : id;
        }
        return out;
    }
}
