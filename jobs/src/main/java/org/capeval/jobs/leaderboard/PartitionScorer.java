package org.capeval.jobs.leaderboard;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.capeval.metrics.ImageReferences;
import org.capeval.metrics.MetricSuite;
import org.capeval.metrics.ScoringContext;
import org.capeval.metrics.core.ImageStatistics;

/**
 * Scores every submission's captions for one contiguous range of image positions [lo, hi) against
 * the (already tokenized) references of those images — the body of one Spark task, plain Java.
 * References are prepared once per partition and shared by all submissions. The result is each
 * submission's per-image statistics, reduced later in one fixed order per submission
 * ({@link ImageStatistics#reduce}), so the numbers do not depend on the partitioning.
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

    public PartitionScorer(MetricSuite suite, ScoringContext context) {
        this.suite = suite;
        this.context = context;
    }

    /**
     * Each submission's per-image statistics over the positions [lo, hi): row-major,
     * {@link ImageStatistics#width} values per position; every submission must cover all of them.
     */
    public Map<Integer, double[]> score(int lo, int hi, Iterator<RefImage> refIt, Iterator<Candidate> candidates) {
        RefImage[] refs = new RefImage[hi - lo];
        ImageReferences[] prepared = new ImageReferences[hi - lo]; // encoded once, shared by every submission
        while (refIt.hasNext()) {
            RefImage r = refIt.next();
            if (r.pos() < lo || r.pos() >= hi) throw new IllegalStateException("reference position " + r.pos() + " outside [" + lo + ", " + hi + ")");
            refs[r.pos() - lo] = r;
        }
        MetricSuite.Scorer scorer = suite.newScorer(context);
        int width = ImageStatistics.width(suite), s = suite.statsSize();
        Map<Integer, double[]> bySubmission = new HashMap<>();
        Map<Integer, boolean[]> seen = new HashMap<>();
        double[] row = new double[suite.keys().size()];
        double[] stats = new double[s];
        while (candidates.hasNext()) {
            Candidate c = candidates.next();
            int at = c.pos() - lo;
            RefImage ref = at >= 0 && at < refs.length ? refs[at] : null;
            if (ref == null) throw new IllegalStateException("no reference for position " + c.pos());
            boolean[] done = seen.computeIfAbsent(c.submission(), k -> new boolean[hi - lo]);
            if (done[at]) throw new IllegalStateException("image " + ref.imageId() + " at position " + c.pos() + " scored twice");
            done[at] = true;
            if (prepared[at] == null) prepared[at] = new ImageReferences(ref.imageId(), ref.tokenizedRefs());
            java.util.Arrays.fill(stats, 0.0);
            scorer.score(c.caption(), prepared[at], row, stats);
            double[] block = bySubmission.computeIfAbsent(c.submission(), k -> new double[(hi - lo) * width]);
            System.arraycopy(stats, 0, block, at * width, s);
            System.arraycopy(row, 0, block, at * width + s, row.length);
        }
        seen.forEach((sub, done) -> {
            for (int i = 0; i < done.length; i++) {
                if (!done[i]) throw new IllegalStateException("submission " + sub + ": position " + (lo + i) + " was not scored");
            }
        });
        return bySubmission;
    }
}
