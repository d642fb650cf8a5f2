package org.capeval.jobs.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The full-batch mean loss and gradient as a function of the parameters, for L-BFGS's closure:
 * each evaluation is one pass of {@link GradientSource#all} (on Spark: broadcast, partition sums,
 * tree reduction). The evaluations of the current iteration are remembered by the parameters' bits,
 * so the point an iteration ends at, which the line search has already evaluated and the next
 * iteration (or the final loss) asks for again, costs no second pass. The sums are deterministic,
 * so a remembered evaluation has the bits a new pass would give: a resumed run, which has to make
 * that pass, ends the same.
 */
final class FullBatchObjective {

    /** Loss and gradient at one point (the mean over all rows). */
    record Evaluation(double loss, double[] gradient, long rows) {}

    private final GradientSource source;
    private final Map<Key, Evaluation> remembered = new LinkedHashMap<>();
    private long passes;

    FullBatchObjective(GradientSource source) {
        this.source = source;
    }

    /** The evaluation at {@code params}: remembered, or one pass over all rows. */
    Evaluation at(double[] params) {
        Key key = new Key(params);
        Evaluation e = remembered.get(key);
        if (e == null) {
            GradientSum g = source.all(params);
            e = new Evaluation(g.meanLoss(), g.meanGradient(), g.count);
            passes++;
            remembered.put(key, e);
        }
        return e;
    }

    /** Forgets every evaluation but the one at {@code params} (if any): called between iterations. */
    void keepOnly(double[] params) {
        Evaluation e = remembered.get(new Key(params));
        remembered.clear();
        if (e != null) {
            remembered.put(new Key(params), e);
        }
    }

    /** Passes over the data so far. */
    long passes() {
        return passes;
    }

    /** Parameters compared bit for bit (so -0.0 and 0.0 differ, as they would for the optimizer). */
    private static final class Key {
        private final long[] bits;
        private final int hash;

        Key(double[] params) {
            bits = new long[params.length];
            for (int i = 0; i < params.length; i++) {
                bits[i] = Double.doubleToRawLongBits(params[i]);
            }
            hash = Arrays.hashCode(bits);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(bits, k.bits);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
