package org.capeval.metrics.significance;

import java.util.Arrays;

/**
 * Paired bootstrap resampling test between a system and a baseline (here: the leaderboard leader),
 * after sacreBLEU's {@code paired_bs} (itself after Koehn 2004): both systems are scored on the same
 * B resamples of the images, from summed per-image statistics.
 *
 * <ul>
 *   <li>p-value: two-sided, the bootstrap distribution of the difference shifted to mean zero (the
 *       null hypothesis): {@code p = (1 + #{b : |d_b − mean(d)| ≥ |d_obs|}) / (B + 1)}.
 *       Deliberate difference: sacreBLEU centres |d_b| rather than d_b and counts with {@code >},
 *       which gives p = 1/(B+1) for a system compared with itself; here that p is 1.</li>
 *   <li>95% confidence interval of the system's score: the order statistics sacreBLEU's
 *       {@code estimate_ci} uses (index ⌊B/40⌋ and B − 1 − ⌊B/40⌋ of the sorted resampled scores),
 *       reported as the interval itself rather than a half-width.</li>
 * </ul>
 */
public final class PairedBootstrap {
    private PairedBootstrap() {}

    /** Outcome for one system and one metric. */
    public record Result(double score, double baselineScore, double pValue, double ciLow, double ciHigh, double bootstrapMean) {}

    /**
     * Compares {@code system} with {@code baseline} on the same resampling plan.
     *
     * @param score         the system's score on all images
     * @param baselineScore the baseline's score on all images
     */
    public static Result compare(CorpusStatistic metric, BootstrapSums system, BootstrapSums baseline,
                                 double score, double baselineScore) {
        if (baseline.samples() != system.samples()) throw new IllegalArgumentException("system and baseline use different numbers of samples");
        return compare(scores(metric, system), scores(metric, baseline), score, baselineScore);
    }

    /** The metric's score on each sample of {@code sums}. */
    private static double[] scores(CorpusStatistic metric, BootstrapSums sums) {
        double[] out = new double[sums.samples()];
        for (int b = 0; b < out.length; b++) out[b] = metric.score(sums.sample(b));
        return out;
    }

    /**
     * Compares from the scores of each sample (the same plan for both; e.g. {@link SuiteStatistic#scores}),
     * so a caller comparing many systems with one baseline scores each sample of each system once.
     */
    public static Result compare(double[] sys, double[] baseline, double score, double baselineScore) {
        int samples = sys.length;
        if (baseline.length != samples) throw new IllegalArgumentException("system and baseline use different numbers of samples");
        double[] diff = new double[samples];
        double meanDiff = 0;
        for (int b = 0; b < samples; b++) {
            diff[b] = sys[b] - baseline[b];
            meanDiff += diff[b];
        }
        meanDiff /= samples;
        double observed = Math.abs(score - baselineScore);
        int atLeastAsExtreme = 0;
        for (int b = 0; b < samples; b++) {
            if (Math.abs(diff[b] - meanDiff) >= observed) atLeastAsExtreme++;
        }
        double p = (atLeastAsExtreme + 1.0) / (samples + 1.0);
        double[] sorted = sys.clone();
        Arrays.sort(sorted);
        int lower = samples / 40;
        double mean = 0;
        for (double s : sys) mean += s;
        return new Result(score, baselineScore, p, sorted[lower], sorted[samples - 1 - lower], mean / samples);
    }

    /**
     * The whole test in one process (no Spark): rows of {@code systemStats}/{@code baselineStats} are
     * the per-image statistics of image position 0..n-1. The Spark job computes the same sums
     * partition by partition with {@link BootstrapDraws#counts} and {@link BootstrapSums#add}.
     */
    public static Result compareLocal(CorpusStatistic metric, double[][] systemStats, double[][] baselineStats,
                                      long seed, int samples) {
        int n = systemStats.length;
        if (baselineStats.length != n) throw new IllegalArgumentException("system and baseline must cover the same images");
        BootstrapDraws draws = new BootstrapDraws(seed, samples, n);
        byte[] counts = draws.counts(0, n);
        BootstrapSums sys = new BootstrapSums(samples, metric.dim());
        BootstrapSums base = new BootstrapSums(samples, metric.dim());
        double[] sysTotal = new double[metric.dim()];
        double[] baseTotal = new double[metric.dim()];
        for (int i = 0; i < n; i++) {
            sys.add(counts, i, systemStats[i]);
            base.add(counts, i, baselineStats[i]);
            for (int k = 0; k < metric.dim(); k++) {
                sysTotal[k] += systemStats[i][k];
                baseTotal[k] += baselineStats[i][k];
            }
        }
        return compare(metric, sys, base, metric.score(sysTotal), metric.score(baseTotal));
    }
}
