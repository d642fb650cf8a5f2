package org.capeval.metrics;

import java.io.Serializable;
import org.capeval.metrics.cider.DocumentFrequencies;

/**
 * Corpus-level inputs a metric may need besides the image itself: the document frequencies of
 * CIDEr (computed from the evaluated images' references, or loaded with --idf). Serializable so the
 * Spark job can broadcast it.
 */
public final class ScoringContext implements Serializable {
    private static final long serialVersionUID = 1L;
    private final DocumentFrequencies documentFrequencies;

    /** A plain class, not a record: Spark broadcasts it with Kryo, which predates records. */
    public ScoringContext(DocumentFrequencies documentFrequencies) {
        this.documentFrequencies = documentFrequencies;
    }

    /** The table CIDEr reads, or null when no metric uses document frequencies. */
    public DocumentFrequencies documentFrequencies() {
        return documentFrequencies;
    }
}
