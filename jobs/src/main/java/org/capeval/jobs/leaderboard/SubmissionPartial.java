package org.capeval.jobs.leaderboard;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.capeval.metrics.significance.BootstrapSums;
import org.capeval.metrics.stats.PairwiseSum;

/**
 * What one partition contributes for one submission: summed metric statistics, numpy-exact partial
 * sums of each per-image score column, and the bootstrap sums. Merges associatively (reduceByKey).
 */
public final class SubmissionPartial implements Serializable {
    private static final long serialVersionUID = 1L;

    long images;
    final double[] stats;
    final List<List<PairwiseSum.Partial>> columns = new ArrayList<>();
    BootstrapSums bootstrap;

    SubmissionPartial(int statsSize, int keys) {
        stats = new double[statsSize];
        for (int k = 0; k < keys; k++) columns.add(new ArrayList<>());
    }

    public SubmissionPartial merge(SubmissionPartial o) {
        images += o.images;
        for (int i = 0; i < stats.length; i++) stats[i] += o.stats[i];
        for (int k = 0; k < columns.size(); k++) columns.get(k).addAll(o.columns.get(k));
        if (bootstrap == null) bootstrap = o.bootstrap;
        else if (o.bootstrap != null) bootstrap.merge(o.bootstrap);
        return this;
    }

    /** numpy's mean of each per-image score column over all {@code n} images. */
    double[] means(long n) {
        double[] m = new double[columns.size()];
        for (int k = 0; k < m.length; k++) m[k] = PairwiseSum.mean(n, columns.get(k));
        return m;
    }

    public BootstrapSums bootstrap() { return bootstrap; }
}
