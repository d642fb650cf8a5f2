package org.capeval.metrics.significance;

import java.util.Arrays;
import org.capeval.metrics.MetricSuite;

/**
 * The bootstrap statistic of one key of a {@link MetricSuite}: per image the vector
 * {@code [suite statistics..., per-image scores..., 1]}; a sample's corpus score is the suite's own
 * corpus formula on the summed statistics and the means of the summed scores. So BLEU-4 is
 * recomputed from summed n-gram counts (a corpus BLEU, not a mean of per-image BLEU), CIDEr-D and
 * ROUGE-L are means of per-image scores — with the same code that produces the reported numbers.
 */
public final class SuiteStatistic implements CorpusStatistic {
    private static final long serialVersionUID = 1L;
    private final MetricSuite suite;
    private final int key;

    public SuiteStatistic(MetricSuite suite, String key) {
        this.suite = suite;
        this.key = suite.keys().indexOf(key);
        if (this.key < 0) throw new IllegalArgumentException("no metric key " + key + " in " + suite.keys());
    }

    /** Length of the per-image vector for {@code suite}. */
    public static int dim(MetricSuite suite) {
        return suite.statsSize() + suite.keys().size() + 1;
    }

    /** Writes one image's vector into {@code out} (length {@link #dim}). */
    public static void vector(MetricSuite suite, double[] imageStats, double[] imageScores, double[] out) {
        System.arraycopy(imageStats, 0, out, 0, suite.statsSize());
        System.arraycopy(imageScores, 0, out, suite.statsSize(), suite.keys().size());
        out[out.length - 1] = 1.0;
    }

    @Override
    public int dim() {
        return dim(suite);
    }

    @Override
    public double score(double[] sums) {
        return corpus(suite, sums)[key];
    }

    /**
     * Every key's score on each sample of {@code sums}, element {@code [key][sample]}: what
     * {@link #score} gives each key, with one corpus computation per sample for all the keys
     * (a leaderboard tests several keys of hundreds of submissions).
     */
    public static double[][] scores(MetricSuite suite, BootstrapSums sums) {
        double[][] out = new double[suite.keys().size()][sums.samples()];
        for (int b = 0; b < sums.samples(); b++) {
            double[] corpus = corpus(suite, sums.sample(b));
            for (int k = 0; k < out.length; k++) out[k][b] = corpus[k];
        }
        return out;
    }

    /** The suite's corpus scores from one sample's summed vector. */
    private static double[] corpus(MetricSuite suite, double[] sums) {
        int s = suite.statsSize(), k = suite.keys().size();
        double count = sums[s + k];
        double[] means = Arrays.copyOfRange(sums, s, s + k);
        for (int i = 0; i < k; i++) means[i] /= count;
        return suite.corpus(Arrays.copyOfRange(sums, 0, s), means);
    }
}
