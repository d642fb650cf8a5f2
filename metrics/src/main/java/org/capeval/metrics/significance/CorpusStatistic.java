package org.capeval.metrics.significance;

import java.io.Serializable;

/**
 * How a corpus score follows from per-image sufficient statistics summed over images: the metric
 * side of a bootstrap (sacreBLEU's "compute score from stats").
 */
public interface CorpusStatistic extends Serializable {
    /** Number of statistics per image. */
    int dim();

    /** The corpus score of a set of images whose statistics sum to {@code sums} (length dim). */
    double score(double[] sums);

    /**
     * A macro-averaged metric (corpus score = mean of per-image scores, as COCO's ROUGE-L and
     * CIDEr-D): per-image statistics are {@code [score, 1]}.
     */
    static CorpusStatistic mean() {
        return new CorpusStatistic() {
            private static final long serialVersionUID = 1L;
            @Override public int dim() { return 2; }
            @Override public double score(double[] sums) { return sums[0] / sums[1]; }
        };
    }

    /** Per-image statistics {@code [score, 1]} of a macro-averaged metric. */
    static double[] meanStats(double perImageScore) {
        return new double[] {perImageScore, 1.0};
    }
}
