package org.capeval.jobs.leaderboard;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.capeval.metrics.ImageReferences;
import org.capeval.metrics.MetricSuite;
import org.capeval.metrics.ScoringContext;
import org.capeval.metrics.significance.BootstrapDraws;
import org.capeval.metrics.significance.BootstrapSums;
import org.capeval.metrics.significance.SuiteStatistic;
import org.capeval.metrics.stats.PairwiseSum;

/**
 * Scores every submission's captions for one contiguous range of image positions [lo, hi) against
 * the (already tokenized) references of those images — the body of one Spark task, plain Java.
 * References are prepared once per partition and shared by all submissions; the bootstrap
 * resampling counts of the range are drawn once and applied to every submission.
 */
public final class PartitionScorer {
    /**
     * One reference image: position in evaluation order, COCO id, reference captions (tokenized once
     * the job has tokenized them). Plain classes, not records: Spark ships them with Kryo.
     */
    public static final class RefImage implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final int pos;
        private final long imageId;
        private final String[] tokenizedRefs;

        public RefImage(int pos, long imageId, String[] tokenizedRefs) {
            this.pos = pos;
            this.imageId = imageId;
            this.tokenizedRefs = tokenizedRefs;
        }

        public int pos() { return pos; }

        public long imageId() { return imageId; }

        public String[] tokenizedRefs() { return tokenizedRefs; }
    }

    /** One candidate caption of one submission, tokenized (one tokenizer run per submission). */
    public static final class Candidate implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final int pos;
        private final int submission;
        private final String caption;

        public Candidate(int pos, int submission, String caption) {
            this.pos = pos;
            this.submission = submission;
            this.caption = caption;
        }

        public int pos() { return pos; }

        public int submission() { return submission; }

        public String caption() { return caption; }
    }

    private final MetricSuite suite;
    private final ScoringContext context;
    private final BootstrapDraws draws;
    private final long n;

    /** @param draws the run's resampling plan, or null for no bootstrap */
    public PartitionScorer(MetricSuite suite, ScoringContext context, BootstrapDraws draws, long n) {
        this.suite = suite;
        this.context = context;
        this.draws = draws;
        this.n = n;
    }

    public Map<Integer, SubmissionPartial> score(int lo, int hi, Iterator<RefImage> refIt, Iterator<Candidate> candidates) {
        RefImage[] refs = new RefImage[hi - lo];
        ImageReferences[] prepared = new ImageReferences[hi - lo]; // encoded once, shared by every submission
        while (refIt.hasNext()) {
            RefImage r = refIt.next();
            if (r.pos() < lo || r.pos() >= hi) throw new IllegalStateException("reference position " + r.pos() + " outside [" + lo + ", " + hi + ")");
            refs[r.pos() - lo] = r;
        }
        byte[] counts = draws == null ? null : draws.counts(lo, hi);
        int nKeys = suite.keys().size();
        int dim = SuiteStatistic.dim(suite);
        MetricSuite.Scorer scorer = suite.newScorer(context);
        Map<Integer, double[][]> rows = new HashMap<>();
        Map<Integer, SubmissionPartial> out = new HashMap<>();
        double[] imageStats = new double[suite.statsSize()];
        double[] vector = new double[dim];
        while (candidates.hasNext()) {
            Candidate c = candidates.next();
            RefImage ref = refs[c.pos() - lo];
            if (ref == null) throw new IllegalStateException("no reference for position " + c.pos());
            SubmissionPartial part = out.computeIfAbsent(c.submission(), s -> {
                SubmissionPartial p = new SubmissionPartial(suite.statsSize(), nKeys);
                if (draws != null) p.bootstrap = new BootstrapSums(draws.samples(), dim);
                return p;
            });
            double[][] subRows = rows.computeIfAbsent(c.submission(), s -> new double[hi - lo][]);
            if (subRows[c.pos() - lo] != null) throw new IllegalStateException("two candidates for image " + ref.imageId() + " in one submission");
            double[] row = new double[nKeys];
            java.util.Arrays.fill(imageStats, 0.0);
            int at = c.pos() - lo;
            if (prepared[at] == null) prepared[at] = new ImageReferences(ref.imageId(), ref.tokenizedRefs());
            scorer.score(c.caption(), prepared[at], row, imageStats);
            subRows[c.pos() - lo] = row;
            for (int i = 0; i < imageStats.length; i++) part.stats[i] += imageStats[i];
            part.images++;
            if (counts != null) {
                SuiteStatistic.vector(suite, imageStats, row, vector);
                part.bootstrap.add(counts, c.pos() - lo, vector);
            }
        }
        for (Map.Entry<Integer, double[][]> e : rows.entrySet()) {
            double[][] subRows = e.getValue();
            SubmissionPartial part = out.get(e.getKey());
            double[] column = new double[hi - lo];
            for (int k = 0; k < nKeys; k++) {
                for (int i = 0; i < column.length; i++) {
                    if (subRows[i] == null) throw new IllegalStateException("submission " + e.getKey() + " has no caption for image " + refs[i].imageId());
                    column[i] = subRows[i][k];
                }
                part.columns.get(k).add(PairwiseSum.partial(n, lo, column));
            }
        }
        return out;
    }
}
