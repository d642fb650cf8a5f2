package org.capeval.metrics.core;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.capeval.metrics.ImageTokens;
import org.capeval.metrics.MetricSuite;
import org.capeval.metrics.Metrics;
import org.capeval.metrics.ScoringContext;
import org.capeval.metrics.significance.BootstrapDraws;
import org.junit.jupiter.api.Test;

/** A system's kept per-image statistics reduce to the numbers of scoring it range by range. */
class ImageStatisticsTest {
    @Test
    void reducedStatisticsGiveTheCorpusScoresOfRangesAndKeepThemExactly() {
        String[] words = {"a", "man", "dog", "on", "the", "red", "bus", "wave", "riding", "park", "two", "of"};
        java.util.Random rnd = new java.util.Random(3);
        int n = 300; // more than numpy's block of 128: the pairwise tree has several levels
        List<ImageTokens> images = new ArrayList<>();
        for (int i = 0; i < n; i++) images.add(new ImageTokens(i, sentence(rnd, words), new String[] {sentence(rnd, words), sentence(rnd, words)}));
        Scoring scoring = new Scoring(Metrics.parse("bleu,rouge,cider"), null, null);
        MetricSuite suite = scoring.suite();
        ScoringContext ctx = Scoring.context(scoring.documentFrequencies(Scoring.countDocumentFrequencies(images)));
        BootstrapDraws draws = new BootstrapDraws(5, 50, n);

        // as the score engines: three ranges scored and merged
        PartialScores ranges = PartialScores.empty(suite);
        int[] cuts = {0, 97, 210, n};
        for (int r = 0; r < 3; r++) {
            RangeScorer rs = new RangeScorer(suite, suite.newScorer(ctx), n, cuts[r], cuts[r + 1] - cuts[r], draws);
            double[] row = new double[suite.keys().size()];
            for (int i = cuts[r]; i < cuts[r + 1]; i++) rs.score(i, images.get(i), row);
            ranges.merge(rs.finish());
        }
        // as the leaderboard: per-image statistics, reduced in evaluation order
        int width = ImageStatistics.width(suite);
        double[] values = new double[n * width];
        MetricSuite.Scorer scorer = suite.newScorer(ctx);
        for (int i = 0; i < n; i++) {
            double[] row = new double[suite.keys().size()], stats = new double[suite.statsSize()];
            scorer.score(images.get(i), row, stats);
            System.arraycopy(stats, 0, values, i * width, stats.length);
            System.arraycopy(row, 0, values, i * width + stats.length, row.length);
        }
        PartialScores reduced = new ImageStatistics(suite, values).reduce(suite, draws.counts(0, n), draws.samples());
        assertArrayEquals(ranges.corpus(suite), reduced.corpus(suite), "bit for bit");
        assertArrayEquals(ranges.stats(), reduced.stats());
        for (int b = 0; b < draws.samples(); b++) {
            assertArrayEquals(ranges.bootstrap().sample(b), reduced.bootstrap().sample(b), 1e-9, "sample " + b);
        }
        // every key's score on every sample at once (as the leaderboard tests several keys): each key's own
        double[][] all = org.capeval.metrics.significance.SuiteStatistic.scores(suite, reduced.bootstrap());
        for (int k = 0; k < suite.keys().size(); k++) {
            org.capeval.metrics.significance.SuiteStatistic one = new org.capeval.metrics.significance.SuiteStatistic(suite, suite.keys().get(k));
            for (int b = 0; b < draws.samples(); b++) {
                assertEquals(one.score(reduced.bootstrap().sample(b)), all[k][b], 0.0, suite.keys().get(k) + " sample " + b);
            }
        }
        // kept and rebuilt (as the leaderboard's cache does): the same bits
        PartialScores kept = PartialScores.whole(suite, n, reduced.stats(), reduced.columnSums(), reduced.bootstrap());
        assertArrayEquals(reduced.corpus(suite), kept.corpus(suite));
        assertArrayEquals(reduced.means(), kept.means());
        assertThrows(IllegalArgumentException.class, () -> new ImageStatistics(suite, new double[width + 1]));
    }

    private static String sentence(java.util.Random rnd, String[] words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0, len = 3 + rnd.nextInt(8); i < len; i++) b.append(i == 0 ? "" : " ").append(words[rnd.nextInt(words.length)]);
        return b.toString();
    }
}
