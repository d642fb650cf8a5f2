package org.capeval.metrics.core;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.capeval.metrics.MetricSuite;
import org.capeval.metrics.significance.BootstrapSums;
import org.capeval.metrics.stats.PairwiseSum;

/**
 * The mergeable state of an evaluation (as torchmetrics' metric state): the number of images, the
 * suite's summed statistics, each per-image score column's share of numpy's pairwise sum, and
 * optionally the paired-bootstrap sums. Ranges are scored into partials ({@link RangeScorer}) that
 * {@link #merge} in any grouping with the same result, bit for bit: statistics are integer counts,
 * pairwise shares are combined by position, bootstrap sums are integer-weighted counts.
 */
public final class PartialScores implements Serializable {
    private static final long serialVersionUID = 1L;

    private long images;
    private final double[] stats;
    private final List<List<PairwiseSum.Partial>> columns = new ArrayList<>();
    private BootstrapSums bootstrap;

    PartialScores(int statsSize, int keys, BootstrapSums bootstrap) {
        stats = new double[statsSize];
        for (int k = 0; k < keys; k++) {
            columns.add(new ArrayList<>());
        }
        this.bootstrap = bootstrap;
    }

    /** An empty state for {@code suite} (the identity of {@link #merge}). */
    public static PartialScores empty(MetricSuite suite) {
        return new PartialScores(suite.statsSize(), suite.keys().size(), null);
    }

    /**
     * The state of a whole evaluation kept from an earlier run: its statistics, the numpy sum of
     * each per-image column ({@link #columnSums()}) and its bootstrap sums (or null). Corpus scores
     * and bootstrap results from it are those of the state it was kept from, bit for bit.
     */
    public static PartialScores whole(MetricSuite suite, long images, double[] stats, double[] columnSums, BootstrapSums bootstrap) {
        if (stats.length != suite.statsSize() || columnSums.length != suite.keys().size()) {
            throw new IllegalArgumentException("statistics do not fit the suite " + suite.signature());
        }
        PartialScores p = new PartialScores(stats.length, columnSums.length, bootstrap);
        List<PairwiseSum.Partial> shares = new ArrayList<>();
        for (double sum : columnSums) shares.add(PairwiseSum.whole(images, sum));
        p.add(images, stats, shares);
        return p;
    }

    /** Adds one scored range's contribution (called by {@link RangeScorer#finish}). */
    void add(long rangeImages, double[] rangeStats, List<PairwiseSum.Partial> rangeColumns) {
        images += rangeImages;
        for (int i = 0; i < stats.length; i++) {
            stats[i] += rangeStats[i];
        }
        for (int k = 0; k < columns.size(); k++) {
            columns.get(k).add(rangeColumns.get(k));
        }
    }

    /** Adds {@code other} into this state and returns this. */
    public PartialScores merge(PartialScores other) {
        if (other.stats.length != stats.length || other.columns.size() != columns.size()) {
            throw new IllegalArgumentException("cannot merge the states of different metric suites");
        }
        images += other.images;
        for (int i = 0; i < stats.length; i++) {
            stats[i] += other.stats[i];
        }
        for (int k = 0; k < columns.size(); k++) {
            columns.get(k).addAll(other.columns.get(k));
        }
        if (bootstrap == null) {
            bootstrap = other.bootstrap;
        } else if (other.bootstrap != null) {
            bootstrap.merge(other.bootstrap);
        }
        return this;
    }

    /** Number of images scored. */
    public long images() {
        return images;
    }

    /** The suite's summed statistics vector (a copy). */
    public double[] stats() {
        return stats.clone();
    }

    /** numpy's mean of each per-image score column over the images scored. */
    public double[] means() {
        double[] m = new double[columns.size()];
        for (int k = 0; k < m.length; k++) {
            m[k] = PairwiseSum.mean(images, columns.get(k));
        }
        return m;
    }

    /** numpy's pairwise sum of each per-image score column over the images scored. */
    public double[] columnSums() {
        double[] m = new double[columns.size()];
        for (int k = 0; k < m.length; k++) {
            m[k] = PairwiseSum.sum(images, columns.get(k));
        }
        return m;
    }

    /** The corpus score of each key of {@code suite}. */
    public double[] corpus(MetricSuite suite) {
        return suite.corpus(stats, means());
    }

    /** The paired-bootstrap sums, or null when the ranges were scored without resampling. */
    public BootstrapSums bootstrap() {
        return bootstrap;
    }
}
