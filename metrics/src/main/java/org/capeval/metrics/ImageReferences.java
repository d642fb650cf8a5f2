package org.capeval.metrics;

import org.capeval.metrics.ngram.ImageNGrams;
import org.capeval.metrics.ngram.WordIndex;
import org.capeval.metrics.ngram.Words;

/**
 * One image's tokenized references, encoded once (word ids of both splits, n-grams) and shared by
 * every candidate scored against them through {@link ImageTokens#ImageTokens(String, ImageReferences)}:
 * scoring several submissions does not re-encode the references. Computed on first use; not
 * thread-safe (one instance per task).
 */
public final class ImageReferences {
    private final long imageId;
    private final String[] references;
    private Encoding words;
    private Encoding spaceTokens;
    private ImageNGrams ngrams;

    public ImageReferences(long imageId, String[] references) {
        this.imageId = imageId;
        this.references = references;
    }

    public long imageId() {
        return imageId;
    }

    public String[] references() {
        return references;
    }

    public int size() {
        return references.length;
    }

    /** The references split like Python's {@code str.split()}. */
    Encoding words() {
        if (words == null) {
            words = new Encoding(references, true);
        }
        return words;
    }

    /** The references split like Python's {@code str.split(" ")}. */
    Encoding spaceTokens() {
        if (spaceTokens == null) {
            spaceTokens = splitAlike() ? words() : new Encoding(references, false);
        }
        return spaceTokens;
    }

    /** Whether both splits of every reference are the same ({@link Words#splitsAlike}). */
    boolean splitAlike() {
        if (splitAlike == 0) {
            boolean alike = true;
            for (String r : references) {
                alike &= Words.splitsAlike(r);
            }
            splitAlike = (byte) (alike ? 1 : 2);
        }
        return splitAlike == 1;
    }

    private byte splitAlike; // 0 unknown, 1 yes, 2 no
    private Object[] shared = new Object[0]; // owner, state, owner, state, ...

    /**
     * What a metric derives from these references alone (BLEU's clipping counts, CIDEr-D's reference
     * vectors and norms), built by the first candidate and shared by every later one. {@code owner}
     * identifies the metric and whatever else the state depends on (compared by identity).
     */
    @SuppressWarnings("unchecked")
    public <T> T shared(Object owner, java.util.function.Supplier<T> build) {
        for (int i = 0; i < shared.length; i += 2) {
            if (shared[i] == owner) return (T) shared[i + 1];
        }
        T state = build.get();
        shared = java.util.Arrays.copyOf(shared, shared.length + 2);
        shared[shared.length - 2] = owner;
        shared[shared.length - 1] = state;
        return state;
    }

    private Object countedBy;
    private int[] ngramCounts;

    /**
     * Hands over the document frequency of each of the references' n-grams (by id, as in
     * {@link #ngrams()}) in the table {@code table}, known from counting them: CIDEr then need not
     * look them up. Returns this.
     */
    public ImageReferences withNGramCounts(Object table, int[] counts) {
        this.countedBy = table;
        this.ngramCounts = counts;
        return this;
    }

    /** The counts handed over by {@link #withNGramCounts} for {@code table} (by identity), or null. */
    public int[] ngramCounts(Object table) {
        return countedBy == table ? ngramCounts : null;
    }

    /** The references' n-grams (their sentence r is sentence r + 1 of an {@link ImageTokens}). */
    ImageNGrams ngrams() {
        if (ngrams == null) {
            ngrams = new ImageNGrams(words().sentences, ImageTokens.MAX_ORDER);
        }
        return ngrams;
    }

    /** Dense word ids (0..size-1) of one split of the references. */
    static final class Encoding {
        final WordIndex ids;
        final int[][] sentences;

        /** {@code whitespace}: split like {@link Words#splitWhitespace}, else like {@link Words#splitSingleSpace}. */
        Encoding(String[] texts, boolean whitespace) {
            int chars = 0;
            for (String t : texts) {
                chars += t.length();
            }
            ids = new WordIndex(chars / 4); // a typical caption's distinct words without growing
            sentences = new int[texts.length][];
            for (int s = 0; s < texts.length; s++) {
                sentences[s] = whitespace ? Words.splitWhitespace(texts[s], ids) : Words.splitSingleSpace(texts[s], ids);
            }
        }

        String word(int id) {
            return ids.word(id);
        }
    }
}
