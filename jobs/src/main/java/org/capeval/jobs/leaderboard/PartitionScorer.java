package org.capeval.jobs.leaderboard;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.capeval.metrics.ImageReferences;
import org.capeval.metrics.MetricSuite;
import org.capeval.metrics.ScoringContext;
import org.capeval.metrics.core.PartialScores;
import org.capeval.metrics.core.RangeScorer;
import org.capeval.metrics.significance.BootstrapDraws;

/**
 * Scores every submission's captions for one contiguous range of image positions [lo, hi) against
 * the (already tokenized) references of those images — the body of one Spark task, plain Java:
 * one {@link RangeScorer} per submission. References are prepared once per partition and shared by
 * all submissions.
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

    /** Each submission's state over the positions [lo, hi); every submission must cover all of them. */
    public Map<Integer, PartialScores> score(int lo, int hi, Iterator<RefImage> refIt, Iterator<Candidate> candidates) {
        RefImage[] refs = new RefImage[hi - lo];
        ImageReferences[] prepared = new ImageReferences[hi - lo]; // encoded once, shared by every submission
        while (refIt.hasNext()) {
            RefImage r = refIt.next();
            if (r.pos() < lo || r.pos() >= hi) throw new IllegalStateException("reference position " + r.pos() + " outside [" + lo + ", " + hi + ")");
            refs[r.pos() - lo] = r;
        }
        MetricSuite.Scorer scorer = suite.newScorer(context);
        Map<Integer, RangeScorer> bySubmission = new HashMap<>();
        double[] row = new double[suite.keys().size()];
        while (candidates.hasNext()) {
            Candidate c = candidates.next();
            int at = c.pos() - lo;
            RefImage ref = refs[at];
            if (ref == null) throw new IllegalStateException("no reference for position " + c.pos());
            if (prepared[at] == null) prepared[at] = new ImageReferences(ref.imageId(), ref.tokenizedRefs());
            bySubmission.computeIfAbsent(c.submission(), s -> new RangeScorer(suite, scorer, n, lo, hi - lo, draws))
                    .score(c.pos(), c.caption(), prepared[at], row);
        }
        Map<Integer, PartialScores> out = new HashMap<>();
        bySubmission.forEach((sub, range) -> out.put(sub, range.finish()));
        return out;
    }
}
