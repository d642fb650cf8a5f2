package org.capeval.metrics.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.capeval.metrics.ImageReferences;
import org.capeval.metrics.ImageTokens;
import org.capeval.metrics.MetricSuite;
import org.capeval.metrics.significance.BootstrapDraws;
import org.capeval.metrics.significance.BootstrapSums;
import org.capeval.metrics.significance.SuiteStatistic;
import org.capeval.metrics.stats.PairwiseSum;

/**
 * Scores the images of one contiguous range of evaluation indexes (0-based, dense, in evaluation order) {@code [lo, lo + size)} of a
 * set of {@code total} images (one thread's range, one Spark partition, one submission's part of a
 * leaderboard partition) and turns them into a {@link PartialScores}. Images may arrive in any
 * order within the range; each position is scored once. Not thread-safe.
 */
public final class RangeScorer {
    private final MetricSuite suite;
    private final MetricSuite.Scorer scorer;
    private final long total;
    private final long lo;
    private final double[][] columns;
    private final boolean[] seen;
    private final double[] stats;
    private final double[] imageStats;
    private final byte[] counts;
    private final BootstrapSums bootstrap;
    private final double[] vector;
    private long images;

    /**
     * @param scorer a scorer of {@code suite} (one per thread; may be shared by the range scorers of
     *               one thread, e.g. one per submission)
     * @param draws  the run's resampling plan, or null for no bootstrap
     */
    public RangeScorer(MetricSuite suite, MetricSuite.Scorer scorer, long total, long lo, int size, BootstrapDraws draws) {
        this.suite = suite;
        this.scorer = scorer;
        this.total = total;
        this.lo = lo;
        columns = new double[suite.keys().size()][size];
        seen = new boolean[size];
        stats = new double[suite.statsSize()];
        imageStats = new double[suite.statsSize()];
        counts = draws == null ? null : draws.counts(Math.toIntExact(lo), Math.toIntExact(lo + size));
        bootstrap = draws == null ? null : new BootstrapSums(draws.samples(), SuiteStatistic.dim(suite));
        vector = draws == null ? null : new double[SuiteStatistic.dim(suite)];
    }

    /** Scores the image at {@code position}; its per-image scores (one per key) go into {@code row}. */
    public void score(long position, ImageTokens image, double[] row) {
        int at = slot(position, image.imageId());
        Arrays.fill(imageStats, 0.0);
        scorer.score(image, row, imageStats);
        record(at, row);
    }

    /** As {@link #score(long, ImageTokens, double[])}, against references prepared once for several candidates. */
    public void score(long position, String candidate, ImageReferences references, double[] row) {
        int at = slot(position, references.imageId());
        Arrays.fill(imageStats, 0.0);
        scorer.score(candidate, references, row, imageStats);
        record(at, row);
    }

    private int slot(long position, long imageId) {
        long at = position - lo;
        if (at < 0 || at >= seen.length) {
            throw new IllegalStateException("image " + imageId + " at position " + position + " is outside [" + lo + ", " + (lo + seen.length) + ")");
        }
        if (seen[(int) at]) {
            throw new IllegalStateException("image " + imageId + " at position " + position + " scored twice");
        }
        seen[(int) at] = true;
        return (int) at;
    }

    private void record(int at, double[] row) {
        for (int k = 0; k < columns.length; k++) {
            columns[k][at] = row[k];
        }
        for (int i = 0; i < stats.length; i++) {
            stats[i] += imageStats[i];
        }
        images++;
        if (bootstrap != null) {
            SuiteStatistic.vector(suite, imageStats, row, vector);
            bootstrap.add(counts, at, vector);
        }
    }

    /** Nanoseconds spent in each metric by this range's scorer ({@link MetricSuite.Scorer#nanosByMetric}). */
    public long[] nanosByMetric() {
        return scorer.nanosByMetric();
    }

    /** The range's state; every position of the range must have been scored. */
    public PartialScores finish() {
        if (images != seen.length) {
            for (int i = 0; i < seen.length; i++) {
                if (!seen[i]) {
                    throw new IllegalStateException("position " + (lo + i) + " of [" + lo + ", " + (lo + seen.length) + ") was not scored");
                }
            }
        }
        List<PairwiseSum.Partial> shares = new ArrayList<>(columns.length);
        for (double[] column : columns) {
            shares.add(PairwiseSum.partial(total, lo, column));
        }
        PartialScores out = new PartialScores(stats.length, columns.length, bootstrap);
        out.add(images, stats, shares);
        return out;
    }
}
