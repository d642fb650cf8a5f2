package org.capeval.metrics;

import java.io.Serializable;
import java.util.List;

/**
 * One caption metric (BLEU, ROUGE-L, CIDEr-D, ...). A metric turns one image's tokenized captions
 * into per-image scores plus an additive statistics vector; the corpus score is computed from the
 * summed statistics and/or the numpy-exact mean of each per-image score. The same instance runs in
 * one JVM ({@link CocoEvaluator}) and on Spark executors (the score job), so implementations are
 * immutable and Serializable; the per-thread working state lives in the {@link ImageScorer}.
 */
public interface CaptionMetric extends Serializable {

    /** Name used on the command line ({@code --metrics bleu,rouge,cider}). */
    String name();

    /** Output keys, COCO's names and order (e.g. Bleu_1..Bleu_4): per-image columns and corpus entries. */
    List<String> keys();

    /**
     * Length of the additive per-image statistics vector that the corpus score is computed from
     * (BLEU's n-gram counts); 0 when the corpus score is the mean of the per-image scores.
     * Components must be integers (or otherwise exactly summable) so the sum is order-independent.
     */
    int statsSize();

    /** Whether {@link ImageScorer}s need {@link ScoringContext#documentFrequencies()} (CIDEr). */
    default boolean needsDocumentFrequencies() {
        return false;
    }

    /** A scorer for one thread (not thread-safe; reuses its buffers between images). */
    ImageScorer newScorer(ScoringContext context);

    /**
     * Corpus scores, one per {@link #keys()} entry.
     *
     * @param summedStats   the element-wise sum of every image's statistics ({@link #statsSize()} long)
     * @param perImageMeans for each key, numpy's {@code np.mean} of the per-image scores in evaluation order
     */
    double[] corpus(double[] summedStats, double[] perImageMeans);

    /** The options that change this metric's numbers, for the {@link Signature} (e.g. "bleu:n4,closest"). */
    String signature();
}
