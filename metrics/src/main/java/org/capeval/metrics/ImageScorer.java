package org.capeval.metrics;

/** Scores images one at a time for one {@link CaptionMetric}; one instance per thread. */
public interface ImageScorer {
    /**
     * Scores one image.
     *
     * @param image  the image's tokenized candidate and references
     * @param scores receives the per-image scores, one per key of the metric
     * @param stats  receives the additive statistics ({@code statsSize()} long; zero-filled by the caller)
     */
    void score(ImageTokens image, double[] scores, double[] stats);
}
