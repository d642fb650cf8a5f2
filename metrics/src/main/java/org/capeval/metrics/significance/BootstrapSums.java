package org.capeval.metrics.significance;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One system's per-image sufficient statistics summed within every bootstrap sample: element
 * {@code b * dim + k} is Σ_images count(b, image) · stat_k(image). Values merge by addition, so
 * workers sum their own images and the driver adds the partial sums (no text is rescored).
 */
public final class BootstrapSums implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int samples;
    private final int dim;
    private final double[] sums;

    public BootstrapSums(int samples, int dim) {
        this.samples = samples;
        this.dim = dim;
        this.sums = new double[Math.multiplyExact(samples, dim)];
    }

    /** Sums kept from an earlier run ({@link #values()}), element {@code b * dim + k}. */
    public static BootstrapSums of(int samples, int dim, double[] values) {
        BootstrapSums s = new BootstrapSums(samples, dim);
        if (values.length != s.sums.length) throw new IllegalArgumentException("expected " + s.sums.length + " sums, got " + values.length);
        System.arraycopy(values, 0, s.sums, 0, values.length);
        return s;
    }

    /** All sums, element {@code b * dim + k} (a copy). */
    public double[] values() {
        return sums.clone();
    }

    public int samples() { return samples; }

    public int dim() { return dim; }

    /**
     * Adds one image: {@code stats} (length dim) weighted by its counts in every sample, read from
     * {@code counts[row * samples + b]} as laid out by {@link BootstrapDraws#counts}.
     */
    public BootstrapSums add(byte[] counts, int row, double[] stats) {
        if (stats.length != dim) throw new IllegalArgumentException("expected " + dim + " statistics, got " + stats.length);
        int base = row * samples;
        for (int b = 0; b < samples; b++) {
            int c = counts[base + b];
            if (c == 0) continue;
            int at = b * dim;
            for (int k = 0; k < dim; k++) sums[at + k] += c * stats[k];
        }
        return this;
    }

    /** Adds another partial sum (same samples and dim) into this one. */
    public BootstrapSums merge(BootstrapSums other) {
        if (other.samples != samples || other.dim != dim) throw new IllegalArgumentException("cannot merge sums of different shapes");
        for (int i = 0; i < sums.length; i++) sums[i] += other.sums[i];
        return this;
    }

    /** The summed statistics of sample {@code b} (a copy). */
    public double[] sample(int b) {
        return Arrays.copyOfRange(sums, b * dim, (b + 1) * dim);
    }
}
