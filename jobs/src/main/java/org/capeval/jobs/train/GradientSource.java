package org.capeval.jobs.train;

/**
 * Where the trainer gets summed gradients from: a Spark RDD ({@link SparkGradientSource}) or rows
 * in this process ({@link LocalGradientSource}). Both evaluate the same {@link ModelGradient} over
 * the same batches; only the grouping of the sums differs.
 */
public interface GradientSource {

    /** Number of training rows. */
    long numRows();

    /** Prepares epoch {@code epoch}'s batches (see {@link EpochOrder}). */
    void startEpoch(int epoch);

    /** Summed loss and gradient over batch {@code step} of the current epoch at {@code params}. */
    GradientSum batch(double[] params, long step);

    /** Summed loss and gradient over all rows at {@code params}. */
    GradientSum all(double[] params);
}
