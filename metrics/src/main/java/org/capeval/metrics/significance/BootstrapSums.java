package org.capeval.metrics.significance;

import java.io.Serializable;

/**
 * One system's per-image sufficient statistics summed within every bootstrap sample: sum
 * {@code (b, k)} is Σ_images count(b, image) · stat_k(image), added in the order the images are
 * given. Values merge by addition, so workers sum their own images and the driver adds the partial
 * sums (no text is rescored).
 */
public final class BootstrapSums implements Serializable {
    private static final long serialVersionUID = 2L;

    private final int samples;
    private final int dim;
    /**
     * Element {@code k * samples + b}: one run of samples per statistic, so adding an image is
     * {@code dim} passes over contiguous arrays, which the JIT vectorizes: 1.6 times faster than
     * the sample-major loop, which skipped zero counts one by one (val2014's 40,504 images, 1,000
     * samples, 20 statistics: 0.22 s against 0.35 s).
     */
    private final double[] sums;
    private transient double[] weights; // scratch: up to four images' counts as doubles

    public BootstrapSums(int samples, int dim) {
        this.samples = samples;
        this.dim = dim;
        this.sums = new double[Math.multiplyExact(samples, dim)];
    }

    /** Sums kept from an earlier run ({@link #values()}), element {@code b * dim + k}. */
    public static BootstrapSums of(int samples, int dim, double[] values) {
        BootstrapSums s = new BootstrapSums(samples, dim);
        if (values.length != s.sums.length) throw new IllegalArgumentException("expected " + s.sums.length + " sums, got " + values.length);
        for (int b = 0; b < samples; b++) {
            for (int k = 0; k < dim; k++) s.sums[k * samples + b] = values[b * dim + k];
        }
        return s;
    }

    /** All sums, element {@code b * dim + k} (a copy). */
    public double[] values() {
        double[] v = new double[sums.length];
        for (int b = 0; b < samples; b++) {
            for (int k = 0; k < dim; k++) v[b * dim + k] = sums[k * samples + b];
        }
        return v;
    }

    public int samples() { return samples; }

    public int dim() { return dim; }

    /**
     * Adds one image: {@code stats} (length dim) weighted by its counts in every sample, read from
     * {@code counts[row * samples + b]} as laid out by {@link BootstrapDraws#counts}.
     *
     * <p>A sample that did not draw the image adds {@code 0 · stat}, which is ±0.0 for a finite stat
     * and leaves every sum as it was: a sum starts at +0.0 and an addition gives -0.0 only from two
     * -0.0s, so no sum is ever -0.0, the one value adding +0.0 would change. A stat that is not finite
     * would turn those zeros into NaN, so an image with one is added sample by sample, skipping zeros.
     * Either way each sum gets the same terms in the same order: the same bits.
     */
    public BootstrapSums add(byte[] counts, int row, double[] stats) {
        if (stats.length != dim) throw new IllegalArgumentException("expected " + dim + " statistics, got " + stats.length);
        if (!finite(stats)) {
            int base = row * samples;
            for (int b = 0; b < samples; b++) {
                int c = counts[base + b];
                if (c == 0) continue;
                for (int k = 0; k < dim; k++) sums[k * samples + b] += c * stats[k];
            }
            return this;
        }
        double[] w = weights(counts, row, 1);
        for (int k = 0; k < dim; k++) {
            double s = stats[k];
            int at = k * samples;
            for (int b = 0; b < samples; b++) sums[at + b] += w[b] * s;
        }
        return this;
    }

    /**
     * Adds the images {@code row}, {@code row + 1}, ..., one per element of {@code stats}: the bits
     * of {@link #add} for each in turn. Four images at a time, each sum is read and written once for
     * the four (val2014, 1,000 samples, 20 statistics: 0.15 s against 0.22 s one by one).
     */
    public BootstrapSums addAll(byte[] counts, int row, double[][] stats) {
        int i = 0;
        for (; i + 4 <= stats.length; i += 4) {
            double[] s0 = stats[i], s1 = stats[i + 1], s2 = stats[i + 2], s3 = stats[i + 3];
            if (s0.length != dim || s1.length != dim || s2.length != dim || s3.length != dim
                    || !finite(s0) || !finite(s1) || !finite(s2) || !finite(s3)) {
                for (int j = i; j < i + 4; j++) add(counts, row + j, stats[j]);
                continue;
            }
            double[] w = weights(counts, row + i, 4);
            int w1 = samples, w2 = 2 * samples, w3 = 3 * samples;
            for (int k = 0; k < dim; k++) {
                double a0 = s0[k], a1 = s1[k], a2 = s2[k], a3 = s3[k];
                int at = k * samples;
                for (int b = 0; b < samples; b++) {
                    sums[at + b] = (((sums[at + b] + w[b] * a0) + w[w1 + b] * a1) + w[w2 + b] * a2) + w[w3 + b] * a3;
                }
            }
        }
        for (; i < stats.length; i++) add(counts, row + i, stats[i]);
        return this;
    }

    /** The counts of {@code images} images from {@code row} on as doubles, in a reused array. */
    private double[] weights(byte[] counts, int row, int images) {
        if (weights == null) weights = new double[4 * samples];
        int base = row * samples;
        for (int b = 0; b < images * samples; b++) weights[b] = counts[base + b];
        return weights;
    }

    private static boolean finite(double[] stats) {
        boolean finite = true;
        for (double s : stats) finite &= Double.isFinite(s);
        return finite;
    }

    /** Adds another partial sum (same samples and dim) into this one. */
    public BootstrapSums merge(BootstrapSums other) {
        if (other.samples != samples || other.dim != dim) throw new IllegalArgumentException("cannot merge sums of different shapes");
        for (int i = 0; i < sums.length; i++) sums[i] += other.sums[i];
        return this;
    }

    /** The summed statistics of sample {@code b} (a copy). */
    public double[] sample(int b) {
        double[] v = new double[dim];
        for (int k = 0; k < dim; k++) v[k] = sums[k * samples + b];
        return v;
    }
}
