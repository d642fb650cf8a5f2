package org.capeval.metrics.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.List;
import org.capeval.metrics.CaptionMetric;
import org.capeval.metrics.CaptionTokenizer;
import org.capeval.metrics.EvalJson;
import org.capeval.metrics.ImageTokens;
import org.capeval.metrics.MetricSuite;
import org.capeval.metrics.ScoringContext;
import org.capeval.metrics.Signature;
import org.capeval.metrics.cider.DocumentFrequencies;

/**
 * One evaluation's settings (metrics, tokenizer, document frequencies) and the steps every runner
 * takes with them, after sacreBLEU's metric objects: count the document frequencies of a range
 * ({@link #countDocumentFrequencies}), settle the ones scoring uses once all ranges are merged
 * ({@link #documentFrequencies}), build the shared context ({@link #context}), score ranges
 * ({@link #rangeScorer}) into {@link PartialScores}, and report ({@link #evalJson}). The local
 * evaluator, both score engines and the leaderboard run these same steps; they differ only in how
 * ranges are spread (threads, Spark partitions) and merged.
 */
public final class Scoring implements Serializable {
    private static final long serialVersionUID = 1L;
    private final MetricSuite suite;
    private final CaptionTokenizer tokenizer;
    private final DocumentFrequencies idf;

    /**
     * @param idf document frequencies to score with (a saved table), or null for COCO's behaviour:
     *            counted from the references of the evaluated images
     */
    public Scoring(List<CaptionMetric> metrics, CaptionTokenizer tokenizer, DocumentFrequencies idf) {
        this.suite = new MetricSuite(metrics);
        this.tokenizer = tokenizer;
        this.idf = idf;
    }

    public MetricSuite suite() {
        return suite;
    }

    public CaptionTokenizer tokenizer() {
        return tokenizer;
    }

    /** Whether the runner must count document frequencies over the evaluated images' references. */
    public boolean countsDocumentFrequencies() {
        return suite.needsDocumentFrequencies() && idf == null;
    }

    /** A range's document frequencies (each image's references are one document); ranges merge with {@link DocumentFrequencies#merge}. */
    public static DocumentFrequencies countDocumentFrequencies(Iterable<ImageTokens> range) {
        DocumentFrequencies df = new DocumentFrequencies(DocumentFrequencies.FROM_EVALUATED_REFERENCES);
        for (ImageTokens image : range) {
            df.addReferences(image.references());
        }
        return df;
    }

    /**
     * The document frequencies scoring uses: the merged count of all ranges (null if none was
     * needed), the saved table given, or null when no metric uses them.
     */
    public DocumentFrequencies documentFrequencies(DocumentFrequencies counted) {
        if (!suite.needsDocumentFrequencies()) {
            return null;
        }
        if (idf != null) {
            return idf;
        }
        if (counted == null || counted.size() == 0) {
            // the original fails here too (max() of an empty sequence)
            throw new IllegalArgumentException("CIDEr: no reference caption of the evaluated images has a word "
                    + "(pycocoevalcap fails here too: max() of empty document frequencies)");
        }
        return counted;
    }

    /** The context every range is scored with (the compact table CIDEr reads; broadcast by Spark). */
    public static ScoringContext context(DocumentFrequencies used) {
        return new ScoringContext(used == null ? null : used.forScoring());
    }

    /** A scorer of one range of evaluation indexes {@code [lo, lo + size)} of {@code total} images. */
    public RangeScorer rangeScorer(ScoringContext context, long total, long lo, int size) {
        return new RangeScorer(suite, suite.newScorer(context), total, lo, size, null);
    }

    /** Everything that changes the numbers. */
    public String signature(DocumentFrequencies used) {
        return Signature.of(tokenizer, suite, used == null ? null : used.source());
    }

    /** eval.json's content from the merged state of all ranges. */
    public ObjectNode evalJson(PartialScores all, String signature) {
        return EvalJson.of(suite, all.corpus(suite), all.stats(), all.images(), signature);
    }
}
