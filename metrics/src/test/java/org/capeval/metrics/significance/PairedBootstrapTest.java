package org.capeval.metrics.significance;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {

    @Test
    void everySampleDrawsExactlyNPositionsWhateverThePartitioning() {
        BootstrapDraws draws = new BootstrapDraws(7, 50, 101);
        byte[] all = draws.counts(0, 101);
        int[] cuts = {0, 13, 14, 60, 101};
        for (int b = 0; b < 50; b++) {
            int total = 0;
            for (int pos = 0; pos < 101; pos++) total += all[pos * 50 + b];
            assertEquals(101, total, "sample " + b);
        }
        for (int c = 0; c + 1 < cuts.length; c++) {
            byte[] part = draws.counts(cuts[c], cuts[c + 1]);
            for (int pos = cuts[c]; pos < cuts[c + 1]; pos++) {
                for (int b = 0; b < 50; b++) {
                    assertEquals(all[pos * 50 + b], part[(pos - cuts[c]) * 50 + b], "pos " + pos + " sample " + b);
                }
            }
        }
    }

    @Test
    void countsAreTheDrawsCountedOneByOne() {
        // 150 samples: two whole blocks of the blocked count and a partial one; ranges cut inside them
        int n = 101, samples = 150;
        BootstrapDraws draws = new BootstrapDraws(5, samples, n);
        int[][] expected = new int[n][samples];
        for (int b = 0; b < samples; b++) for (int j = 0; j < n; j++) expected[draws.draw(b, j)][b]++;
        for (int[] range : new int[][] {{0, n}, {0, 1}, {17, 64}, {100, 101}, {40, 40}}) {
            byte[] c = draws.counts(range[0], range[1]);
            assertEquals((range[1] - range[0]) * samples, c.length);
            for (int pos = range[0]; pos < range[1]; pos++) {
                for (int b = 0; b < samples; b++) assertEquals(expected[pos][b], c[(pos - range[0]) * samples + b], "pos " + pos + " sample " + b);
            }
        }
    }

    @Test
    void theSeedFixesThePlan() {
        assertArrayEquals(new BootstrapDraws(3, 20, 30).counts(0, 30), new BootstrapDraws(3, 20, 30).counts(0, 30));
        assertFalse(java.util.Arrays.equals(new BootstrapDraws(3, 20, 30).counts(0, 30), new BootstrapDraws(4, 20, 30).counts(0, 30)));
    }

    @Test
    void sumsEqualAnExplicitResampleOfTheImages() {
        int n = 37, samples = 9;
        BootstrapDraws draws = new BootstrapDraws(11, samples, n);
        double[][] stats = new double[n][];
        Random r = new Random(1);
        for (int i = 0; i < n; i++) stats[i] = new double[] {r.nextInt(20), r.nextDouble()};
        byte[] counts = draws.counts(0, n);
        // two partial sums merged = one sum over all images
        BootstrapSums left = new BootstrapSums(samples, 2);
        BootstrapSums right = new BootstrapSums(samples, 2);
        for (int i = 0; i < n; i++) (i < 20 ? left : right).add(counts, i, stats[i]);
        BootstrapSums merged = left.merge(right);
        for (int b = 0; b < samples; b++) {
            double[] expected = new double[2];
            for (int j = 0; j < n; j++) {
                int pos = draws.draw(b, j);
                expected[0] += stats[pos][0];
                expected[1] += stats[pos][1];
            }
            assertArrayEquals(expected, merged.sample(b), 1e-9, "sample " + b);
        }
    }

    @Test
    void sumsHaveTheBitsOfAddingEachDrawnImageInOrderWhateverTheStatistics() {
        int n = 300, samples = 70, dim = 5;
        BootstrapDraws draws = new BootstrapDraws(11, samples, n);
        byte[] counts = draws.counts(0, n);
        Random r = new Random(6);
        double[][] stats = new double[n][dim];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < dim; k++) stats[i][k] = k == 0 ? r.nextInt(9) : (r.nextDouble() - 0.3) * Math.pow(10, r.nextInt(30) - 15);
        }
        stats[3][1] = Double.NaN; // a zero count must not add NaN (0 · NaN) to samples that did not draw the image
        stats[8][2] = Double.POSITIVE_INFINITY;
        stats[9][3] = -0.0;
        stats[10] = new double[] {-0.0, -0.0, -0.0, -0.0, -0.0};
        BootstrapSums sums = new BootstrapSums(samples, dim);
        for (int i = 0; i < n; i++) sums.add(counts, i, stats[i]);
        // in blocks (blocks of four with and without a non-finite image, and a remainder), as ImageStatistics adds
        BootstrapSums blocks = new BootstrapSums(samples, dim);
        for (int lo = 0; lo < n; lo += 23) blocks.addAll(counts, lo, java.util.Arrays.copyOfRange(stats, lo, Math.min(n, lo + 23)));
        // the definition: each sample's sums, images in order, adding count · stat where the count is not 0
        double[] expected = new double[samples * dim];
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < samples; b++) {
                int c = counts[i * samples + b];
                if (c != 0) for (int k = 0; k < dim; k++) expected[b * dim + k] += c * stats[i][k];
            }
        }
        double[] got = sums.values(), gotBlocks = blocks.values();
        for (int e = 0; e < expected.length; e++) {
            assertEquals(Double.doubleToRawLongBits(expected[e]), Double.doubleToRawLongBits(got[e]),
                    "sample " + e / dim + " statistic " + e % dim + ": " + expected[e] + " vs " + got[e]);
            assertEquals(Double.doubleToRawLongBits(expected[e]), Double.doubleToRawLongBits(gotBlocks[e]),
                    "in blocks: sample " + e / dim + " statistic " + e % dim + ": " + expected[e] + " vs " + gotBlocks[e]);
        }
        for (int b = 0; b < samples; b++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(expected, b * dim, (b + 1) * dim), sums.sample(b), 0.0, "sample " + b);
        }
        assertArrayEquals(got, BootstrapSums.of(samples, dim, got).values(), 0.0, "kept and read back");
    }

    @Test
    void aSystemComparedWithItselfIsNotSignificant() {
        double[][] s = randomScores(200, 0.0, new Random(2));
        PairedBootstrap.Result r = PairedBootstrap.compareLocal(CorpusStatistic.mean(), s, s, 5, 500);
        assertEquals(1.0, r.pValue());
        assertTrue(r.ciLow() <= r.score() && r.score() <= r.ciHigh());
    }

    @Test
    void pValueAndIntervalMatchTheNormalApproximation() {
        // Per-image differences ~ N(mu, 1) with mu = 2/sqrt(n): z = 2, two-sided p ≈ 0.0455.
        int n = 2000;
        Random r = new Random(3);
        double[][] base = new double[n][];
        double[][] sys = new double[n][];
        double mu = 2 / Math.sqrt(n);
        for (int i = 0; i < n; i++) {
            double b = r.nextGaussian();
            base[i] = CorpusStatistic.meanStats(b);
            sys[i] = CorpusStatistic.meanStats(b + mu + r.nextGaussian());
        }
        PairedBootstrap.Result res = PairedBootstrap.compareLocal(CorpusStatistic.mean(), sys, base, 42, 2000);
        double observedDiff = res.score() - res.baselineScore();
        // the realised z differs from 2 by sampling noise; compare with the p of the realised z
        double sdSys = 0, sdDiff = 0, meanSys = res.score();
        for (int i = 0; i < n; i++) {
            sdSys += Math.pow(sys[i][0] - meanSys, 2);
            sdDiff += Math.pow(sys[i][0] - base[i][0] - observedDiff, 2);
        }
        sdSys = Math.sqrt(sdSys / n);
        sdDiff = Math.sqrt(sdDiff / n);
        double z = Math.abs(observedDiff) / (sdDiff / Math.sqrt(n));
        double expectedP = 2 * (1 - phi(z));
        assertEquals(expectedP, res.pValue(), 0.25 * expectedP + 0.005, "z=" + z);
        double halfWidth = 1.96 * sdSys / Math.sqrt(n);
        assertEquals(meanSys - halfWidth, res.ciLow(), 0.15 * halfWidth);
        assertEquals(meanSys + halfWidth, res.ciHigh(), 0.15 * halfWidth);
    }

    @Test
    void aClearlyBetterSystemGetsTheSmallestPossiblePValue() {
        Random r = new Random(4);
        double[][] base = randomScores(300, 0.0, r);
        double[][] sys = new double[300][];
        for (int i = 0; i < 300; i++) sys[i] = CorpusStatistic.meanStats(base[i][0] + 1.0 + 0.1 * r.nextGaussian());
        PairedBootstrap.Result res = PairedBootstrap.compareLocal(CorpusStatistic.mean(), sys, base, 1, 999);
        assertEquals(1.0 / 1000, res.pValue(), 1e-15);
    }

    private static double[][] randomScores(int n, double shift, Random r) {
        double[][] s = new double[n][];
        for (int i = 0; i < n; i++) s[i] = CorpusStatistic.meanStats(shift + r.nextGaussian());
        return s;
    }

    /** Standard normal CDF (Abramowitz-Stegun 7.1.26 erf, |error| < 1.5e-7). */
    private static double phi(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.sqrt(2));
        double erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
                * Math.exp(-x * x / 2);
        return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
