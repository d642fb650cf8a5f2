package org.capeval.jobs.train;

import java.io.Serializable;

/**
 * Summed loss and gradient over some rows, with their count. Sums merge associatively, so one
 * partition, a tree of partial sums, or a single process all give the same totals (up to the
 * order of floating-point additions).
 */
public final class GradientSum implements Serializable {
    private static final long serialVersionUID = 1L;

    public final double[] gradient;
    public double loss;
    public long count;

    public GradientSum(int numParams) {
        this.gradient = new double[numParams];
    }

    /** Adds {@code other} into this sum and returns this. */
    public GradientSum merge(GradientSum other) {
        double[] g = other.gradient;
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] += g[i];
        }
        loss += other.loss;
        count += other.count;
        return this;
    }

    /** Mean loss per row. */
    public double meanLoss() {
        return loss / count;
    }

    /** Mean gradient per row (a new array). */
    public double[] meanGradient() {
        double[] g = new double[gradient.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = gradient[i] / count;
        }
        return g;
    }
}
