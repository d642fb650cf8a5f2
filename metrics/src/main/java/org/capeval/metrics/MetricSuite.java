package org.capeval.metrics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Several metrics run together over each image: concatenates their keys (the per-image row) and
 * statistics vectors, and forms the corpus scores. Used identically by {@link CocoEvaluator} and
 * by the Spark job's partitions.
 */
public final class MetricSuite implements Serializable {
    private static final long serialVersionUID = 1L;
    private final List<CaptionMetric> metrics;
    private final List<String> keys = new ArrayList<>();
    private final int[] keyOffset;
    private final int[] statsOffset;
    private final int statsSize;

    public MetricSuite(List<CaptionMetric> metrics) {
        this.metrics = List.copyOf(metrics);
        keyOffset = new int[metrics.size() + 1];
        statsOffset = new int[metrics.size() + 1];
        for (int i = 0; i < metrics.size(); i++) {
            keys.addAll(metrics.get(i).keys());
            keyOffset[i + 1] = keys.size();
            statsOffset[i + 1] = statsOffset[i] + metrics.get(i).statsSize();
        }
        statsSize = statsOffset[metrics.size()];
    }

    public List<CaptionMetric> metrics() {
        return metrics;
    }

    /** Every metric's keys, in order: the per-image columns. */
    public List<String> keys() {
        return Collections.unmodifiableList(keys);
    }

    /** Total length of the statistics vector. */
    public int statsSize() {
        return statsSize;
    }

    /** Offset of metric i's statistics in the suite's vector. */
    public int statsOffset(int i) {
        return statsOffset[i];
    }

    public boolean needsDocumentFrequencies() {
        return metrics.stream().anyMatch(CaptionMetric::needsDocumentFrequencies);
    }

    /** One metric signature per metric, joined by '|'. */
    public String signature() {
        List<String> parts = new ArrayList<>();
        metrics.forEach(m -> parts.add(m.signature()));
        return String.join("|", parts);
    }

    /** A scorer for one thread. */
    public Scorer newScorer(ScoringContext context) {
        return new Scorer(context);
    }

    /**
     * Corpus scores (one per key) from the summed statistics and the numpy means of each per-image
     * column.
     */
    public double[] corpus(double[] summedStats, double[] perImageMeans) {
        double[] out = new double[keys.size()];
        for (int i = 0; i < metrics.size(); i++) {
            CaptionMetric m = metrics.get(i);
            double[] stats = java.util.Arrays.copyOfRange(summedStats, statsOffset[i], statsOffset[i + 1]);
            double[] means = java.util.Arrays.copyOfRange(perImageMeans, keyOffset[i], keyOffset[i + 1]);
            double[] c = m.corpus(stats, means);
            System.arraycopy(c, 0, out, keyOffset[i], c.length);
        }
        return out;
    }

    /** Scores images with every metric of the suite; not thread-safe. */
    public final class Scorer {
        private final List<ImageScorer> scorers = new ArrayList<>();
        private final double[][] scoreBuf;
        private final double[][] statsBuf;
        /** Time in each metric's scorer on this thread: the run's time split (two clock reads per metric and image). */
        private final long[] nanos = new long[metrics.size()];

        Scorer(ScoringContext context) {
            scoreBuf = new double[metrics.size()][];
            statsBuf = new double[metrics.size()][];
            for (int i = 0; i < metrics.size(); i++) {
                scorers.add(metrics.get(i).newScorer(context));
                scoreBuf[i] = new double[metrics.get(i).keys().size()];
                statsBuf[i] = new double[metrics.get(i).statsSize()];
            }
        }

        /**
         * Scores a candidate against references prepared once ({@link ImageReferences}, shared by
         * several candidates, e.g. one per submission); same numbers as scoring an {@link ImageTokens}.
         */
        public void score(String candidate, ImageReferences references, double[] scores, double[] statsSum) {
            score(new ImageTokens(candidate, references), scores, statsSum);
        }

        /**
         * Scores one image: writes its per-image row into {@code scores} (one per key) and adds its
         * statistics into {@code statsSum}.
         */
        public void score(ImageTokens image, double[] scores, double[] statsSum) {
            for (int i = 0; i < scorers.size(); i++) {
                java.util.Arrays.fill(statsBuf[i], 0.0);
                long t0 = System.nanoTime();
                scorers.get(i).score(image, scoreBuf[i], statsBuf[i]);
                nanos[i] += System.nanoTime() - t0;
                System.arraycopy(scoreBuf[i], 0, scores, keyOffset[i], scoreBuf[i].length);
                for (int j = 0; j < statsBuf[i].length; j++) {
                    statsSum[statsOffset[i] + j] += statsBuf[i][j];
                }
            }
        }

        /**
         * Nanoseconds this scorer spent in each metric (in the suite's order) so far. The first
         * metric to need an image's n-grams builds them for the others (they are cached per image).
         */
        public long[] nanosByMetric() {
            return nanos.clone();
        }
    }
}
