package org.capeval.metrics.meteor;

import java.io.Serializable;
import java.util.Arrays;

/**
 * METEOR 1.5 sufficient statistics of one image (or a sum of images): the 23 numbers of the jar's
 * statistics line, in its order — test length, reference length, test / reference function words,
 * then per stage (exact, stem, synonym, paraphrase) test content, reference content, test function,
 * reference function matches, then chunks, test word matches, reference word matches.
 *
 * <p>{@link #plus} sums them as the COCO jar sums the statistics of the corpus: the chunk of a
 * perfectly matched image (everything matched in one chunk) is not added. Immutable, serializable;
 * {@code plus} is associative and sums start from {@link #ZERO} (a perfect image's chunk is dropped
 * by the first {@code plus}; its score is unchanged since its fragmentation is 0 either way).
 */
public final class MeteorStats implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int STAGES = 4;
    static final int TEST_LENGTH = 0;
    static final int REF_LENGTH = 1;
    static final int TEST_FUNCTION_WORDS = 2;
    static final int REF_FUNCTION_WORDS = 3;
    static final int CHUNKS = 4 + 4 * STAGES;
    static final int TEST_WORD_MATCHES = CHUNKS + 1;
    static final int REF_WORD_MATCHES = CHUNKS + 2;
    public static final int SIZE = CHUNKS + 3;

    public static final MeteorStats ZERO = new MeteorStats(new long[SIZE]);

    private final long[] v;

    private MeteorStats(long[] v) {
        this.v = v;
    }

    /** Builds statistics from the 23 values of a METEOR statistics line. */
    public static MeteorStats of(long... values) {
        if (values.length != SIZE) {
            throw new IllegalArgumentException("METEOR statistics need " + SIZE + " values, got " + values.length);
        }
        for (long x : values) {
            if (x < 0) {
                throw new IllegalArgumentException("METEOR statistics cannot be negative: " + Arrays.toString(values));
            }
        }
        return new MeteorStats(values.clone());
    }

    /** Parses the jar's statistics line ("10.0 11.0 4.0 ..."); values must be whole numbers. */
    public static MeteorStats parse(String line) {
        String[] parts = line.trim().split("\\s+");
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            double d;
            try {
                d = Double.parseDouble(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("METEOR statistics line: value " + (i + 1) + " '" + parts[i]
                        + "' is not a number: " + line);
            }
            if (d != Math.rint(d)) {
                throw new IllegalArgumentException("METEOR statistics line: value " + (i + 1) + " is not whole: " + line);
            }
            values[i] = (long) d;
        }
        return of(values);
    }

    public long testLength() {
        return v[TEST_LENGTH];
    }

    public long referenceLength() {
        return v[REF_LENGTH];
    }

    public long testFunctionWords() {
        return v[TEST_FUNCTION_WORDS];
    }

    public long referenceFunctionWords() {
        return v[REF_FUNCTION_WORDS];
    }

    /** Matched test content words of a stage (0 exact, 1 stem, 2 synonym, 3 paraphrase). */
    public long testContentMatches(int stage) {
        return v[4 + 4 * stage];
    }

    public long referenceContentMatches(int stage) {
        return v[5 + 4 * stage];
    }

    public long testFunctionMatches(int stage) {
        return v[6 + 4 * stage];
    }

    public long referenceFunctionMatches(int stage) {
        return v[7 + 4 * stage];
    }

    public long chunks() {
        return v[CHUNKS];
    }

    public long testWordMatches() {
        return v[TEST_WORD_MATCHES];
    }

    public long referenceWordMatches() {
        return v[REF_WORD_MATCHES];
    }

    /** Test words matched by any stage. */
    public long testTotalMatches() {
        long t = 0;
        for (int s = 0; s < STAGES; s++) {
            t += testContentMatches(s) + testFunctionMatches(s);
        }
        return t;
    }

    public long referenceTotalMatches() {
        long t = 0;
        for (int s = 0; s < STAGES; s++) {
            t += referenceContentMatches(s) + referenceFunctionMatches(s);
        }
        return t;
    }

    /** Every word of both sides matched, in a single chunk (METEOR's fragmentation-0 case). */
    public boolean isPerfect() {
        return testTotalMatches() == testLength() && referenceTotalMatches() == referenceLength() && chunks() == 1;
    }

    /** Summed statistics; a perfect operand contributes no chunk (METEOR's corpus aggregation). */
    public MeteorStats plus(MeteorStats o) {
        long[] s = new long[SIZE];
        for (int i = 0; i < SIZE; i++) {
            s[i] = v[i] + o.v[i];
        }
        // A sum of two or more images is never "perfect" (its chunks are 0 or >= 2), so applying
        // the rule to operands that are already sums changes nothing: plus stays associative.
        s[CHUNKS] = aggregatedChunks() + o.aggregatedChunks();
        return new MeteorStats(s);
    }

    /**
     * These statistics as a term of a plain element-wise sum (the form the metric framework adds):
     * a perfect image's chunk removed, as the jar's corpus aggregation does. Scores the same.
     */
    public MeteorStats summable() {
        return ZERO.plus(this);
    }

    private long aggregatedChunks() {
        return isPerfect() ? 0 : chunks();
    }

    /** The values in the jar's order. */
    public long[] values() {
        return v.clone();
    }

    /** The jar's statistics line ("10.0 11.0 ..."), as pycocoevalcap reads it back. */
    public String toLine() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < SIZE; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append((double) v[i]);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeteorStats && Arrays.equals(v, ((MeteorStats) o).v);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(v);
    }

    @Override
    public String toString() {
        return "MeteorStats[" + toLine() + "]";
    }
}
