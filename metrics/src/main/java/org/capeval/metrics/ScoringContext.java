package org.capeval.metrics;

import java.io.Serializable;
import org.capeval.metrics.cider.DocumentFrequencies;

/**
 * Corpus-level inputs a metric may need besides the image itself: the document frequencies of
 * CIDEr (computed from the evaluated images' references, or loaded with --idf). Serializable so the
 * Spark job can broadcast it.
 *
 * @param documentFrequencies null when no selected metric needs it
 */
public record ScoringContext(DocumentFrequencies documentFrequencies) implements Serializable {}
