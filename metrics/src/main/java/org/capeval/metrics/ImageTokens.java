package org.capeval.metrics;

import org.capeval.metrics.ngram.ImageNGrams;
import org.capeval.metrics.ngram.WordIndex;
import org.capeval.metrics.ngram.Words;

/**
 * One evaluated image after tokenization: its candidate and references as tokenized text (words
 * joined by spaces, as COCO's tokenizer step produces them), plus the encodings metrics share,
 * computed once on first use. Sentence 0 is the candidate, sentences 1..m the references.
 *
 * <p>Words get per-image dense ids (0..{@link #wordCount()}-1) so the metrics work on int arrays
 * and packed n-gram ids instead of strings. Both splits of the original are kept: Python's
 * {@code split()} (BLEU, CIDEr) and {@code split(" ")} (ROUGE-L, which counts empty tokens); each
 * has its own ids. The references' encodings live in an {@link ImageReferences}, which several
 * candidates can share; the candidate's words extend its ids.
 */
public final class ImageTokens {
    /** The n-gram order of BLEU and CIDEr. */
    public static final int MAX_ORDER = 4;

    private final String candidate;
    private final ImageReferences refs;

    private Candidate words;
    private Candidate spaceTokens;
    private ImageNGrams ngrams;

    public ImageTokens(long imageId, String candidate, String[] references) {
        this(candidate, new ImageReferences(imageId, references));
    }

    /** A candidate scored against references encoded once (shared, not changed). */
    public ImageTokens(String candidate, ImageReferences references) {
        this.candidate = candidate;
        this.refs = references;
    }

    public long imageId() {
        return refs.imageId();
    }

    /** The references, encoded once and shared by every candidate scored against them. */
    public ImageReferences prepared() {
        return refs;
    }

    public String candidate() {
        return candidate;
    }

    public String[] references() {
        return refs.references();
    }

    /** Number of sentences: 1 + number of references. */
    public int sentenceCount() {
        return 1 + refs.size();
    }

    public String sentence(int s) {
        return s == 0 ? candidate : refs.references()[s - 1];
    }

    /** Word ids of sentence s split like Python's {@code str.split()}. */
    public int[] words(int s) {
        if (s > 0) {
            return refs.words().sentences[s - 1];
        }
        if (words == null) {
            words = new Candidate(candidate, true, refs.words());
        }
        return words.tokens;
    }

    /** Token ids of sentence s split like Python's {@code str.split(" ")}. */
    public int[] spaceTokens(int s) {
        if (s > 0) {
            return refs.spaceTokens().sentences[s - 1];
        }
        if (spaceTokens == null) {
            if (refs.splitAlike() && Words.splitsAlike(candidate)) {
                words(0);
                spaceTokens = words; // the same tokens and ids: no second split
            } else {
                spaceTokens = new Candidate(candidate, false, refs.spaceTokens());
            }
        }
        return spaceTokens.tokens;
    }

    /** The distinct n-grams (orders 1..4) of all sentences' {@link #words(int)}. */
    public ImageNGrams ngrams() {
        if (ngrams == null) {
            ngrams = ImageNGrams.withCandidate(words(0), refs.ngrams());
        }
        return ngrams;
    }

    /** Number of distinct words of {@link #words} over all sentences. */
    public int wordCount() {
        words(0);
        return words.base.ids.size() + words.extra.size();
    }

    /** The word with id {@code id} in {@link #words}. */
    public String word(int id) {
        words(0);
        int n = words.base.ids.size();
        return id < n ? words.base.word(id) : words.extra.word(id - n);
    }

    /** The id in {@code index} of the word {@code id} ({@link #word}), or -1; without cutting the word's string. */
    public int findWord(int id, WordIndex index) {
        words(0);
        int n = words.base.ids.size();
        return id < n ? index.find(words.base.ids, id) : index.find(words.extra, id - n);
    }

    /** The candidate's tokens with the references' ids, new tokens numbered after them. */
    private static final class Candidate {
        final ImageReferences.Encoding base;
        final WordIndex extra = new WordIndex();
        final int[] tokens;

        /** {@code whitespace}: split like {@link Words#splitWhitespace}, else like {@link Words#splitSingleSpace}. */
        Candidate(String text, boolean whitespace, ImageReferences.Encoding base) {
            this.base = base;
            int[] out = new int[text.length() + 1]; // at most one token per character, and one more
            int n = 0;
            int known = base.ids.size();
            int len = text.length();
            int i = whitespace ? Words.wordStart(text, 0) : 0;
            while (whitespace ? i < len : i <= len) {
                int end = whitespace ? Words.wordEnd(text, i) : Words.spaceTokenEnd(text, i);
                int id = base.ids.find(text, i, end);
                out[n++] = id >= 0 ? id : known + extra.intern(text, i, end);
                i = whitespace ? Words.wordStart(text, end) : end + 1;
            }
            tokens = java.util.Arrays.copyOf(out, n);
        }
    }
}
