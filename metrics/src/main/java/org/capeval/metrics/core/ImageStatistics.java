package org.capeval.metrics.core;

import java.io.Serializable;
import org.capeval.metrics.MetricSuite;
import org.capeval.metrics.significance.BootstrapSums;
import org.capeval.metrics.significance.SuiteStatistic;
import org.capeval.metrics.stats.PairwiseSum;

/**
 * One system's per-image sufficient statistics over a whole evaluation, in evaluation order: per
 * image the suite's statistics then its per-image scores ({@link #width} values). Everything a
 * night reports about the system follows from them ({@link #reduce}), so they can be kept and the
 * text never rescored. The reduction runs in one fixed order (images in evaluation order), so it
 * gives the same bits wherever and whenever it runs.
 */
public final class ImageStatistics implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int width;
    private final double[] values;

    /** @param values row-major, {@code width(suite)} values per image */
    public ImageStatistics(MetricSuite suite, double[] values) {
        this.width = width(suite);
        if (values.length % width != 0) throw new IllegalArgumentException(values.length + " values are not whole rows of " + width);
        this.values = values;
    }

    /** Values per image: the suite's statistics, then one score per key. */
    public static int width(MetricSuite suite) {
        return suite.statsSize() + suite.keys().size();
    }

    public int images() {
        return values.length / width;
    }

    /** Row-major values (not a copy). */
    public double[] values() {
        return values;
    }

    /**
     * The state of the evaluation: summed statistics, numpy's sum of each score column and, when
     * {@code counts} is given ({@link org.capeval.metrics.significance.BootstrapDraws#counts} of
     * all images), the bootstrap sums of {@code samples} samples.
     */
    public PartialScores reduce(MetricSuite suite, byte[] counts, int samples) {
        int n = images(), s = suite.statsSize(), keys = suite.keys().size();
        if (width != width(suite)) throw new IllegalArgumentException("statistics do not fit the suite " + suite.signature());
        double[] stats = new double[s];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < s; j++) stats[j] += values[i * width + j];
        }
        double[] sums = new double[keys];
        double[] column = new double[n];
        for (int k = 0; k < keys; k++) {
            for (int i = 0; i < n; i++) column[i] = values[i * width + s + k];
            sums[k] = PairwiseSum.sum(column, 0, n);
        }
        BootstrapSums bootstrap = null;
        if (counts != null) {
            if (counts.length != (long) n * samples) throw new IllegalArgumentException("bootstrap counts are not for " + n + " images");
            int dim = SuiteStatistic.dim(suite);
            bootstrap = new BootstrapSums(samples, dim);
            double[][] vectors = new double[Math.min(n, 256)][dim]; // a block of images at a time (BootstrapSums.addAll)
            for (int lo = 0; lo < n; lo += vectors.length) {
                int rows = Math.min(vectors.length, n - lo);
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(values, (lo + r) * width, vectors[r], 0, width);
                    vectors[r][dim - 1] = 1.0;
                }
                bootstrap.addAll(counts, lo, rows == vectors.length ? vectors : java.util.Arrays.copyOf(vectors, rows));
            }
        }
        return PartialScores.whole(suite, n, stats, sums, bootstrap);
    }
}
